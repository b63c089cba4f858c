package accelmm.check;

import static accelmm.check.DfsModels.Step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link Strategy.Dfs} cut into {@link DfsTask}s and run on several threads: the same
 * executions, counts, coverage and counterexample as on one thread, with no execution run twice
 * or left out.
 */
class ParallelDfsTest {

    /** Three actors writing and reading two cells: hundreds of executions, so many hand-overs. */
    private static final List<List<Step>> ACTORS = List.of(
            List.of(new Step(0, true), new Step(1, false), new Step(0, true)),
            List.of(new Step(1, true), new Step(0, false), new Step(1, true)),
            List.of(new Step(0, false), new Step(1, true), new Step(0, false)));

    private static Exploration dfs(Model model, Strategy.Dfs strategy, Budget budget) {
        return new Explorer().explore(model, strategy, budget);
    }

    private static void assertSame(Exploration a, Exploration b) {
        assertThat(b.violated()).isEqualTo(a.violated());
        assertThat(b.executions()).isEqualTo(a.executions());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.coverage()).isEqualTo(a.coverage());
        if (a.violated()) {
            assertThat(b.firstViolation().schedule()).isEqualTo(a.firstViolation().schedule());
            assertThat(b.firstViolation().trace().render()).isEqualTo(a.firstViolation().trace().render());
        }
    }

    @Test
    void jobs_unboundedDfsWithoutSleepSets_runsEveryInterleavingExactlyOnce() {
        // 3 actors of 3 points each: 369,600 interleavings would be too many; 2 points each: 1,680.
        Set<String> seen = new TreeSet<>();
        List<String> all = new ArrayList<>();
        Model model = (choices, trace) -> {
            RunResult r = DfsModels.points(2, 2, 2).execute(choices, trace);
            synchronized (all) {
                all.add(r.schedule().token());
                seen.add(r.schedule().token());
            }
            return r;
        };
        Exploration e = dfs(model, new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, false), new Budget(100_000, null).withJobs(3));
        assertThat(e.executions()).isEqualTo(DfsModels.interleavings(Integer.MAX_VALUE, 2, 2, 2)).isEqualTo(1_680);
        assertThat(e.executions()).isGreaterThan(10L * DfsTask.DONATE_EVERY);
        assertThat(e.complete()).isTrue();
        assertThat(all).hasSize(1_680);
        assertThat(seen).as("no schedule twice").hasSize(1_680);
    }

    @Test
    void jobs_cleanSearch_sameCountsAndCoverageForEveryN() {
        for (int bound : new int[] {2, 3, Strategy.Dfs.UNBOUNDED}) {
            Strategy.Dfs s = new Strategy.Dfs(bound);
            Budget budget = new Budget(100_000, null);
            Exploration one = dfs(DfsModels.cells(ACTORS, 2, true), s, budget);
            assertThat(one.complete()).as(s.describe()).isTrue();
            assertThat(one.executions()).as(s.describe()).isGreaterThan(3L * DfsTask.DONATE_EVERY);
            for (int jobs : new int[] {2, 3, 8}) {
                assertSame(one, dfs(DfsModels.cells(ACTORS, 2, true), s, budget.withJobs(jobs)));
            }
        }
    }

    @Test
    void jobs_violationLateInTheSearch_sameExecutionAndScheduleForEveryN() {
        // The end state the search reaches last is the violation: every earlier part must run.
        List<String> order = new ArrayList<>();
        Model recording = (choices, trace) -> {
            TreeSet<String> ends = new TreeSet<>();
            RunResult r = DfsModels.cells(ACTORS, 2, true, ends, null).execute(choices, trace);
            if (!order.contains(ends.first())) {
                order.add(ends.first());
            }
            return r;
        };
        Strategy.Dfs s = new Strategy.Dfs(2);
        dfs(recording, s, new Budget(100_000, null));
        String last = order.get(order.size() - 1);
        Exploration one = dfs(DfsModels.cells(ACTORS, 2, true, new TreeSet<>(), last), s, new Budget(100_000, null));
        assertThat(one.violated()).isTrue();
        assertThat(one.executions()).isGreaterThan(3L * DfsTask.DONATE_EVERY);
        for (int jobs : new int[] {2, 4}) {
            Model model = DfsModels.cells(ACTORS, 2, true, java.util.Collections.synchronizedSet(new TreeSet<>()), last);
            assertSame(one, dfs(model, s, new Budget(100_000, null).withJobs(jobs)));
        }
    }

    @Test
    void jobs_budgetCutsTheSearch_theSameFirstExecutionsForEveryN() {
        Strategy.Dfs s = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED);
        long space = dfs(DfsModels.cells(ACTORS, 2, true), s, new Budget(100_000, null)).executions();
        for (long max : new long[] {1, DfsTask.DONATE_EVERY + 1, space / 2, space - 1, space}) {
            Budget budget = new Budget(max, null);
            Exploration one = dfs(DfsModels.cells(ACTORS, 2, true), s, budget);
            assertThat(one.executions()).isEqualTo(max);
            assertThat(one.complete()).as("budget %d of %d", max, space).isEqualTo(max == space);
            for (int jobs : new int[] {2, 5}) {
                assertSame(one, dfs(DfsModels.cells(ACTORS, 2, true), s, budget.withJobs(jobs)));
            }
        }
    }

    @Test
    void handOvers_keepTheOrderOfOneUncutSearch() {
        // Without sleep sets nothing is lost at a hand-over: the executions, in order, are those
        // of one search that never hands over, so the first violation is the same one.
        List<List<String>> runs = new ArrayList<>();
        for (int donateEvery : new int[] {Integer.MAX_VALUE, 1, 7, DfsTask.DONATE_EVERY}) {
            List<String> tokens = new ArrayList<>();
            Model model = (choices, trace) -> {
                RunResult r = DfsModels.points(2, 2, 1).execute(choices, trace);
                tokens.add(r.schedule().token());
                return r;
            };
            Exploration e = new DfsSearch(model, new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, false), donateEvery)
                    .explore(new Budget(100_000, null));
            assertThat(e.executions()).isEqualTo(DfsModels.interleavings(Integer.MAX_VALUE, 2, 2, 1));
            runs.add(tokens);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat(runs.get(3)).isEqualTo(runs.get(0));
    }

    @Test
    void jobs_handOvers_loseNoEndStateOfTheUncutPlainSearch() {
        Set<String> plain = new TreeSet<>();
        Set<String> cut = java.util.Collections.synchronizedSet(new TreeSet<>());
        dfs(DfsModels.cells(ACTORS, 2, true, plain, null), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, false),
                new Budget(1_000_000, null));
        dfs(DfsModels.cells(ACTORS, 2, true, cut, null), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, true),
                new Budget(1_000_000, null).withJobs(2));
        assertThat(cut).isEqualTo(plain);
    }

    @Test
    void jobs_dpor_sameCountsCoverageAndEndStatesForOneTwoAndFourThreads() {
        // Observed footprints, a mutex, a completion and a data choice; hand-overs every 4
        // executions, so that races found below a hand-over come back as requested tasks.
        List<List<DfsModels.Op>> actors = List.of(
                List.of(new DfsModels.Op(DfsModels.Kind.WRITE, 0), new DfsModels.Op(DfsModels.Kind.READ, 1),
                        new DfsModels.Op(DfsModels.Kind.COMPLETE, 0)),
                List.of(new DfsModels.Op(DfsModels.Kind.LOCKED_WRITE, 1), new DfsModels.Op(DfsModels.Kind.READ, 0),
                        new DfsModels.Op(DfsModels.Kind.CHOOSE, 1)),
                List.of(new DfsModels.Op(DfsModels.Kind.WAIT, 0), new DfsModels.Op(DfsModels.Kind.LOCKED_WRITE, 0)));
        for (int bound : new int[] {1, 2, Strategy.Dfs.UNBOUNDED}) {
            Strategy.Dfs s = new Strategy.Dfs(bound);
            Set<String> plainEnds = new TreeSet<>();
            dfs(DfsModels.ops(actors, 2, true, plainEnds, null), new Strategy.Dfs(bound, Strategy.Reduction.NONE),
                    new Budget(1_000_000, null));
            Set<String> oneEnds = new TreeSet<>();
            DfsSearch oneSearch = new DfsSearch(DfsModels.ops(actors, 2, true, oneEnds, null), s, 4);
            Exploration one = oneSearch.explore(new Budget(1_000_000, null));
            assertThat(one.complete()).as(s.describe()).isTrue();
            assertThat(oneEnds).as(s.describe()).containsAll(plainEnds);
            assertThat(oneSearch.tasksCreated()).as(s.describe()).isGreaterThan(10);
            for (int jobs : new int[] {2, 4}) {
                Set<String> ends = java.util.Collections.synchronizedSet(new TreeSet<>());
                DfsSearch search = new DfsSearch(DfsModels.ops(actors, 2, true, ends, null), s, 4);
                assertSame(one, search.explore(new Budget(1_000_000, null).withJobs(jobs)));
                assertThat(search.tasksCreated()).isEqualTo(oneSearch.tasksCreated());
                assertThat(search.prunedRuns()).isEqualTo(oneSearch.prunedRuns());
                assertThat(ends).isEqualTo(oneEnds);
            }
        }
    }

    @Test
    void jobs_modelBugInALaterPart_reportedAsWithOneJob() {
        Model buggy = (choices, trace) -> {
            RunResult r = DfsModels.points(2, 2, 2).execute(choices, trace);
            if (r.schedule().token().hashCode() % 97 == 5) {
                throw new ModelBugException("bug in " + r.schedule().token(), null);
            }
            return r;
        };
        Strategy.Dfs s = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, false);
        String message = null;
        try {
            dfs(buggy, s, new Budget(100_000, null));
        } catch (ModelBugException e) {
            message = e.getMessage();
        }
        assertThat(message).isNotNull();
        for (int jobs : new int[] {2, 4}) {
            assertThatThrownBy(() -> dfs(buggy, s, new Budget(100_000, null).withJobs(jobs))).hasMessage(message);
        }
    }
}
