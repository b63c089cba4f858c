package accelmm.check;

import java.time.Duration;

/**
 * How much exploring one design combination may do: at most {@code maxExecutions} executions
 * and, if {@code maxTime} is set, no new execution after that much wall-clock time. A time limit
 * makes how far the search got depend on the machine; the execution limit alone does not.
 */
public record Budget(long maxExecutions, Duration maxTime) {

    /** The default: 2,000 executions, no time limit. */
    public static final Budget DEFAULT = new Budget(2_000, null);

    public Budget {
        if (maxExecutions < 1) {
            throw new IllegalArgumentException("at least one execution");
        }
    }
}
