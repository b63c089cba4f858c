package accelmm.check;

import static accelmm.check.DfsModels.Step;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ReplayChoiceSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Strategy.Dfs} on hand-made models whose interleavings can be counted by hand. */
class DfsSearchTest {

    private static final Budget LARGE = new Budget(1_000_000, null);

    private static Exploration dfs(Model model, int bound, boolean sleepSets) {
        return new Explorer().explore(model, new Strategy.Dfs(bound, sleepSets), LARGE);
    }

    @Test
    void dfs_boundZero_exploresExactlyTheNonPreemptiveOrders() {
        // Three actors run to their end one after another: 3! orders, whatever their length.
        Exploration e = dfs(DfsModels.points(2, 1, 3), 0, false);

        assertThat(e.executions()).isEqualTo(6);
        assertThat(e.complete()).isTrue();
        assertThat(((Coverage.Systematic) e.coverage()).boundHit()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"0, 2, 2", "1, 2, 2", "2, 2, 2", "0, 1, 2", "1, 1, 2", "2, 1, 2", "3, 1, 2"})
    void dfs_boundedTwoActors_matchesBruteForceCount(int bound, int a, int b) {
        Exploration e = dfs(DfsModels.points(a, b), bound, false);

        assertThat(e.executions()).isEqualTo(DfsModels.interleavings(bound, a, b));
        assertThat(e.complete()).isTrue();
    }

    @Test
    void dfs_boundOne_exploresMoreThanBoundZero() {
        long zero = dfs(DfsModels.points(2, 2, 1), 0, false).executions();
        long one = dfs(DfsModels.points(2, 2, 1), 1, false).executions();

        assertThat(one).isGreaterThan(zero).isEqualTo(DfsModels.interleavings(1, 2, 2, 1));
    }

    @Test
    void dfs_unbounded_exploresEveryInterleaving() {
        // Segments 3, 2 and 2: 7! / (3! 2! 2!) = 210 interleavings.
        Exploration e = dfs(DfsModels.points(2, 1, 1), Strategy.Dfs.UNBOUNDED, false);

        assertThat(e.executions()).isEqualTo(210).isEqualTo(DfsModels.interleavings(Integer.MAX_VALUE, 2, 1, 1));
        assertThat(e.complete()).isTrue();
        assertThat(e.coverage()).isEqualTo(new Coverage.Systematic(Strategy.Dfs.UNBOUNDED, true, false));
    }

    @Test
    void dfs_largeEnoughBound_coversEveryInterleavingWithoutHittingIt() {
        Exploration e = dfs(DfsModels.points(1, 1), 5, false);

        assertThat(e.executions()).isEqualTo(6);
        assertThat(((Coverage.Systematic) e.coverage()).describe()).isEqualTo("complete (every interleaving)");
    }

    @Test
    void dfs_budgetBelowTheSpace_isIncomplete() {
        Exploration e = new Explorer().explore(DfsModels.points(2, 1, 1), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED),
                new Budget(209, null));

