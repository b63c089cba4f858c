package accelmm.check;

import accelmm.sim.CostCounters;
import accelmm.sim.Deadline;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Executions of a sampling strategy run in another JVM ({@link RemoteTasks}): the owned indices
 * {@code first + p * stride} for positions {@code p} in {@code [from, to)}, as {@link Explorer}
 * numbers them. Each execution depends only on its index, the seed and the PCT range, so the
 * chunk runs there as it would here; it stops after the first that broke an invariant, reached
 * the step limit or failed (the search needs nothing past it), or at the deadline (or when the
 * search no longer needs it), checked before each execution. What comes
 * back per position: its steps and costs, and which position ended the chunk and how; the
 * search runs the ending one again here for its result (or its failure).
 */
record SamplingChunk(Strategy strategy, long first, int stride, long from, long to, long expectedPreemptible)
        implements Serializable {

    /** What a chunk ran: per position from {@code from}, its steps and costs. */
    record Outcome(long[] steps, CostCounters[] costs, int ended, Ending ending) implements Serializable {
        /** How many positions ran (the ending one included). */
        int ran() {
            return steps.length;
        }
    }

    /** How the chunk ended. */
    enum Ending {
        /** Every position ran, none ended the search. */
        NONE,
        /** Position {@code ended} broke an invariant or reached the step limit. */
        VIOLATION,
        /** Position {@code ended} failed (a model bug): it runs again here to fail here. */
        FAILED,
        /** The time ran out: positions from {@code ran()} on did not run. */
        OUT_OF_TIME
    }

    /** The index of position {@code p}. */
    long index(long p) {
        return first + p * stride;
    }

    byte[] encode() {
        return Transport.bytes(this);
    }

    /** Runs this chunk of {@code model} here until {@code deadline}: its {@link Outcome} as bytes. */
    byte[] runHere(Model model, Deadline deadline) {
        int n = (int) (to - from);
        long[] steps = new long[n];
        CostCounters[] costs = new CostCounters[n];
        for (int k = 0; k < n; k++) {
            if (deadline.passed()) {
                return Transport.bytes(new Outcome(Arrays.copyOf(steps, k), Arrays.copyOf(costs, k), -1, Ending.OUT_OF_TIME));
            }
            RunResult r;
            try {
                r = model.execute(Explorer.choicesFor(strategy, index(from + k), expectedPreemptible), false,
                        deadline);
            } catch (RuntimeException | Error e) {
                return Transport.bytes(new Outcome(Arrays.copyOf(steps, k + 1), Arrays.copyOf(costs, k + 1), k, Ending.FAILED));
            }
            if (r.outOfTime()) {
                return Transport.bytes(new Outcome(Arrays.copyOf(steps, k), Arrays.copyOf(costs, k), -1, Ending.OUT_OF_TIME));
            }
            steps[k] = r.steps();
            costs[k] = r.costs();
            if (r.violated() || r.stepLimited()) {
                return Transport.bytes(new Outcome(Arrays.copyOf(steps, k + 1), Arrays.copyOf(costs, k + 1), k, Ending.VIOLATION));
            }
        }
        return Transport.bytes(new Outcome(steps, costs, -1, Ending.NONE));
    }

    static Outcome outcome(byte[] bytes) {
        return (Outcome) Transport.object(bytes);
    }
}
