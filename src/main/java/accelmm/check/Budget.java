package accelmm.check;

import java.time.Duration;

/**
 * How much exploring one design combination may do, and how: at most {@code maxExecutions}
 * executions and, if {@code maxTime} is set, no new execution after that much wall-clock time. A
 * time limit makes how far the search got depend on the machine; the execution limit alone does
 * not.
 *
 * <p>{@code jobs} worker threads run the executions in parallel (a DFS by parts of its search
 * tree, the sampling strategies by execution index); the result does not depend on it. {@code shard} says
 * which part of the execution indices this run explores ({@link Shard#WHOLE}: all of them).
 * {@code progress} hears how far the search got (for a progress line), {@link Progress#NONE} by
 * default.
 */
public record Budget(long maxExecutions, Duration maxTime, int jobs, Shard shard, Progress progress) {

    /**
     * The default: 10,000 executions, no time limit; enough for a DFS bounded to 2 preemptions to
     * finish on every catalog scenario (the largest needs about 4,000).
     */
    public static final Budget DEFAULT = new Budget(10_000, null);

    public Budget {
        if (maxExecutions < 1) {
            throw new IllegalArgumentException("at least one execution");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("at least one job");
        }
        if (shard == null) {
            throw new IllegalArgumentException("the shard is required (Shard.WHOLE for all)");
        }
        if (progress == null) {
            throw new IllegalArgumentException("the progress listener is required (Progress.NONE for none)");
        }
    }

    /** One job, the whole space, no progress reports. */
    public Budget(long maxExecutions, Duration maxTime) {
        this(maxExecutions, maxTime, 1, Shard.WHOLE, Progress.NONE);
    }

    public Budget withJobs(int n) {
        return new Budget(maxExecutions, maxTime, n, shard, progress);
    }

    public Budget withShard(Shard s) {
        return new Budget(maxExecutions, maxTime, jobs, s, progress);
    }

    public Budget withProgress(Progress p) {
        return new Budget(maxExecutions, maxTime, jobs, shard, p);
    }
}
