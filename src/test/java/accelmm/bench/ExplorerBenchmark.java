package accelmm.bench;

import accelmm.check.RunResult;
import accelmm.scenario.Catalog;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.RandomChoiceSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of whole executions of a catalog scenario, as the explorer's random mode runs
 * them: each operation builds a fresh world and runs it under a new seed without a trace.
 * The primary score is executions per second; the {@code steps} counter is scheduler steps
 * (preemption points passed) per second. {@link #execution} runs with the JVM's default
 * virtual-thread scheduler (one carrier per core), {@link #executionOneCarrier} with the one
 * carrier {@code bin/accelmm} gives the checker, and {@link #executionOnWorker} also from a virtual
 * thread, as the explorer's sampling workers run executions.
 *
 * <p>Run: {@code bin/bench ExplorerBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExplorerBenchmark {

    @Param({"userptr-munmap-race"})
    public String scenario;

    @Param({"hmm"})
    public String userptr;

    private ScenarioModel model;
    private long seed;

    /** Scheduler steps, reported per second next to the executions. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Steps {
        public long steps;

        @Setup(Level.Iteration)
        public void clear() {
            steps = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() {
        Catalog.Entry entry = Catalog.find(scenario);
        if (entry == null) {
            throw new IllegalArgumentException("no catalog entry " + scenario);
        }
        Scenario parsed = entry.scenario();
        model = new ScenarioModel(parsed, Map.of(DesignKey.USERPTR, userptr));
        seed = 0;
    }

    /** One execution: world construction and run, random schedule, no trace. */
    @Benchmark
    public RunResult execution(Steps counter) {
        RunResult result = model.execute(new RandomChoiceSource(seed++), false);
        counter.steps += result.steps();
        return result;
    }

    /** As {@link #execution}, on one virtual-thread carrier, as {@code bin/accelmm} runs. */
    @Benchmark
    @Fork(jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
    public RunResult executionOneCarrier(Steps counter) {
        return execution(counter);
    }

    /**
     * As {@link #executionOneCarrier}, called from a virtual thread, as the explorer's sampling
     * workers call it: the run needs no hand-off from a platform thread and back.
     */
    @Benchmark
    @Fork(jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1", "-Djmh.executor=VIRTUAL"})
    public RunResult executionOnWorker(Steps counter) {
        return execution(counter);
    }
}
