package accelmm.check;

/**
 * Hears how far the exploration of one combination got, for a progress line. The explorer calls
 * it from one thread at a time, every so many executions; it must not affect the search.
 */
public interface Progress {

    /** How many random probes of the search tree an {@link #estimate} averages (Knuth's method). */
    int ESTIMATE_PROBES = SearchEstimate.PROBES;

    /** Nothing: the default. */
    Progress NONE = new Progress() {
        @Override
        public void update(Model model, String phase, long executions) {
        }

        @Override
        public void finished(Model model) {
        }
    };

    /**
     * {@code executions} of {@code model} explored so far; {@code phase} says what covered them,
     * e.g. "dfs" or "random+pct".
     */
    void update(Model model, String phase, long executions);

    /**
     * Before a long exhaustive search ({@code phase}) of {@code model}: its estimated number of
     * executions, an upper bound when {@code upperBound} (a reduced search runs fewer).
     */
    default void estimate(Model model, String phase, double executions, boolean upperBound) {
    }

    /**
     * Whether the listener shows how large an exhaustive search is while it runs ({@link
     * #expect}): the explorer then probes every DFS for an estimate, which costs executions.
     */
    default boolean showsEstimates() {
        return false;
    }

    /**
     * The exhaustive search of {@code model} about to run is expected to run {@code executions}
     * (Knuth's estimate, capped at the budget; an upper bound when {@code upperBound}).
     */
    default void expect(Model model, double executions, boolean upperBound) {
    }

    /** The exploration of {@code model} ended. */
    void finished(Model model);
}
