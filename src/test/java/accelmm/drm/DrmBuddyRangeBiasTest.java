package accelmm.drm;

import static accelmm.drm.DrmBuddyChecks.assertConsistent;
import static accelmm.drm.DrmBuddyFlag.CLEAR_ALLOCATION;
import static accelmm.drm.DrmBuddyFlag.RANGE_ALLOCATION;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BD-7, {@code drm_test_buddy_alloc_range_bias}: RANGE allocations stay inside their bias
 * range; requests too big for the range, misaligned against the minimum block, or bigger than
 * what is left in it fail; once the whole mm is allocated any RANGE request fails; CLEAR|RANGE
 * with no clear blocks returns dirty ones. The kernel draws the page size, the order of the
 * ranges and the sizes from a random seed; here from fixed seeds, one run each.
 */
class DrmBuddyRangeBiasTest {

    static final long SZ_1M = 1L << 20;
    static final long SZ_8M = 8 * SZ_1M;
    static final long BIAS_SIZE = SZ_1M;

    private Random prng;

    /** {@code prandom_u32_state}. */
    private long u32() {
        return prng.nextInt() & 0xffff_ffffL;
    }

    private static long roundUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private static long roundUpPowerOfTwo(long x) {
        return x <= 1 ? 1 : Long.highestOneBit(x - 1) << 1;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 42, 1234, 0xdead_beefL, 20_260_101})
    void allocBlocks_rangeBias_neverLeavesTheRangeAndFailsWhenItCannotFit_BD7(long seed) {
        prng = new Random(seed);
        long ps = Math.max(DrmBuddy.SZ_4K, roundUpPowerOfTwo(u32() % BIAS_SIZE));
        long mmSize = (SZ_8M - 1) & ~(ps - 1); // multiple roots
        DrmBuddy mm = new DrmBuddy();

        assertThat(mm.init(mmSize, ps)).isZero();
        uniformBiasRanges(mm, mmSize, ps);
        assertThat(mm.fini()).isEmpty();

        assertThat(mm.init(mmSize, ps)).isZero();
        growingBiasRange(mm, mmSize, ps);
        assertThat(mm.fini()).isEmpty();

        assertThat(mm.init(mmSize, ps)).isZero();
        clearRangeWithoutClearBlocksGivesDirty(mm, mmSize, ps);
        assertThat(mm.fini()).isEmpty();
    }

    /** Part 1: the mm as uniform 1 MiB bias ranges, visited in random order, each with fixed patterns. */
    private void uniformBiasRanges(DrmBuddy mm, long mmSize, long ps) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, (int) (mmSize / BIAS_SIZE)).boxed().toList());
        Collections.shuffle(order, prng);
        List<DrmBuddyBlock> allocated = new ArrayList<>();
        for (int slot : order) {
            long start = slot * BIAS_SIZE;
            long end = start + BIAS_SIZE;
            assertFails(mm, start, end, BIAS_SIZE + ps, BIAS_SIZE); // internal round_up too big
            assertFails(mm, start, end, BIAS_SIZE + ps, ps); // size too big
            assertFails(mm, start + ps, end, BIAS_SIZE, ps); // bias range too small for size
            assertFails(mm, start + ps, end - ps, BIAS_SIZE >> 1, BIAS_SIZE >> 1); // bias misaligned
            mm.freeBlocks(allocIn(mm, start, end, BIAS_SIZE, BIAS_SIZE)); // single big page
            mm.freeBlocks(allocIn(mm, start, end, ps, BIAS_SIZE)); // single page with internal round_up

            long rem = BIAS_SIZE;
            long size = Math.max(roundUp(u32() % rem, ps), ps); // random size within
            List<DrmBuddyBlock> tmp = allocIn(mm, start, end, size, ps);
            rem -= size;
            assertFails(mm, start, end, rem + ps, ps); // too big for current avail
            if (rem != 0) {
                size = Math.max(roundUp(u32() % rem, ps), ps); // random fill of the remainder
                allocated.addAll(allocIn(mm, start, end, size, ps));
                mm.freeBlocks(tmp); // leave some space, not always on the bias boundaries
            } else {
                allocated.addAll(tmp);
            }
            assertConsistent(mm);
        }
        mm.freeBlocks(allocated);
    }

    /** Part 2: a random range, filled while it grows in random steps until it is the whole mm. */
    private void growingBiasRange(DrmBuddy mm, long mmSize, long ps) {
        long start = roundUp(u32() % (mmSize - ps), ps);
        long end = Math.max(roundUp(start + u32() % (mmSize - start), ps), start + ps);
        long rem = end - start;
        List<DrmBuddyBlock> allocated = new ArrayList<>();
        do {
            long size = Math.max(roundUp(u32() % rem, ps), ps);
            allocated.addAll(allocIn(mm, start, end, size, ps));
            rem -= size;
            do { // grow in both directions, one, or not at all
                long oldStart = start;
                long oldEnd = end;
                if (start != 0) {
                    start -= roundUp(u32() % start, ps);
                }
                if (end != mmSize) {
                    end += roundUp(u32() % (mmSize - end), ps);
                }
                rem += (oldStart - start) + (end - oldEnd);
            } while (rem == 0 && (start != 0 || end != mmSize));
        } while (rem != 0);

        assertThat(start).isZero();
        assertThat(end).isEqualTo(mmSize);
        assertFails(mm, start, end, ps, ps);
        assertConsistent(mm);
        mm.freeBlocks(allocated);
    }

    /** Part 3: CLEAR|RANGE at boot, with no clear blocks: the fallback gives dirty blocks. */
    private void clearRangeWithoutClearBlocksGivesDirty(DrmBuddy mm, long mmSize, long ps) {
        long start = roundUp(u32() % (mmSize - ps), ps);
        long end = Math.max(roundUp(start + u32() % (mmSize - start), ps), start + ps);
        long size = Math.max(roundUp(u32() % (end - start), ps), ps);

        DrmBuddyAllocResult r = mm.allocBlocks(start, end, size, ps, CLEAR_ALLOCATION, RANGE_ALLOCATION);

        assertThat(r.ret()).isZero();
        assertInside(r.blocks(), start, end);
        assertThat(r.blocks()).noneMatch(DrmBuddyBlock::isClear);
        mm.freeBlocks(r.blocks());
    }

    private static List<DrmBuddyBlock> allocIn(DrmBuddy mm, long start, long end, long size, long minBlockSize) {
        DrmBuddyAllocResult r = mm.allocBlocks(start, end, size, minBlockSize, RANGE_ALLOCATION);
        assertThat(r.ret()).as("bias [%#x, %#x) size %d min %d", start, end, size, minBlockSize).isZero();
        assertThat(r.sizeBytes()).isEqualTo(size);
        assertInside(r.blocks(), start, end);
        return r.blocks();
    }

    private static void assertFails(DrmBuddy mm, long start, long end, long size, long minBlockSize) {
        long avail = mm.availableBytes();
        DrmBuddyAllocResult r = mm.allocBlocks(start, end, size, minBlockSize, RANGE_ALLOCATION);
        assertThat(r.ret()).as("bias [%#x, %#x) size %d min %d", start, end, size, minBlockSize).isNegative();
        assertThat(mm.availableBytes()).isEqualTo(avail);
    }

    private static void assertInside(List<DrmBuddyBlock> blocks, long start, long end) {
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.offset()).as("%s starts in the bias range", b).isGreaterThanOrEqualTo(start);
            assertThat(b.endOffset()).as("%s ends in the bias range", b).isLessThanOrEqualTo(end);
        });
    }
}
