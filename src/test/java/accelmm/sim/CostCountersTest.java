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
}
