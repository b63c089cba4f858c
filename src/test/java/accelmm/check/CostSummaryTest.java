package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import org.junit.jupiter.api.Test;

class CostSummaryTest {

    private static CostCounters run(long syscalls, long pins) {
        CostCounters c = new CostCounters();
        c.count(Cost.SYSCALL, syscalls);
        c.count(Cost.PAGE_PINNED, pins);
        return c;
    }

    @Test
    void add_threeRuns_keepsTheFirstAndTheLeastAndMostOfEachCounter() {
        CostSummary s = new CostSummary();
        s.add(run(5, 2));
        s.add(run(3, 4));
        s.add(run(7, 0));

        assertThat(s.first().get(Cost.SYSCALL)).isEqualTo(5);
        assertThat(s.first().get(Cost.PAGE_PINNED)).isEqualTo(2);
        assertThat(s.min().get(Cost.SYSCALL)).isEqualTo(3);
        assertThat(s.min().get(Cost.PAGE_PINNED)).isZero();
        assertThat(s.max().get(Cost.SYSCALL)).isEqualTo(7);
        assertThat(s.max().get(Cost.PAGE_PINNED)).isEqualTo(4);
    }

    @Test
    void addAll_partsInOrder_equalsAddingEveryRunOneByOne() {
        CostCounters[] runs = {run(5, 2), run(3, 4), run(7, 0), run(4, 9)};
        CostSummary whole = new CostSummary();
        for (CostCounters r : runs) {
            whole.add(r);
        }
        CostSummary head = new CostSummary();
        head.add(runs[0]);
        head.add(runs[1]);
        CostSummary tail = new CostSummary();
        tail.add(runs[2]);
        tail.add(runs[3]);
        CostSummary merged = new CostSummary();
        merged.addAll(new CostSummary());
        merged.addAll(head);
        merged.addAll(tail);

        assertThat(merged).hasToString(whole.toString());
    }

    @Test
    void add_runLaterChanged_summaryKeepsItsOwnCopy() {
        CostCounters first = run(5, 2);
        CostSummary s = new CostSummary();
        s.add(first);
        first.count(Cost.SYSCALL, 100);

        assertThat(s.first().get(Cost.SYSCALL)).isEqualTo(5);
        assertThat(s.max().get(Cost.SYSCALL)).isEqualTo(5);
    }

    @Test
    void empty_noExecution_readsAllZeros() {
        CostSummary s = new CostSummary();

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.first()).hasToString(new CostCounters().toString());
        assertThat(s.max()).hasToString(new CostCounters().toString());
    }
}
