package accelmm.check;

/**
 * How the explorer picks schedules. Every strategy is seeded: the same seed explores the same
 * executions in the same order.
 */
public sealed interface Strategy extends java.io.Serializable {

    long seed();

    /** A uniform random choice at every decision. */
    record RandomWalk(long seed) implements Strategy {
    }

    /**
     * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random actor priorities,
     * the highest runnable runs, and at {@code depth - 1} random steps the running actor's
     * priority drops. Finds any bug of depth {@code d} with probability at least 1/(n k^(d-1)).
     */
    record Pct(long seed, int depth) implements Strategy {

        /**
         * The deepest search offered: each level is a change point per execution, and bugs
         * deeper than a handful of orderings are out of PCT's reach anyway (its guarantee shrinks
         * by the run length per level).
         */
        public static final int MAX_DEPTH = 1000;

        public Pct {
            if (depth < 1 || depth > MAX_DEPTH) {
                throw new IllegalArgumentException("PCT depth must be between 1 and " + MAX_DEPTH);
            }
        }
    }

    /**
     * Alternates random walks and PCT of depths 2 to 4: execution {@code i} is a random walk
     * when {@code i % 4 == 0}, else PCT of depth {@code i % 4 + 1}. Random walks find the
     * shallow bugs at once; depth 1 (priorities alone, no change point: whole actors in some
     * order) is left out, as random walks reach those orders too; and no one depth is best (on
     * the two userptr scenarios depth 4 finds the bug soonest on one, depth 3 on the other).
     */
    record Mixed(long seed) implements Strategy {

        /** The PCT depth of execution {@code index}, 0 for a random walk. */
        static int pctDepth(long index) {
            int k = (int) (index % 4);
            return k == 0 ? 0 : k + 1;
        }

        /** What runs execution {@code index}: "random walk", "pct(depth 3)". */
        static String part(long index) {
            return pctDepth(index) == 0 ? "random walk" : "pct(depth " + pctDepth(index) + ")";
        }
    }

    /**
     * Bounded exhaustive search: depth-first over the decisions of executions, each re-executed
     * from the initial state, with at most {@code preemptionBound} preemptions per execution
     * (CHESS: switching away from an actor that could go on), reduced as {@code reduction} says.
     * With {@code stateCaching}, and a model that fingerprints its states ({@link
     * Model#fingerprintsStates()}), a run that meets a state whose subtree was explored stops
     * there (see {@link DfsSearch}); otherwise the search is stateless. It has no seed: the order
     * is fixed.
     */
    record Dfs(int preemptionBound, Reduction reduction, boolean stateCaching) implements Strategy {

        /** No preemption bound: every interleaving. */
        public static final int UNBOUNDED = Integer.MAX_VALUE;

        public Dfs {
            if (preemptionBound < 0) {
                throw new IllegalArgumentException("the preemption bound is at least 0");
            }
            if (reduction == null) {
                throw new IllegalArgumentException("a DFS names its reduction");
            }
        }

        /**
         * The default: caching states (when the model fingerprints them) if the search is
         * unbounded, not under a bound. Unbounded, a state recurs along many paths and a stored
         * one cuts whole subtrees: on the catalog, the rows both searches complete within 20,000
         * executions take 11,983 executions instead of 56,646 and five more rows complete
         * ({@code userptr-munmap-race} under {@code hmm}: 127 executions instead of 6,416), though
         * a few take more (a hit's summary races with the whole path: {@code vm-teardown-leak}
         * 165 instead of 15). Under a bound a stored visit covers a new one only with no more
         * preemptions spent and the same actor able to go on, the trees are small, and
         * fingerprinting costs more than it saves on the scenario models (the catalog at two
         * preemptions: 26% fewer executions, 1.7 times the time), while a stateless search
         * splits over {@code --jobs} and {@code --shard} (a caching one runs whole in each).
         */
        public Dfs(int preemptionBound, Reduction reduction) {
            this(preemptionBound, reduction, cachesByDefault(preemptionBound));
        }

        /** Whether a search of {@code preemptionBound} caches states unless told (see above): unbounded ones. */
        static boolean cachesByDefault(int preemptionBound) {
            return preemptionBound == UNBOUNDED;
        }

