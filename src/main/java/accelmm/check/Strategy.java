package accelmm.check;

/**
 * How the explorer picks schedules. Every strategy is seeded: the same seed explores the same
 * executions in the same order.
 */
public sealed interface Strategy {

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

    /** Alternates random walks and PCT of depths 1 to 3: the default. */
    record Mixed(long seed) implements Strategy {
    }

    /**
     * Bounded exhaustive search, stateless: depth-first over the decisions of executions, each
     * re-executed from the initial state, with at most {@code preemptionBound} preemptions per
     * execution (CHESS: switching away from an actor that could go on), reduced as {@code
     * reduction} says. It has no seed: the order is fixed.
     */
    record Dfs(int preemptionBound, Reduction reduction) implements Strategy {

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

        /** With dynamic partial-order reduction, the default. */
        public Dfs(int preemptionBound) {
            this(preemptionBound, Reduction.DPOR);
        }

        /** With sleep sets only ({@code true}) or no reduction at all. */
        public Dfs(int preemptionBound, boolean sleepSets) {
            this(preemptionBound, sleepSets ? Reduction.SLEEP : Reduction.NONE);
        }

        @Override
        public long seed() {
            return 0;
        }

        public boolean bounded() {
            return preemptionBound != UNBOUNDED;
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
     * The default: a DFS bounded to {@code preemptionBound} preemptions within half the budget;
     * if it neither finished nor found a violation, what is left of the budget for random walks
     * and PCT ({@link Mixed}) with {@code seed}. Small scenarios get a complete answer within the bound,
     * large ones a sample, and the report says which.
     */
    record Auto(long seed, int preemptionBound) implements Strategy {
        public Auto {
            if (preemptionBound < 0) {
                throw new IllegalArgumentException("the preemption bound is at least 0");
            }
        }
    }

    /** The name used on the command line and in reports. */
    default String describe() {
        return switch (this) {
            case RandomWalk r -> "random(seed " + r.seed() + ")";
            case Pct p -> "pct(depth " + p.depth() + ", seed " + p.seed() + ")";
            case Mixed m -> "random+pct(seed " + m.seed() + ")";
            case Dfs d -> "dfs(" + (d.bounded() ? "preemptions " + d.preemptionBound() : "unbounded")
                    + switch (d.reduction()) {
                        case NONE -> "";
                        case SLEEP -> ", sleep sets";
                        case DPOR -> ", dpor";
                    } + ")";
            case Auto a -> "dfs(preemptions " + a.preemptionBound() + "), else random+pct(seed " + a.seed() + ")";
        };
    }
}
