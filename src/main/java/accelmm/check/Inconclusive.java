package accelmm.check;

import accelmm.sim.Outcome;

/**
 * Why an exploration reached no verdict: neither a violation nor a clean result. An expectation
 * is never met by it, whatever it says.
 */
public sealed interface Inconclusive {

    /**
     * An execution passed the step limit without finishing: long work, a livelock or a loop
     * that never ends. The search stopped there, as it does at a violation, and the execution's
     * end was never judged.
     *
     * @param run   the execution, without a trace (it would be as long as the limit)
     * @param limit the preemption points each execution may pass
     */
    record StepLimit(RunResult run, long limit) implements Inconclusive {
    }

    /** The time budget ended before any execution finished: nothing was explored. */
    record OutOfTime() implements Inconclusive {
    }

    /** Why a search that ended at {@code run}, which passed its step limit, has no verdict. */
    public static StepLimit of(RunResult run) {
        if (!(run.outcome() instanceof Outcome.StepLimitExceeded limit)) {
            throw new IllegalArgumentException("the run did not reach the step limit: " + run.outcome());
        }
        return new StepLimit(run, limit.limit());
    }

    /** For reports: {@code step limit} or {@code out of time}. */
    default String verdict() {
        return switch (this) {
            case StepLimit s -> "step limit";
            case OutOfTime o -> "out of time";
        };
    }
}
