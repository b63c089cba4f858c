package accelmm.sim;

/**
 * A seeded random walk: every decision is uniform among its options. The generator is
 * SplitMix64, written out here so that a seed means the same schedule on every JDK.
 */
public final class RandomChoiceSource implements ChoiceSource {

    private long state;

    public RandomChoiceSource(long seed) {
        this.state = seed;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        return nextInt(point.candidateCount());
    }

    @Override
    public int pickValue(String label, int bound) {
        return nextInt(bound);
    }

    /** A uniform value in {@code [0, bound)}. */
    public int nextInt(int bound) {
        // Lemire's multiply-shift: unbiased enough for schedule choice and free of division.
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** The next 64 random bits (SplitMix64). */
    public long nextLong() {
        long z = state;
        state += 0x9E3779B97F4A7C15L;
        return splitmix(z);
    }

    /** SplitMix64's output for state {@code z}: one step of its counter, then its finaliser. */
    static long splitmix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
