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
        public Pct {
            if (depth < 1) {
                throw new IllegalArgumentException("PCT depth must be at least 1");
            }
        }
    }

    /** Alternates random walks and PCT of depths 1 to 3: the default. */
    record Mixed(long seed) implements Strategy {
    }

    /** The name used on the command line and in reports. */
    default String describe() {
        return switch (this) {
            case RandomWalk r -> "random(seed " + r.seed() + ")";
            case Pct p -> "pct(depth " + p.depth() + ", seed " + p.seed() + ")";
            case Mixed m -> "random+pct(seed " + m.seed() + ")";
        };
    }
}