        assertThat(e.executions()).isEqualTo(209);
        assertThat(e.complete()).isFalse();
    }

    @Test
    void dfs_budgetExactlyTheSpace_isComplete() {
        Exploration e = new Explorer().explore(DfsModels.points(2, 1, 1), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED),
                new Budget(210, null));

        assertThat(e.complete()).isTrue();
    }

    @Test
    void dfs_raceNeedingOnePreemption_cleanAtZeroFoundAtOne() {
        Exploration zero = dfs(ExplorerTest::raceModel, 0, true);
        Exploration one = dfs(ExplorerTest::raceModel, 1, true);

        assertThat(zero.violated()).isFalse();
        assertThat(zero.complete()).isTrue();
        assertThat(one.violated()).isTrue();
        assertThat(one.complete()).isFalse();
    }

    @Test
    void dfs_violation_replaysExactlyFromItsSchedule() {
        Exploration e = dfs(ExplorerTest::raceModel, 2, true);

        RunResult replayed = ExplorerTest.raceModel(new ReplayChoiceSource(e.firstViolation().schedule()), true);
        assertThat(replayed.violation()).isEqualTo(e.firstViolation().violation());
        assertThat(replayed.trace().render()).isEqualTo(e.firstViolation().trace().render());
    }

    @Test
    void sleepSets_independentSteps_exploreStrictlyFewerExecutionsAndTheSameEndStates() {
        List<List<Step>> actors = List.of(
                List.of(new Step(0, true), new Step(0, false), new Step(0, true)),
                List.of(new Step(1, true), new Step(1, false), new Step(1, true)));
        Set<String> plainEnds = new TreeSet<>();
        Set<String> sleepEnds = new TreeSet<>();

        Exploration plain = dfs(DfsModels.cells(actors, 2, true, plainEnds, null), Strategy.Dfs.UNBOUNDED, false);
        Exploration sleep = dfs(DfsModels.cells(actors, 2, true, sleepEnds, null), Strategy.Dfs.UNBOUNDED, true);

        assertThat(plain.executions()).isEqualTo(DfsModels.interleavings(Integer.MAX_VALUE, 3, 3));
        assertThat(sleep.executions()).isLessThan(plain.executions());
        assertThat(sleep.complete()).isTrue();
        assertThat(sleepEnds).isEqualTo(plainEnds).hasSize(1);
    }

    @Test
    void sleepSets_undeclaredSteps_reduceNothing() {
        List<List<Step>> actors = List.of(List.of(new Step(0, true), new Step(1, true)),
                List.of(new Step(2, true), new Step(3, true)));

        long plain = dfs(DfsModels.cells(actors, 4, false), Strategy.Dfs.UNBOUNDED, false).executions();
        long sleep = dfs(DfsModels.cells(actors, 4, false), Strategy.Dfs.UNBOUNDED, true).executions();

        assertThat(sleep).isEqualTo(plain);
    }

    @Test
    void sleepSets_conflictingWrites_keepBothOrders() {
        List<List<Step>> actors = List.of(List.of(new Step(0, true)), List.of(new Step(0, true)));
        Set<String> ends = new TreeSet<>();

        dfs(DfsModels.cells(actors, 1, true, ends, null), Strategy.Dfs.UNBOUNDED, true);

        assertThat(ends).containsExactly("[15][[], []]", "[9][[], []]");
    }
    private static List<DfsModels.Op> ops(Object... kindsAndCells) {
        List<DfsModels.Op> out = new java.util.ArrayList<>();
        for (int i = 0; i < kindsAndCells.length; i += 2) {
            out.add(new DfsModels.Op((DfsModels.Kind) kindsAndCells[i], (Integer) kindsAndCells[i + 1]));
        }
        return out;
    }

    @Test
    void dpor_observedIndependentActors_runsOneExecution() {
        // Each actor writes and reads its own cell: every order is the same, one run says so.
        List<List<DfsModels.Op>> actors = List.of(
                ops(DfsModels.Kind.WRITE, 0, DfsModels.Kind.READ, 0, DfsModels.Kind.WRITE, 0),
                ops(DfsModels.Kind.WRITE, 1, DfsModels.Kind.READ, 1, DfsModels.Kind.WRITE, 1));
        DfsSearch sleep = new DfsSearch(DfsModels.ops(actors, 2, true, new TreeSet<>(), null),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.SLEEP));
        long sleepExecutions = sleep.explore(LARGE).executions();
        DfsSearch dpor = new DfsSearch(DfsModels.ops(actors, 2, true, new TreeSet<>(), null),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED));

        Exploration e = dpor.explore(LARGE);

        assertThat(e.executions()).isEqualTo(1);
        assertThat(e.complete()).isTrue();
        assertThat(dpor.prunedRuns()).isZero();
        assertThat(sleepExecutions + sleep.prunedRuns()).isGreaterThan(1);
    }

    @Test
    void dpor_observedConflictingWrites_runsBothOrders() {
        List<List<DfsModels.Op>> actors = List.of(ops(DfsModels.Kind.WRITE, 0), ops(DfsModels.Kind.WRITE, 0));
        Set<String> ends = new TreeSet<>();

        Exploration e = dfs(DfsModels.ops(actors, 1, true, ends, null), Strategy.Dfs.UNBOUNDED, Strategy.Reduction.DPOR);

        assertThat(e.executions()).isEqualTo(2);
        assertThat(ends).containsExactly("[15][[], []] Completed", "[9][[], []] Completed");
    }

    @Test
    void dpor_boundOne_reversalOverTheBound_takenAtTheSwitchBefore() {
        // The end state [3, 0, 3] read by t0 with t1 having read 0 needs t2's write between
        // t1's first read and t0's: t1, preempted by t2 (the one preemption), then t0, then t1.
        // The race t0 read / t2 write shows up where t0 already spent the preemption; only the
        // conservative branch at the switch before (t2 instead of t0 there) reaches it.
        List<List<DfsModels.Op>> actors = List.of(
                ops(DfsModels.Kind.READ, 0, DfsModels.Kind.READ, 1, DfsModels.Kind.READ, 0),
                ops(DfsModels.Kind.READ, 0, DfsModels.Kind.WRITE, 1, DfsModels.Kind.WRITE, 1),
                ops(DfsModels.Kind.WRITE, 0));
        Set<String> plain = new TreeSet<>();
        Set<String> dpor = new TreeSet<>();

        dfs(DfsModels.ops(actors, 2, true, plain, null), 1, Strategy.Reduction.NONE);
        dfs(DfsModels.ops(actors, 2, true, dpor, null), 1, Strategy.Reduction.DPOR);

        assertThat(plain).contains("[3, 16][[3, 0, 3], [0], []] Completed");
        assertThat(dpor).isEqualTo(plain);
    }

    private static Exploration dfs(Model model, int bound, Strategy.Reduction reduction) {
        return new Explorer().explore(model, new Strategy.Dfs(bound, reduction), LARGE);
    }
}
