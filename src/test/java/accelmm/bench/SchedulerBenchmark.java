package accelmm.bench;

import accelmm.sim.ChoiceSource;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the simulation kernel's scheduler, in operations per second:
 *
 * <ul>
 *   <li>{@link #switches}: actor switches. Two actors pass {@value #SWITCH_POINTS} preemption
 *       points each under a source that always picks the other actor, so almost every point
 *       hands the CPU to the other virtual thread (park/unpark).
 *   <li>{@link #sameActorSteps}: preemption points where the source is asked but the running
 *       actor keeps the CPU (two actors alive), the no-switch fast path.
 *   <li>{@link #randomWalkWithMutex}: preemption points of a seeded random walk of three actors
 *       contending on one mutex (switches, blocking and hand-off mixed).
 * </ul>
 *
 * Every run records no trace, as exploration runs do. Run: {@code bin/bench SchedulerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedulerBenchmark {

    static final int SWITCH_POINTS = 10_000;
    static final int SAME_ACTOR_POINTS = 200_000;
    static final int WALK_ITERATIONS = 2_000;
    static final int WALK_ACTORS = 3;
    /** Each walk iteration passes three points: mutex_lock, the critical section, after it. */
    static final int WALK_STEPS = WALK_ACTORS * WALK_ITERATIONS * 3;

    private long seed;

    /** Always the lowest-id actor other than the running one. */
    private static final ChoiceSource OTHER_ACTOR = new ChoiceSource() {
        @Override
        public int pickActor(SchedulingPoint point) {
            return point.candidate(0) == point.running() ? 1 : 0;
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }
    };

    /** The running actor if it can continue, otherwise the lowest id. */
    private static final ChoiceSource SAME_ACTOR = new ChoiceSource() {
        @Override
        public int pickActor(SchedulingPoint point) {
            return point.running() == null ? 0 : point.indexOf(point.running());
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }
    };

    /**
     * Switches: each of the 2 × {@value #SWITCH_POINTS} points switches while both actors are
     * alive, all but the last one or two; counted as 2 × {@value #SWITCH_POINTS}.
     */
    @Benchmark
    @OperationsPerInvocation(2 * SWITCH_POINTS)
    public long switches() {
        Simulation sim = new Simulation(OTHER_ACTOR, false, Long.MAX_VALUE);
        for (String name : new String[] {"ping", "pong"}) {
            sim.spawn(name, () -> {
                for (int i = 0; i < SWITCH_POINTS; i++) {
                    sim.preemptionPoint("volley");
                }
            });
        }
        return completed(sim);
    }

    /** Steps with a decision but no switch: the first actor runs all its points while the second waits. */
    @Benchmark
    @OperationsPerInvocation(SAME_ACTOR_POINTS)
    public long sameActorSteps() {
        Simulation sim = new Simulation(SAME_ACTOR, false, Long.MAX_VALUE);
        sim.spawn("runner", () -> {
            for (int i = 0; i < SAME_ACTOR_POINTS; i++) {
                sim.preemptionPoint("step");
            }
        });
        sim.spawn("bystander", () -> { });
        return completed(sim);
    }

    /** Steps of a random walk; a new seed each invocation, the same sequence of seeds each trial. */
    @Benchmark
    @OperationsPerInvocation(WALK_STEPS)
    public long randomWalkWithMutex() {
        Simulation sim = new Simulation(new RandomChoiceSource(seed++), false, Long.MAX_VALUE);
        Mutex mutex = new Mutex(sim, "m", new LockClass("m"));
        long[] counter = {0};
        for (int a = 0; a < WALK_ACTORS; a++) {
            sim.spawn("walker" + a, () -> {
                for (int i = 0; i < WALK_ITERATIONS; i++) {
                    mutex.lock();
                    sim.preemptionPoint("critical section");
                    counter[0]++;
                    mutex.unlock();
                    sim.preemptionPoint("outside");
                }
            });
        }
        long steps = completed(sim);
        if (steps != WALK_STEPS || counter[0] != (long) WALK_ACTORS * WALK_ITERATIONS) {
            throw new IllegalStateException("walk passed " + steps + " points, expected " + WALK_STEPS);
        }
        return steps;
    }

    /** Runs {@code sim}, insists that it completed, and returns its step count for JMH to consume. */
    private static long completed(Simulation sim) {
        Outcome outcome = sim.run();
        if (!(outcome instanceof Outcome.Completed)) {
            throw new IllegalStateException("benchmark run ended " + outcome);
        }
        return sim.steps();
    }
}
