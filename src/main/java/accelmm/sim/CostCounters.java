package accelmm.sim;

/**
 * The cost counters of one execution: one slot per {@link Cost}. Model code counts an event with
 * {@link #count(Cost)} where it happens; that is an array increment and nothing more, because it
 * lies on the explorer's hot path. A finished run hands out a {@link #snapshot()}.
 */
public final class CostCounters {

    private static final Cost[] COSTS = Cost.values();

    private final long[] counts;

    public CostCounters() {
        this(new long[COSTS.length]);
    }

    private CostCounters(long[] counts) {
        this.counts = counts;
    }

    /** Counts one event. */
    public void count(Cost cost) {
        counts[cost.ordinal()]++;
    }

    /** Counts {@code n} events at once (a range of pages, say). */
    public void count(Cost cost, long n) {
        counts[cost.ordinal()] += n;
    }

    /** How many events of {@code cost} were counted. */
    public long get(Cost cost) {
        return counts[cost.ordinal()];
    }

    /** An independent copy of the counts now. */
    public CostCounters snapshot() {
        return new CostCounters(counts.clone());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Cost cost : COSTS) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(cost.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(counts[cost.ordinal()]);
        }
        return s.append('}').toString();
    }
}
