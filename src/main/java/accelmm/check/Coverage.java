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
     * {@link Strategy.Auto}: a DFS and sampling in alternating slices of one budget.
     *
     * @param dfs what the portfolio's DFS covered when the portfolio ended
     * @param dfsExecutions the executions of the DFS
     * @param samplingExecutions the executions of the sampling part (of this shard's indices)
     * @param foundBy the part whose execution ended the search ("pct(depth 2)", "random walk",
     *     "dfs(preemptions 2)"), or {@code null}
     * @param foundAt that execution's number within its part, from 1; 0 without one
     */
    record Portfolio(Systematic dfs, long dfsExecutions, long samplingExecutions, String foundBy, long foundAt)
            implements Coverage {

        /** Whether the DFS completed: no violation within its bound. */
        public boolean complete() {
            return dfs.complete();
        }

        /**
         * For reports, after "found in execution N of auto, " or for a clean result: "by
         * pct(depth 2) in its 6th execution; dfs(preemptions 2) ran 7 executions, incomplete",
         * "dfs complete for 2 preemptions (412 executions); sampling ran 400 executions, found none".
         */
        public String describe() {
            String sampling = "sampling ran " + executions(samplingExecutions);
            if (foundBy != null && foundBy.startsWith("dfs")) {
                return "by " + foundBy + " in its " + ordinal(foundAt) + " execution; " + sampling;
            }
            String dfsPart = dfsPart();
            if (foundBy != null) {
                return "by " + foundBy + " in its " + ordinal(foundAt) + " execution; " + dfsPart;
            }
            return dfsPart + "; " + sampling + ", found none";
        }

        private String dfsPart() {
            if (!dfs.complete()) {
                return "dfs(" + Strategy.Dfs.describeBound(dfs.preemptionBound()) + ") ran "
                        + executions(dfsExecutions) + ", incomplete";
            }
            String complete = dfs.boundHit() ? dfs.describe() : "complete for every interleaving";
            return "dfs " + complete + " (" + executions(dfsExecutions) + ")";
        }

        private static String executions(long n) {
            return n == 1 ? "1 execution" : n + " executions";
        }

        /** 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st. */
        static String ordinal(long n) {
            long tens = n % 100;
            String suffix = tens >= 11 && tens <= 13 ? "th" : switch ((int) (n % 10)) {
                case 1 -> "st";
                case 2 -> "nd";
                case 3 -> "rd";
                default -> "th";
            };
            return n + suffix;
        }
    }
}
