package accelmm.check;

/**
 * The result of exploring one design combination: the first violating execution found (with
 * its schedule), or none; how many executions and steps were explored, with which strategy.
 */
public record Exploration(RunResult firstViolation, long executions, long steps, String strategy,
        long elapsedNanos) {

    public boolean violated() {
        return firstViolation != null;
    }
}
