package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostCountersTest {

    @Test
    void cost_countsAfterASnapshot_leaveTheSnapshotAsItWas() {
        CostCounters live = new CostCounters();
        live.count(Cost.PAGE_PINNED);
        live.count(Cost.PAGE_PINNED, 3);

        CostCounters snapshot = live.snapshot();
        live.count(Cost.PAGE_PINNED);

        assertThat(snapshot.get(Cost.PAGE_PINNED)).isEqualTo(4);
        assertThat(live.get(Cost.PAGE_PINNED)).isEqualTo(5);
        assertThat(snapshot.get(Cost.PAGE_UNPINNED)).isZero();
    }

    @Test
    void cost_toString_namesEveryCounterInEnumOrder() {
        CostCounters c = new CostCounters();
        c.count(Cost.DOORBELL_WRITE);

        assertThat(c.toString()).startsWith("{syscall=0, cpu_fault=0,").contains("doorbell_write=1")
                .endsWith("page_copied=0}");
    }

    @Test
    void keepLowestAndHighest_slotBySlot_eachCounterOnItsOwn() {
        CostCounters a = new CostCounters();
        a.count(Cost.SYSCALL, 5);
        a.count(Cost.CPU_FAULT, 1);
        CostCounters b = new CostCounters();
        b.count(Cost.SYSCALL, 2);
        b.count(Cost.CPU_FAULT, 7);

        CostCounters low = a.snapshot();
        low.keepLowest(b);
        CostCounters high = a.snapshot();
        high.keepHighest(b);

        assertThat(low.get(Cost.SYSCALL)).isEqualTo(2);
        assertThat(low.get(Cost.CPU_FAULT)).isEqualTo(1);
        assertThat(high.get(Cost.SYSCALL)).isEqualTo(5);
        assertThat(high.get(Cost.CPU_FAULT)).isEqualTo(7);
    }

    @Test
    void nameOf_everyCost_isTheConstantInLowerCase() {
        assertThat(CostCounters.nameOf(Cost.NOTIFIER_INVALIDATION)).isEqualTo("notifier_invalidation");
        assertThat(CostCounters.nameOf(Cost.PAGE_PINNED)).isEqualTo("page_pinned");
    }
}
