package accelmm.check;

import accelmm.sim.CostCounters;

/**
 * What the executions of one design combination cost. The executions that ran to their end are
 * kept apart from those cut short (the run that broke an invariant, which stops there, or that
 * reached the step limit): a cut-short run skipped the rest of the scenario, the processes'
 * teardown with it, so it is not what the design costs. The summary holds the counters of the
 * first execution that ran to its end (in the explorer's deterministic order) and the least and
 * the most of each counter over those executions; and, for when none ran to its end, the counters
 * of the first run cut short, which reports show marked as such ({@link #ranToEnd()}).
 *
 * <p>Built by adding executions in that order; adding the summary of a later part of the order
 * ({@link #addAll}) gives what adding its executions one by one would, so a result does not
 * depend on how many threads explored it.
 *
 * <p>Adding a run compares its counters with the least and the most so far in place: the first
 * run is kept as it is handed over (the caller hands over counters nothing writes any more), and
 * the least and the most are copied from it only when a second run comes.
 */
public final class CostSummary implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The first execution that ran to its end; or null. */
    private CostCounters first;
    /** The least and most over the executions that ran to their end; null while there is one: {@link #first}. */
    private CostCounters min;
    private CostCounters max;
    /** The first execution cut short; or null. */
    private CostCounters firstCutShort;

    /** No execution yet. */
    public CostSummary() {
    }

    /** The summary of executions that ran to their end, with these counters (read back from a report). */
    public static CostSummary ranToEnd(CostCounters first, CostCounters min, CostCounters max) {
        CostSummary s = new CostSummary();
        s.first = first.snapshot();
        s.min = min.snapshot();
        s.max = max.snapshot();
        return s;
    }

    /** The summary of one execution cut short, with these counters (read back from a report). */
    public static CostSummary cutShort(CostCounters run) {
        CostSummary s = new CostSummary();
        s.firstCutShort = run.snapshot();
        return s;
    }

    /**
     * Adds one execution's counters, the next in order; {@code ranToEnd}: whether it ran to its
     * end rather than stopping at a violation or the step limit. The summary keeps {@code run}
     * itself when it is the first of its kind: nothing may write it afterwards. Whether the
     * summary changed.
     */
    public boolean add(CostCounters run, boolean ranToEnd) {
        if (!ranToEnd) {
            if (firstCutShort != null) {
                return false;
            }
            firstCutShort = run;
            return true;
        }
        if (first == null) {
            first = run;
            return true;
        }
        ownRange();
        return min.keepLowest(run) | max.keepHighest(run);
    }

    /** Adds the executions summed up in {@code later}, which come after this summary's in order. */
    public void addAll(CostSummary later) {
        if (firstCutShort == null && later.firstCutShort != null) {
            firstCutShort = later.firstCutShort.snapshot();
        }
        if (later.first == null) {
            return;
        }
        if (first == null) {
            first = later.first.snapshot();
            min = later.min == null ? null : later.min.snapshot();
            max = later.max == null ? null : later.max.snapshot();
            return;
        }
        ownRange();
        min.keepLowest(later.lowest());
        max.keepHighest(later.highest());
    }

    /** An independent copy. */
    public CostSummary copy() {
        CostSummary s = new CostSummary();
        s.addAll(this);
        return s;
    }

    /** Whether no execution was added (neither one that ran to its end nor one cut short). */
    public boolean isEmpty() {
        return first == null && firstCutShort == null;
    }

    /**
     * Whether the counters shown ({@link #first()}, {@link #min()}, {@link #max()}) are of
     * executions that ran to their end: false when every execution was cut short (or none ran).
     */
    public boolean ranToEnd() {
        return first != null;
    }

    /**
     * The counters of the first execution that ran to its end; without one, of the first cut
     * short; all zero without either. A copy.
     */
    public CostCounters first() {
        return shown(first);
    }

    /** The least of each counter over the executions that ran to their end (else as {@link #first()}); a copy. */
    public CostCounters min() {
        return shown(lowest());
    }

    /** The most of each counter over the executions that ran to their end (else as {@link #first()}); a copy. */
    public CostCounters max() {
        return shown(highest());
    }

    /** Gives the least and the most their own counters, copied from the first run's, before they move. */
    private void ownRange() {
        if (min == null) {
            min = first.snapshot();
            max = first.snapshot();
        }
    }

    private CostCounters lowest() {
        return min == null ? first : min;
    }

    private CostCounters highest() {
        return max == null ? first : max;
    }

    private CostCounters shown(CostCounters ofRunsToTheirEnd) {
        if (ofRunsToTheirEnd != null) {
            return ofRunsToTheirEnd.snapshot();
        }
        return firstCutShort == null ? new CostCounters() : firstCutShort.snapshot();
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "no execution";
        }
        String counts = "first " + first() + ", min " + min() + ", max " + max();
        return ranToEnd() ? counts : "cut short: " + first();
    }
}
