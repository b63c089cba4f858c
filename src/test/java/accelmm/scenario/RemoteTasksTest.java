package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.RemoteTasks;
import accelmm.check.RemoteTasks.Found;
import accelmm.check.Strategy;
import accelmm.sim.Deadline;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A search whose work travels as bytes to "another JVM" (here: a model rebuilt from its description
 * and a task decoded from its bytes, on other threads) gives the search it gives on one thread:
 * the same executions, steps, pruned runs, coverage, costs and violating schedule. Tasks that
 * cannot travel, or fail there, run here instead, to the same result.
 */
class RemoteTasksTest {

    /**
     * Runs each task "elsewhere": the model built anew from {@link ScenarioModel#portable} (its
     * scenario looked up by fingerprint in the catalog), the task and its outcome as bytes.
     * {@code refuseEvery}: every so many calls nothing could run it (0: never).
     */
    private static final class Loopback implements RemoteTasks {
        final AtomicInteger calls = new AtomicInteger();
        final int refuseEvery;

        Loopback(int refuseEvery) {
            this.refuseEvery = refuseEvery;
        }

        @Override
        public int slots() {
            return 3;
        }

        @Override
        public byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found,
                Deadline cancelled) {
            int n = calls.incrementAndGet();
            if (refuseEvery > 0 && n % refuseEvery == 0) {
                throw new UncheckedIOException(new java.io.IOException("no member left to run it"));
            }
            ScenarioModel rebuilt = ScenarioModel.fromPortable(model, RemoteTasksTest::catalogScenario);
            return RemoteTasks.runHere(rebuilt, task, maxExecutions, cancelled, stream(n, found));
        }
    }

    /**
     * How the events reach the search, by call: some calls pass none (the outcome brings them),
     * some each twice, some in the order they came, and some holding one back until the next.
     */
    private static Found stream(int call, Found found) {
        return switch (call % 4) {
            case 0 -> Found.NONE;
            case 1 -> (seq, event) -> {
                found.found(seq, event);
                found.found(seq, event);
            };
            case 2 -> found;
            default -> new Found() {
                private int heldSeq = -1;
                private byte[] held;

                @Override
                public void found(int seq, byte[] event) {
                    if (held == null) {
                        heldSeq = seq;
                        held = event;
                        return;
                    }
                    found.found(seq, event);
                    found.found(heldSeq, held);
                    held = null;
                }
            };
        };
    }

    /** The catalog scenario with {@code fingerprint}, or null: how "the other JVM" finds a text. */
    static Scenario catalogScenario(String fingerprint) {
        return Catalog.entries().stream().map(Catalog.Entry::scenario).filter(s -> s.fingerprint().equals(fingerprint))
                .findFirst().orElse(null);
    }

    static Stream<Arguments> searches() {
        return Stream.of(
                Arguments.of("userptr-munmap-race", new Strategy.Dfs(2), 0),
                Arguments.of("userptr-munmap-race", new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.DPOR, false), 0),
                Arguments.of("vm-teardown-leak", new Strategy.Dfs(2), 0),
                Arguments.of("prime-rdma-import-eviction", new Strategy.Dfs(2), 0),
                Arguments.of("accel-rdma-mr-outlives-exporter", new Strategy.Dfs(3), 0),
                Arguments.of("uacce-dma-map-fork", new Strategy.Dfs(2, Strategy.Reduction.SLEEP), 0),
                Arguments.of("userptr-munmap-race", new Strategy.Dfs(2), 4));
    }

    @ParameterizedTest(name = "{0} {1} refusing every {2}")
    @MethodSource("searches")
    void dfs_tasksRunElsewhere_sameSearchAsOneThread(String name, Strategy.Dfs dfs, int refuseEvery) {
        Scenario scenario = Catalog.find(name).scenario();
        Budget budget = new Budget(20_000, null);
        Loopback loopback = new Loopback(refuseEvery);

        List<ScenarioChecker.CombinationResult> here = ScenarioChecker.check(scenario, dfs, budget);
        List<ScenarioChecker.CombinationResult> there = ScenarioChecker.check(scenario, dfs, budget.withRemote(loopback));

        assertThat(loopback.calls.get()).as("tasks sent elsewhere").isGreaterThan(1);
        assertSameExploration(name, here, there);
    }

    static Stream<Arguments> samplings() {
        return Stream.of(
                Arguments.of("userptr-munmap-race", new Strategy.RandomWalk(7), 3000, 0),
                Arguments.of("userptr-munmap-race", new Strategy.Pct(3, 2), 3000, 0),
                Arguments.of("vm-teardown-leak", new Strategy.Mixed(1), 1000, 0),
                Arguments.of("accel-rdma-mr-outlives-exporter", new Strategy.Mixed(5), 2000, 3),
                Arguments.of("prime-rdma-import-eviction", new Strategy.Auto(1, 2, Strategy.Reduction.DPOR), 10_000, 0),
                Arguments.of("userptr-munmap-race", new Strategy.Auto(2, 2, Strategy.Reduction.DPOR), 10_000, 5));
    }

    /**
     * Sampling strategies, and auto's two parts, send chunks of consecutive executions
     * elsewhere: the same executions counted, the same first violation, steps and costs.
     */
    @ParameterizedTest(name = "{0} {1} {2} executions refusing every {3}")
    @MethodSource("samplings")
    void sampling_chunksRunElsewhere_sameExplorationAsOneThread(String name, Strategy strategy, int executions,
            int refuseEvery) {
        Scenario scenario = Catalog.find(name).scenario();
        Budget budget = new Budget(executions, null);
        Loopback loopback = new Loopback(refuseEvery);

        List<ScenarioChecker.CombinationResult> here = ScenarioChecker.check(scenario, strategy, budget);
        List<ScenarioChecker.CombinationResult> there = ScenarioChecker.check(scenario, strategy,
                budget.withRemote(loopback));

        assertThat(loopback.calls.get()).as("work sent elsewhere").isGreaterThan(1);
        assertSameExploration(name, here, there);
    }

    private static void assertSameExploration(String name, List<ScenarioChecker.CombinationResult> here,
            List<ScenarioChecker.CombinationResult> there) {
        assertThat(there).hasSameSizeAs(here);
        for (int i = 0; i < here.size(); i++) {
            Exploration a = here.get(i).exploration();
            Exploration b = there.get(i).exploration();
            String what = name + " " + here.get(i).designs();
            assertThat(b.executions()).as(what).isEqualTo(a.executions());
            assertThat(b.steps()).as(what).isEqualTo(a.steps());
            assertThat(b.prunedRuns()).as(what).isEqualTo(a.prunedRuns());
            assertThat(b.coverage()).as(what).isEqualTo(a.coverage());
            assertThat(b.costs().toString()).as(what).isEqualTo(a.costs().toString());
            assertThat(b.violated()).as(what).isEqualTo(a.violated());
            if (a.violated()) {
                assertThat(b.firstViolation().schedule()).as(what).isEqualTo(a.firstViolation().schedule());
                assertThat(there.get(i).counterexample().schedule()).as(what)
                        .isEqualTo(here.get(i).counterexample().schedule());
            }
        }
    }

    /** The model's description names its scenario, combination, step limit and footprints. */
    @ParameterizedTest
    @MethodSource("combinations")
    void portable_rebuilt_describesTheSameModel(Map<DesignKey, String> combination) {
        Scenario scenario = Catalog.find("userptr-munmap-race").scenario();
        ScenarioModel model = new ScenarioModel(scenario, combination, 777).withObservedFootprints(false);

        ScenarioModel rebuilt = ScenarioModel.fromPortable(model.portable(), RemoteTasksTest::catalogScenario);

        assertThat(rebuilt.scenario().fingerprint()).isEqualTo(scenario.fingerprint());
        assertThat(rebuilt.combination()).isEqualTo(combination);
        assertThat(rebuilt.observesFootprints()).isFalse();
        assertThat(rebuilt.portable()).isEqualTo(model.portable());
    }

    static Stream<Map<DesignKey, String>> combinations() {
        return ScenarioChecker.combinations(Catalog.find("userptr-munmap-race").scenario()).stream();
    }
}
