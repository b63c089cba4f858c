package accelmm.check;

import accelmm.sim.CostCounters;

/**
 * What the executions of one design combination cost: the counters of its first execution (the
 * one numbered 1 in the explorer's deterministic order) and the least and the most of each
 * counter over every execution explored. Built by adding executions in that order; adding the
 * summary of a later part of the order ({@link #addAll}) gives what adding its executions one by
 * one would, so a result does not depend on how many threads explored it.
 *
 * <p>Adding a run compares its counters with the least and the most so far in place: no
 * allocation but the copies kept of the first run.
 */
public final class CostSummary {

    private CostCounters first;
    private CostCounters min;
    private CostCounters max;

    /** No execution yet: every count reads zero. */
    public CostSummary() {
    }

    /** The summary with these counters (read back from a report); {@code first} of no executions is all zeros. */
    public static CostSummary of(CostCounters first, CostCounters min, CostCounters max) {
        CostSummary s = new CostSummary();
        s.first = first.snapshot();
        s.min = min.snapshot();
        s.max = max.snapshot();
        return s;
    }

    /** Adds one execution's counters, the next in order. */
    public void add(CostCounters run) {
        if (first == null) {
            first = run.snapshot();
            min = run.snapshot();
            max = run.snapshot();
            return;
        }
        min.keepLowest(run);
        max.keepHighest(run);
    }

    /** Adds the executions summed up in {@code later}, which come after this summary's in order. */
    public void addAll(CostSummary later) {
        if (later.first == null) {
            return;
        }
        if (first == null) {
            first = later.first.snapshot();
            min = later.min.snapshot();
            max = later.max.snapshot();
            return;
        }
        min.keepLowest(later.min);
        max.keepHighest(later.max);
    }

    /** An independent copy. */
    public CostSummary copy() {
        CostSummary s = new CostSummary();
        s.addAll(this);
        return s;
    }

    /** Whether no execution was added. */
    public boolean isEmpty() {
        return first == null;
    }

    /** The first execution's counters (all zero without one); a copy. */
    public CostCounters first() {
        return first == null ? new CostCounters() : first.snapshot();
    }

    /** The least of each counter over the executions (all zero without one); a copy. */
    public CostCounters min() {
        return min == null ? new CostCounters() : min.snapshot();
    }

    /** The most of each counter over the executions (all zero without one); a copy. */
    public CostCounters max() {
        return max == null ? new CostCounters() : max.snapshot();
    }

    @Override
    public String toString() {
        return "first " + first() + ", min " + min() + ", max " + max();
    }
}
