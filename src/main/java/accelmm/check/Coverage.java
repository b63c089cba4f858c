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
     * @param dfs what the last DFS of the portfolio covered: the one under way when the
     *     portfolio ended, or the last to complete
     * @param completeBound the highest preemption bound whose DFS completed clean, -1 for none
     * @param dfsExecutions the executions of every DFS of the portfolio together
     * @param lastDfsExecutions those of {@code dfs}
     * @param samplingExecutions the executions of the sampling part (of this shard's indices)
     * @param foundBy the part whose execution ended the search ("pct(depth 2)", "random walk",
     *     "dfs(preemptions 2)"), or {@code null}
     * @param foundAt that execution's number within its part, from 1; 0 without one
     */
    record Portfolio(Systematic dfs, int completeBound, long dfsExecutions, long lastDfsExecutions,
            long samplingExecutions, String foundBy, long foundAt) implements Coverage {

        /** Whether some DFS of the portfolio completed: no violation within its bound. */
        public boolean complete() {
            return completeBound >= 0;
        }

        /**
         * For reports, after "found in execution N of auto, " or for a clean result: "by
         * pct(depth 2) in its 6th execution; dfs(preemptions 2) ran 7 executions, incomplete",
         * "dfs complete for 3 preemptions (412 executions); sampling ran 400 executions, found none".
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
            if (dfs.complete() && !dfs.boundHit()) {
                return "dfs complete (every interleaving), " + executions(dfsExecutions);
            }
            String last = "dfs(" + Strategy.Dfs.describeBound(dfs.preemptionBound()) + ") ran "
                    + executions(lastDfsExecutions) + (dfs.complete() ? ", complete" : ", incomplete");
            if (completeBound < 0) {
                return last;
            }
            String complete = "dfs complete for " + completeBound + (completeBound == 1 ? " preemption" : " preemptions");
            return (dfs.preemptionBound() == completeBound ? complete : complete + ", then " + last)
                    + " (" + executions(dfsExecutions) + " in all)";
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
