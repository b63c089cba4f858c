package accelmm.drm;

/**
 * The integer helpers drm_buddy.c takes from include/linux/log2.h, math.h and drm_buddy.h, on
 * non-negative longs (the kernel's u64 below {@code 2^63}). Rounding up saturates at
 * {@link Long#MAX_VALUE}, more than any mm holds, where the kernel's u64 would not overflow yet.
 */
final class DrmBuddyMath {

    private DrmBuddyMath() {
    }

    /** {@code is_power_of_2}. */
    static boolean isPowerOfTwo(long x) {
        return x > 0 && (x & (x - 1)) == 0;
    }

    /** {@code ilog2} of a positive value. */
    static int ilog2(long x) {
        return 63 - Long.numberOfLeadingZeros(x);
    }

    /** {@code fls64}: the 1-based position of the highest set bit, 0 for 0. */
    static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }

    /** {@code overlaps(s1, e1, s2, e2)}: inclusive ranges intersect. */
    static boolean overlaps(long s1, long e1, long s2, long e2) {
        return s1 <= e2 && e1 >= s2;
    }

    /** {@code contains(s1, e1, s2, e2)}: {@code [s2, e2]} lies within {@code [s1, e1]}. */
    static boolean contains(long s1, long e1, long s2, long e2) {
        return s1 <= s2 && e1 >= e2;
    }

    /** {@code IS_ALIGNED} for a power-of-two alignment. */
    static boolean isAligned(long x, long alignment) {
        return (x & (alignment - 1)) == 0;
    }

    /** {@code round_down} for a power-of-two alignment. */
    static long roundDown(long x, long alignment) {
        return x & -alignment;
    }

    /** {@code round_up} for a power-of-two alignment; past {@code 2^63} it saturates (no mm is that big). */
    static long roundUp(long x, long alignment) {
        return x > Long.MAX_VALUE - (alignment - 1) ? Long.MAX_VALUE : (x + alignment - 1) & -alignment;
    }

    /** {@code roundup_pow_of_two}, saturating past {@code 2^62}. */
    static long roundUpPowerOfTwo(long x) {
        if (isPowerOfTwo(x)) {
            return x;
        }
        long up = Long.highestOneBit(x) << 1;
        return up <= 0 ? Long.MAX_VALUE : up;
    }

    /** {@code range_overflows(start, size, max)}. */
    static boolean rangeOverflows(long start, long size, long max) {
        return start >= max || size > max - start;
    }
}
