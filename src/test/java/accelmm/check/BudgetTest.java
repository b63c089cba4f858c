package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explorer's budgets: the step limit of one execution, a deadline that also ends an
 * execution under way and a shrink, {@link Strategy.Auto}'s phases within one budget, and a
 * search whose memory does not grow with its executions. Deadlines here are fakes that have or
 * have not passed: no test depends on the machine's speed.
 */
class BudgetTest {

    private static final Deadline PASSED = () -> true;

    private static final List<Strategy> STRATEGIES = List.of(new Strategy.Dfs(2), new Strategy.RandomWalk(1),
            new Strategy.Pct(1, 3), new Strategy.Mixed(1), new Strategy.Auto(1, 2));

    /**
     * Two actors of {@code points} preemption points each, touching nothing shared; each
     * execution may pass {@code maxSteps} of them and stops at the deadline it is given.
     */
    private static Model actors(int points, long maxSteps) {
        return new Model() {
            @Override
            public RunResult execute(ChoiceSource choices, boolean recordTrace) {
                return execute(choices, recordTrace, Deadline.NONE);
            }

            @Override
            public RunResult execute(ChoiceSource choices, boolean recordTrace, Deadline deadline) {
                Simulation sim = new Simulation(choices, recordTrace, maxSteps, deadline);
                for (String name : List.of("a", "b")) {
                    sim.spawn(name, () -> {
                        for (int i = 0; i < points; i++) {
                            sim.preemptionPoint(name + " " + i);
                        }
                    });
                }
                Outcome o = sim.run();
                return new RunResult(o, null, sim.schedule(), sim.trace(), sim.steps());
            }
        };
    }

    @Test
    void explore_executionPastTheStepLimit_inconclusiveNotAViolation() {
        for (Strategy s : STRATEGIES) {
            Exploration e = new Explorer().explore(actors(100, 50), s, new Budget(1_000, null));

            assertThat(e.violated()).as(s.describe()).isFalse();
            assertThat(e.conclusive()).as(s.describe()).isFalse();
            assertThat(e.inconclusive()).as(s.describe()).isInstanceOf(Inconclusive.StepLimit.class);
            assertThat(((Inconclusive.StepLimit) e.inconclusive()).limit()).isEqualTo(50);
            assertThat(e.executions()).as(s.describe()).isEqualTo(1);
            assertThat(e.violationIndex()).as(s.describe()).isZero();
        }
    }

    @Test
    void explore_deadlinePassedDuringTheFirstExecution_outOfTimeWithNothingExplored() {
        for (Strategy s : STRATEGIES) {
            Exploration e = new Explorer().explore(actors(10_000, 1_000_000), s, new Budget(1_000, null), PASSED);

            assertThat(e.inconclusive()).as(s.describe()).isEqualTo(new Inconclusive.OutOfTime());
            assertThat(e.executions()).as(s.describe()).isZero();
        }
    }

    @Test
    void auto_dfsIncompleteAndSamplingClean_spendsTheExecutionBudgetOnceInAll() {
        Exploration e = new Explorer().explore(actors(6, 1_000), new Strategy.Auto(1, 3), new Budget(100, null));

        // Slices 16 + 16 + 32 + 32, then the 4 executions left go to the DFS.
        Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
        assertThat(p.dfsExecutions()).isEqualTo(52);
        assertThat(p.samplingExecutions()).isEqualTo(48);
        assertThat(p.complete()).isFalse();
        assertThat(e.executions()).isEqualTo(100);
    }

    @Test
    void shrink_deadlinePassed_returnsTheViolationItStartedFrom() {
        Exploration found = new Explorer().explore(ExplorerTest::raceModel, new Strategy.RandomWalk(1), Budget.DEFAULT);

        Shrinker.Shrunk shrunk = new Shrinker(ExplorerTest::raceModel, 500, PASSED).shrink(found.firstViolation());

        // The replay of where it started, for its size: no candidate, no replay with a trace.
        assertThat(shrunk.executions()).isEqualTo(1);
        assertThat(shrunk.size()).isEqualTo(shrunk.original());
        assertThat(shrunk.result()).isSameAs(found.firstViolation());
    }

    @Test
    void dfs_manyExecutions_holdsOnlyTheTasksInFlight() {
        DfsSearch search = new DfsSearch(actors(8, 1_000), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, false), 4);

        Exploration e = search.explore(new Budget(10_000, null));

        assertThat(e.executions()).isEqualTo(10_000);
        assertThat(search.tasksCreated()).isGreaterThan(1_000);
        assertThat(search.peakTasksHeld()).isLessThan(100);
        assertThat(search.stepsRecorded()).as("one thread: every task settled").isZero();
    }

    @Test
    void dfs_workerThrowsAnError_searchEndsWithItInsteadOfHanging() {
        Model failing = (choices, trace) -> {
            throw new OutOfMemoryError("test heap");
        };

        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(() -> new Explorer()
                .explore(failing, new Strategy.Dfs(2), new Budget(100, null).withJobs(2)))
                .isInstanceOf(OutOfMemoryError.class));
    }
}
