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
        s.add(run(5, 2), true);
        s.add(run(3, 4), true);
        s.add(run(7, 0), true);

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
            whole.add(r, true);
        }
        CostSummary head = new CostSummary();
        head.add(runs[0], true);
        head.add(runs[1], true);
        CostSummary tail = new CostSummary();
        tail.add(runs[2], true);
        tail.add(runs[3], true);
        CostSummary merged = new CostSummary();
        merged.addAll(new CostSummary());
        merged.addAll(head);
        merged.addAll(tail);

        assertThat(merged).hasToString(whole.toString());
    }

    @Test
    void add_laterRunsLowerAndRaise_firstRunStaysAsItRan() {
        CostSummary s = new CostSummary();
        s.add(run(5, 2), true);
        s.add(run(1, 9), true);

        assertThat(s.first().get(Cost.SYSCALL)).isEqualTo(5);
        assertThat(s.first().get(Cost.PAGE_PINNED)).isEqualTo(2);
    }

    @Test
    void add_runCutShortThenRunsToTheEnd_reportsOnlyThoseThatRanToTheEnd() {
        CostSummary s = new CostSummary();
        s.add(run(2, 2), false);
        s.add(run(9, 4), true);
        s.add(run(8, 3), true);

        assertThat(s.ranToEnd()).isTrue();
        assertThat(s.first().get(Cost.SYSCALL)).isEqualTo(9);
        assertThat(s.min().get(Cost.SYSCALL)).isEqualTo(8);
        assertThat(s.min().get(Cost.PAGE_PINNED)).isEqualTo(3);
        assertThat(s.max().get(Cost.SYSCALL)).isEqualTo(9);
    }

    @Test
    void add_onlyRunsCutShort_showsTheFirstOfThemMarked() {
        CostSummary s = new CostSummary();
        s.add(run(2, 2), false);
        s.add(run(1, 1), false);

        assertThat(s.isEmpty()).isFalse();
        assertThat(s.ranToEnd()).isFalse();
        assertThat(s.first().get(Cost.SYSCALL)).isEqualTo(2);
        assertThat(s.min().get(Cost.SYSCALL)).isEqualTo(2);
        assertThat(s.max().get(Cost.SYSCALL)).isEqualTo(2);
    }

    @Test
    void addAll_partsWithCutShortRuns_equalsAddingEveryRunOneByOne() {
        CostCounters[] runs = {run(5, 2), run(3, 4), run(7, 0), run(4, 9)};
        boolean[] toEnd = {false, false, true, false};
        CostSummary whole = new CostSummary();
        for (int i = 0; i < runs.length; i++) {
            whole.add(runs[i].snapshot(), toEnd[i]);
        }
        CostSummary merged = new CostSummary();
        for (int i = 0; i < runs.length; i++) {
            CostSummary part = new CostSummary();
            part.add(runs[i].snapshot(), toEnd[i]);
            merged.addAll(part);
        }
        CostSummary onlyCut = new CostSummary();
        onlyCut.addAll(CostSummary.cutShort(runs[1]));
        onlyCut.addAll(CostSummary.cutShort(runs[0]));

        assertThat(merged).hasToString(whole.toString());
        assertThat(whole.first().get(Cost.SYSCALL)).isEqualTo(7);
        assertThat(onlyCut.ranToEnd()).isFalse();
        assertThat(onlyCut.first().get(Cost.SYSCALL)).as("the earlier part's run").isEqualTo(3);
    }

    @Test
    void add_runThatChangesNothing_saysSo() {
        CostSummary s = new CostSummary();

        assertThat(s.add(run(5, 2), true)).isTrue();
        assertThat(s.add(run(5, 2), true)).isFalse();
        assertThat(s.add(run(4, 2), true)).isTrue();
        assertThat(s.add(run(1, 1), false)).isTrue();
        assertThat(s.add(run(1, 1), false)).isFalse();
    }

    @Test
    void empty_noExecution_readsAllZeros() {
        CostSummary s = new CostSummary();

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.first()).hasToString(new CostCounters().toString());
        assertThat(s.max()).hasToString(new CostCounters().toString());
    }
}
