package accelmm.sim;

/**
 * The cost counters of one execution: one slot per {@link Cost}. Model code counts an event with
 * {@link #count(Cost)} where it happens; that is an array increment and nothing more, because it
 * lies on the explorer's hot path. A finished run hands its counters over to the
 * explorer (the simulation is discarded with nothing left to count).
 */
public final class CostCounters implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

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

    /**
     * Lowers each count to {@code other}'s where that is lower (the least of each counter over
     * runs); whether some count changed.
     */
    public boolean keepLowest(CostCounters other) {
        boolean changed = false;
        for (int i = 0; i < counts.length; i++) {
            if (other.counts[i] < counts[i]) {
                counts[i] = other.counts[i];
                changed = true;
            }
        }
        return changed;
    }

    /**
     * Raises each count to {@code other}'s where that is higher (the most of each counter over
     * runs); whether some count changed.
     */
    public boolean keepHighest(CostCounters other) {
        boolean changed = false;
        for (int i = 0; i < counts.length; i++) {
            if (other.counts[i] > counts[i]) {
                counts[i] = other.counts[i];
                changed = true;
            }
        }
        return changed;
    }

    /** The stable name of {@code cost} in reports and JSON: the enum's name in lower case ({@code page_pinned}). */
    public static String nameOf(Cost cost) {
        return cost.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Cost cost : COSTS) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(nameOf(cost)).append('=').append(counts[cost.ordinal()]);
        }
        return s.append('}').toString();
    }
}
