package accelmm.check;

/**
 * The result of exploring one design combination: the first violating execution found (with
 * its schedule), or none; how many executions and steps were explored, with which strategy;
 * and what that covered ({@link Coverage}): a sample, or a systematic search that did or did
 * not exhaust its space.
 *
 * <p>{@code violationIndex}: the 0-based index of the violating execution in the order an
 * unsharded run explores them (-1 without a violation). It is {@code executions - 1} except for
 * a {@link Shard} of a sampling search, which runs only some indices.
 */
public record Exploration(RunResult firstViolation, long executions, long steps, String strategy,
        long elapsedNanos, Coverage coverage, long violationIndex) {

    /** A sampling exploration (random walks, PCT): no claim of completeness. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, new Coverage.Sampled());
    }

    /** An unsharded exploration: the violation, if any, is the last execution. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage,
                firstViolation == null ? -1 : executions - 1);
    }

    public Exploration {
        if (coverage == null) {
            throw new IllegalArgumentException("coverage is required");
        }
    }

    public boolean violated() {
        return firstViolation != null;
    }

    /** Whether a systematic search exhausted its space: no violation exists within its bound. */
    public boolean complete() {
        return coverage instanceof Coverage.Systematic s && s.complete();
    }
}