        /** With dynamic partial-order reduction, the default. */
        public Dfs(int preemptionBound) {
            this(preemptionBound, Reduction.DPOR);
        }

        /** With sleep sets only ({@code true}) or no reduction at all. */
        public Dfs(int preemptionBound, boolean sleepSets) {
            this(preemptionBound, sleepSets ? Reduction.SLEEP : Reduction.NONE);
        }

        /** The most states a caching search stores; past it, it goes on without storing more. */
        int stateCacheLimit() {
            return StateCache.DEFAULT_LIMIT;
        }

        @Override
        public long seed() {
            return 0;
        }

        public boolean bounded() {
            return preemptionBound != UNBOUNDED;
        }

        /** What the description says of caching: nothing for the default, else the choice. */
        private static String describeCaching(Dfs d) {
            if (d.stateCaching() == cachesByDefault(d.preemptionBound())) {
                return "";
            }
            return d.stateCaching() ? ", state caching" : ", no state caching";
        }

        /** "preemptions 2", "unbounded". */
        static String describeBound(int preemptionBound) {
            return preemptionBound == UNBOUNDED ? "unbounded" : "preemptions " + preemptionBound;
        }

        /** Whether explored transitions go to sleep in later siblings' subtrees (SLEEP and DPOR). */
        public boolean sleepSets() {
            return reduction != Reduction.NONE;
        }
    }

    /**
     * How a {@link Dfs} skips executions equivalent to ones it explores: orders of transitions
     * that commute, as the simulation's footprints tell.
     */
    enum Reduction {
        /** Every interleaving within the bound. */
        NONE,
        /**
         * Sleep sets (Godefroid): every option of every decision, but a transition explored
         * from a decision is not tried first again below its later siblings while everything
         * run since commutes with it.
         */
        SLEEP,
        /**
         * Source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014): a decision
         * offers only the options some race seen in an execution needs, on top of sleep sets;
         * bounded as Coons, Musuvathi, McKinley (OOPSLA 2013).
         */
        DPOR;

        /** The name used on the command line and in reports. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The default, a portfolio within one budget: a DFS bounded to {@code preemptionBound}
     * preemptions ({@link Dfs#UNBOUNDED} for none) and reduced as {@code reduction} says, and
     * {@link Mixed} sampling with {@code seed}, in alternating slices that double (16 DFS
     * executions, 16 sampled, 32, 32, ...), until the first violation or until the DFS completes:
     * then the result is clean and complete for the bound (every interleaving when the DFS cut
     * nothing for it), and the rest of the budget is left unused. Small scenarios get a complete
     * answer within the bound quickly, shallow bugs are found by whichever part meets them first,
     * and the report says which part found what and what was complete ({@link
     * Coverage.Portfolio}).
     */
    record Auto(long seed, int preemptionBound, Reduction reduction) implements Strategy {
        public Auto {
            if (preemptionBound < 0) {
                throw new IllegalArgumentException("the preemption bound is at least 0");
            }
            if (reduction == null) {
                throw new IllegalArgumentException("auto's DFS names its reduction");
            }
        }

        /** With dynamic partial-order reduction, the default. */
        public Auto(long seed, int preemptionBound) {
            this(seed, preemptionBound, Reduction.DPOR);
        }

        /** The DFS part. */
        public Dfs dfs() {
            return new Dfs(preemptionBound, reduction);
        }
    }

    /** The name used on the command line and in reports. */
    default String describe() {
        return switch (this) {
            case RandomWalk r -> "random(seed " + r.seed() + ")";
            case Pct p -> "pct(depth " + p.depth() + ", seed " + p.seed() + ")";
            case Mixed m -> "random+pct(seed " + m.seed() + ")";
            case Dfs d -> "dfs(" + Dfs.describeBound(d.preemptionBound())
                    + switch (d.reduction()) {
                        case NONE -> "";
                        case SLEEP -> ", sleep sets";
                        case DPOR -> ", dpor";
                    } + Dfs.describeCaching(d) + ")";
            case Auto a -> "auto(" + a.dfs().describe() + ", random+pct(seed " + a.seed() + "))";
        };
    }
}
