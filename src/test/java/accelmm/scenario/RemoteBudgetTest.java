package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Explorer;
import accelmm.check.Model;
import accelmm.check.RemoteTasks;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Work sent elsewhere runs little more than the search can count: a task past {@code
 * --executions}, after a violation earlier in the order, or after the user stopped the search is
 * cut short (given no more executions than can count, and cancelled), and a task gets no more
 * time than the deadline has left.
 */
class RemoteBudgetTest {

    /** Runs the work "elsewhere" (a model rebuilt from its description), counting every run made there. */
    private static final class Counting implements RemoteTasks {
        final AtomicLong runsThere = new AtomicLong();
        final AtomicLong mostNanosGiven = new AtomicLong();

        @Override
        public int slots() {
            return 2;
        }

        @Override
        public byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found,
                Deadline cancelled) {
            mostNanosGiven.accumulateAndGet(nanosLeft, Math::max);
            ScenarioModel rebuilt = ScenarioModel.fromPortable(model, RemoteTasksTest::catalogScenario);
            Model counting = new Model() {
                @Override
                public RunResult execute(ChoiceSource choices, boolean recordTrace) {
                    runsThere.incrementAndGet();
                    return rebuilt.execute(choices, recordTrace);
                }

                @Override
                public RunResult execute(ChoiceSource choices, boolean recordTrace, Deadline deadline) {
                    runsThere.incrementAndGet();
                    return rebuilt.execute(choices, recordTrace, deadline);
                }
            };
            return RemoteTasks.runHere(counting, task, maxExecutions, cancelled, found);
        }
    }

    /** Runs made elsewhere, against those of one thread (executions and pruned runs). */
    private static void assertRunsElsewhereNear(String name, Map<DesignKey, List<String>> fixed, long executions) {
        Scenario scenario = Catalog.find(name).scenario();
        Strategy.Dfs dfs = new Strategy.Dfs(3);
        Budget budget = new Budget(executions, null);
        long here = ScenarioChecker.check(scenario, fixed, dfs, budget).stream()
                .mapToLong(r -> r.exploration().executions() + r.exploration().prunedRuns()).sum();
        Counting remote = new Counting();
        ScenarioChecker.check(scenario, fixed, dfs, budget.withRemote(remote));

        // Generous: twice what one thread ran, and a hand-over's worth more.
        assertThat(remote.runsThere.get()).as("runs made elsewhere; one thread made " + here)
                .isLessThanOrEqualTo(2 * here + 32);
    }

    private static ScenarioModel importEviction() {
        return new ScenarioModel(Catalog.find("prime-rdma-import-eviction").scenario(),
                Map.of(DesignKey.named("importer").orElseThrow(), "dynamic"));
    }

    @Test
    void dfs_budgetFarBelowTheSearch_runsElsewhereLittleMoreThanTheBudget() {
        // One thread: 200 runs (2 combinations x 100); the whole search is 6,312.
        assertRunsElsewhereNear("prime-rdma-import-eviction", Map.of(), 100);
    }

    @Test
    void dfs_violationEarlyInTheOrder_runsElsewhereLittleMoreThanOneThread() {
        // One thread: the violation in execution 337, and the search ends.
        assertRunsElsewhereNear("userptr-munmap-race",
                Map.of(DesignKey.named("userptr").orElseThrow(), List.of("hmm-no-retry")), 1_000_000);
    }

    @Test
    void dfs_stoppedFromOutside_runsNothingElsewhere() {
        // The user's Ctrl-C (Budget.stop) came before the search began.
        Budget budget = new Budget(1_000_000, null).withStop(() -> true);
        Counting remote = new Counting();

        new Explorer().explore(importEviction(), new Strategy.Dfs(3), budget.withRemote(remote));

        assertThat(remote.runsThere.get()).as("runs made elsewhere after the stop").isZero();
    }

    @Test
    void dfs_deadlineWithLittleLeft_remoteTasksGetOnlyWhatIsLeft() {
        // As AutoPortfolio does: the DFS starts with the combination's deadline, 5 ms from its end.
        Deadline fiveMsLeft = new Deadline() {
            @Override
            public boolean passed() {
                return false;
            }

            @Override
            public long nanosLeft() {
                return 5_000_000;
            }
        };
        Counting remote = new Counting();

        new Explorer().explore(importEviction(), new Strategy.Dfs(3), new Budget(100, null).withRemote(remote),
                fiveMsLeft);

        assertThat(remote.mostNanosGiven.get()).as("nanoseconds a remote task was given").isEqualTo(5_000_000);
    }

    @Test
    void sampling_violationFound_chunksAfterItCancelled() {
        // One thread: hmm-no-retry breaks in its first few hundred random executions.
        Scenario scenario = Catalog.find("userptr-munmap-race").scenario();
        Map<DesignKey, List<String>> fixed = Map.of(DesignKey.named("userptr").orElseThrow(), List.of("hmm-no-retry"));
        Budget budget = new Budget(1_000_000, null);
        long here = ScenarioChecker.check(scenario, fixed, new Strategy.RandomWalk(7), budget).get(0)
                .exploration().executions();
        Counting remote = new Counting();

        ScenarioChecker.check(scenario, fixed, new Strategy.RandomWalk(7), budget.withRemote(remote));

        // The chunks in flight (2 slots, twice as many chunks of 128) at most, besides those before.
        assertThat(remote.runsThere.get()).as("runs made elsewhere; one thread made " + here)
                .isLessThanOrEqualTo(here + 4 * 128);
    }
}
