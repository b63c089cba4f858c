package accelmm.check;

/** How much of a combination's executions an {@link Exploration} covered. */
public sealed interface Coverage {

    /** Random walks or PCT: a sample of the executions, no claim of completeness. */
    record Sampled() implements Coverage {
    }

    /**
     * A depth-first search. {@code complete}: every execution with at most {@code
     * preemptionBound} preemptions ran or was shown equivalent to one that ran, so a clean
     * result means no violation within the bound. {@code boundHit}: some execution was left out
     * for its preemptions, so the result says nothing beyond the bound; a complete search that
     * never hit its bound covered every interleaving.
     *
     * @param preemptionBound {@link Strategy.Dfs#UNBOUNDED} for none
     */
    record Systematic(int preemptionBound, boolean complete, boolean boundHit) implements Coverage {

        /** For reports: "complete for 2 preemptions", "complete (every interleaving)", "incomplete". */
        public String describe() {
            if (!complete) {
                return "incomplete";
            }
            return boundHit ? "complete for " + preemptionBound + (preemptionBound == 1 ? " preemption" : " preemptions")
                    : "complete (every interleaving)";
        }
    }

    /**
     * {@link Strategy.Auto} after its DFS ran out of budget: {@code dfsExecutions} of an
     * incomplete systematic search, then a sample.
     */
    record Fallback(int preemptionBound, long dfsExecutions) implements Coverage {
    }
}
