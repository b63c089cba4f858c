package accelmm.check;

import accelmm.sim.Deadline;
import accelmm.sim.Simulation;
import java.time.Duration;

/**
 * How much exploring one design combination may do, and how: at most {@code maxExecutions}
 * executions in all (an {@link Strategy.Auto} search shares them between its parts) and, if
 * {@code maxTime} is set, that much wall-clock time in all, searching and shrinking: the deadline
 * also ends an execution under way. A time limit makes how far the search got depend on the
 * machine; the execution limit alone does not. Each execution may pass at most {@code maxSteps}
 * preemption points; one that passes them ends the search without a verdict ({@link
 * Inconclusive.StepLimit}).
 *
 * <p>{@code jobs} worker threads run the executions in parallel (a DFS by parts of its search
 * tree, the sampling strategies by execution index); the result does not depend on it. {@code shard} says
 * which part of the execution indices this run explores ({@link Shard#WHOLE}: all of them).
 * {@code progress} hears how far the search got (for a progress line), {@link Progress#NONE} by
 * default. {@code stop} passes when the search must end from outside (the user interrupted it):
 * it then ends as it does when its time runs out, and a combination not yet begun is not begun.
 * {@code remote}, when not null, runs a DFS's tasks in other JVMs ({@link RemoteTasks}) instead of
 * on {@code jobs} threads here; the result does not depend on it either.
 */
public record Budget(long maxExecutions, Duration maxTime, int jobs, Shard shard, Progress progress, long maxSteps,
        Deadline stop, RemoteTasks remote) {

    /**
     * The default: 10,000 executions, no time limit. {@link Strategy.Auto}'s DFS part gets 5,920
     * of them (slices of 16, 32, ... 2,048, then what is left), enough for a DFS bounded to 2
     * preemptions to complete on every catalog scenario (the largest needs about 4,400).
     */
    public static final Budget DEFAULT = new Budget(10_000, null);

    /**
     * The most worker threads offered: well above the cores of any machine this runs on, and
     * each job is a thread and a carrier of the actors' virtual threads.
     */
    public static final int MAX_JOBS = 256;

    public Budget {
        if (maxExecutions < 1) {
            throw new IllegalArgumentException("at least one execution");
        }
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("between 1 and " + MAX_JOBS + " jobs");
        }
        if (shard == null) {
            throw new IllegalArgumentException("the shard is required (Shard.WHOLE for all)");
        }
        if (progress == null) {
            throw new IllegalArgumentException("the progress listener is required (Progress.NONE for none)");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("at least one step per execution");
        }
        if (stop == null) {
            throw new IllegalArgumentException("the stop is required (Deadline.NONE for none)");
        }
    }

    /** No other JVM runs tasks. */
    public Budget(long maxExecutions, Duration maxTime, int jobs, Shard shard, Progress progress, long maxSteps,
            Deadline stop) {
        this(maxExecutions, maxTime, jobs, shard, progress, maxSteps, stop, null);
    }

    /** No stop from outside. */
    public Budget(long maxExecutions, Duration maxTime, int jobs, Shard shard, Progress progress, long maxSteps) {
        this(maxExecutions, maxTime, jobs, shard, progress, maxSteps, Deadline.NONE);
    }

    /** With the default step limit, {@link Simulation#DEFAULT_MAX_STEPS}. */
    public Budget(long maxExecutions, Duration maxTime, int jobs, Shard shard, Progress progress) {
        this(maxExecutions, maxTime, jobs, shard, progress, Simulation.DEFAULT_MAX_STEPS);
    }

    /** One job, the whole space, no progress reports. */
    public Budget(long maxExecutions, Duration maxTime) {
        this(maxExecutions, maxTime, 1, Shard.WHOLE, Progress.NONE);
    }

    public Budget withJobs(int n) {
        return new Budget(maxExecutions, maxTime, n, shard, progress, maxSteps, stop, remote);
    }

    public Budget withShard(Shard s) {
        return new Budget(maxExecutions, maxTime, jobs, s, progress, maxSteps, stop, remote);
    }

    public Budget withProgress(Progress p) {
        return new Budget(maxExecutions, maxTime, jobs, shard, p, maxSteps, stop, remote);
    }

    public Budget withMaxSteps(long n) {
        return new Budget(maxExecutions, maxTime, jobs, shard, progress, n, stop, remote);
    }

    /** The end of a time budget of {@code maxTime} starting now; {@link Deadline#NONE} for {@code null}. */
    public static Deadline deadline(Duration maxTime) {
        return WallClockDeadline.after(maxTime);
    }

    /** The end of this budget's time starting now, or its {@link #stop}, whichever comes first. */
    public Deadline deadline() {
        Deadline time = deadline(maxTime);
        if (stop == Deadline.NONE) {
            return time;
        }
        return new Deadline() {
            @Override
            public boolean passed() {
                return stop.passed() || time.passed();
            }

            @Override
            public long nanosLeft() {
                return stop.passed() ? 0 : time.nanosLeft();
            }
        };
    }

    /** This budget with {@code s} as its stop from outside. */
    public Budget withStop(Deadline s) {
        return new Budget(maxExecutions, maxTime, jobs, shard, progress, maxSteps, s, remote);
    }

    /** This budget with a DFS's tasks run by {@code r} ({@link RemoteTasks}), or here for null. */
    public Budget withRemote(RemoteTasks r) {
        return new Budget(maxExecutions, maxTime, jobs, shard, progress, maxSteps, stop, r);
    }

    /** This budget with {@code n} executions at most (at least one), the rest unchanged. */
    Budget withMaxExecutions(long n) {
        return new Budget(n, maxTime, jobs, shard, progress, maxSteps, stop, remote);
    }
}
