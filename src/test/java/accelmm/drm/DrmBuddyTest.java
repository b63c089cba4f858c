package accelmm.drm;

import static accelmm.drm.DrmBuddyChecks.assertConsistent;
import static accelmm.drm.DrmBuddyFlag.CLEARED;
import static accelmm.drm.DrmBuddyFlag.CLEAR_ALLOCATION;
import static accelmm.drm.DrmBuddyFlag.CONTIGUOUS_ALLOCATION;
import static accelmm.drm.DrmBuddyFlag.RANGE_ALLOCATION;
import static accelmm.drm.DrmBuddyFlag.TOPDOWN_ALLOCATION;
import static accelmm.drm.DrmBuddyFlag.TRIM_DISABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import accelmm.mm.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** drm_buddy.c behaviour outside the KUnit cases: init, argument checks, search order, free, trim, fini. */
class DrmBuddyTest {

    static final long PS = DrmBuddy.SZ_4K;
    static final int EINVAL = Errno.EINVAL.neg();
    static final int ENOSPC = Errno.ENOSPC.neg();

    static DrmBuddy mmOfPages(long pages) {
        DrmBuddy mm = new DrmBuddy();
        assertThat(mm.init(pages * PS, PS)).isZero();
        return mm;
    }

    /** Allocates every page one by one; returns them by page number. */
    static List<DrmBuddyBlock> allocEveryPage(DrmBuddy mm) {
        List<DrmBuddyBlock> pages = new ArrayList<>();
        for (long i = 0; i < mm.sizeBytes() / PS; i++) {
            pages.add(mm.allocBlocks(0, mm.sizeBytes(), PS, PS).blocks().get(0));
        }
        pages.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return pages;
    }

    static void freePages(DrmBuddy mm, List<DrmBuddyBlock> pages, int... numbers) {
        for (int n : numbers) {
            mm.freeBlock(pages.get(n));
        }
    }

    @ParameterizedTest
    @CsvSource({"4095, 4096", "8192, 16384", "65536, 2048", "65536, 12288"})
    void init_sizeBelowChunkOrBadChunk_returnsEinval(long size, long chunk) {
        assertThat(new DrmBuddy().init(size, chunk)).isEqualTo(EINVAL);
    }

    @Test
    void init_sizeNotPowerOfTwo_roundsDownAndCutsRootsLargestFirst() {
        DrmBuddy mm = new DrmBuddy();

        assertThat(mm.init(10 * PS + 100, PS)).isZero();

        assertThat(mm.sizeBytes()).isEqualTo(10 * PS);
        assertThat(mm.availableBytes()).isEqualTo(10 * PS);
        assertThat(mm.maxOrder()).isEqualTo(3);
        assertThat(mm.roots()).extracting(DrmBuddyBlock::offset, DrmBuddyBlock::order)
                .containsExactly(tuple(0L, 3), tuple(8 * PS, 1));
        assertConsistent(mm);
    }

    @Test
    void init_twice_isAModelBug() {
        DrmBuddy mm = mmOfPages(4);

        assertThatThrownBy(() -> mm.init(4 * PS, PS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new DrmBuddy().allocBlocks(0, PS, PS, PS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void allocBlocks_onePage_splitsTheSmallestRootAndKeepsUpperHalves() {
        DrmBuddy mm = mmOfPages(10);

        DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), PS, PS);

        assertThat(r.blocks()).extracting(DrmBuddyBlock::offset).containsExactly(9 * PS);
        assertThat(r.blocks().get(0).buddy().offset()).isEqualTo(8 * PS);
        assertThat(r.blocks().get(0).buddy().isFree()).isTrue();
        assertThat(mm.availableBytes()).isEqualTo(9 * PS);
        assertConsistent(mm);
    }

    @Test
    void allocBlocks_topdown_takesTheHighestOffsetOfAnyOrder() {
        DrmBuddy mm = mmOfPages(16);
        List<DrmBuddyBlock> pages = allocEveryPage(mm);
        freePages(mm, pages, 0, 8, 9, 10, 11, 12, 13, 14, 15); // free: page 0, and [8, 16) merged

        DrmBuddyAllocResult bottomUp = mm.allocBlocks(0, mm.sizeBytes(), PS, PS);
        mm.freeBlocks(bottomUp.blocks());
        DrmBuddyAllocResult topDown = mm.allocBlocks(0, mm.sizeBytes(), PS, PS, TOPDOWN_ALLOCATION);

        assertThat(bottomUp.blocks()).extracting(DrmBuddyBlock::offset).containsExactly(0L);
        assertThat(topDown.blocks()).extracting(DrmBuddyBlock::offset).containsExactly(15 * PS);
        assertConsistent(mm);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 64, 2, 1, size below the chunk",
        "0, 64, 4, 0, min block below the chunk",
        "0, 64, 4, 3, min block not a power of two",
        "0, 64, 6, 1, size not chunk aligned",
        "1, 64, 4, 1, start not chunk aligned",
        "0, 68, 4, 1, end past the mm",
        "60, 64, 8, 1, start + size past the mm",
        "4, 24, 20, 2, exact range misaligned to min block",
        "-4, 64, 4, 1, negative start (a u64 of 2^63 or more)",
    })
    void allocBlocks_invalidArguments_returnEinval(long startKiB, long endKiB, long sizeKiB, long minPages, String why) {
        DrmBuddy mm = mmOfPages(16);
        long k = 1024;

        DrmBuddyAllocResult r = mm.allocBlocks(startKiB * k, endKiB * k, sizeKiB * k, minPages * PS);

        assertThat(r.ret()).as(why).isEqualTo(EINVAL);
        assertThat(r.blocks()).isEmpty();
        assertThat(mm.availableBytes()).isEqualTo(mm.sizeBytes());
    }

    @Test
    void allocBlocks_startPlusSizeIsEnd_allocatesExactlyThatRange() {
        DrmBuddy mm = mmOfPages(16);

        DrmBuddyAllocResult r = mm.allocBlocks(3 * PS, 10 * PS, 7 * PS, PS);

        assertThat(r.blocks()).extracting(DrmBuddyBlock::offset, DrmBuddyBlock::order).containsExactly(
                tuple(3 * PS, 0), tuple(4 * PS, 2),
                tuple(8 * PS, 1));
        assertThat(mm.allocBlocks(0, 4 * PS, 4 * PS, PS).ret()).as("page 3 is taken").isEqualTo(ENOSPC);
        assertThat(mm.availableBytes()).isEqualTo(9 * PS);
        assertConsistent(mm);
    }

    @Test
    void allocBlocks_sizeNotMultipleOfMinBlock_roundsUpThenTrimsUnlessDisabled() {
        DrmBuddy mm = mmOfPages(64);

        DrmBuddyAllocResult trimmed = mm.allocBlocks(0, mm.sizeBytes(), 5 * PS, 4 * PS);
        DrmBuddyAllocResult untrimmed = mm.allocBlocks(0, mm.sizeBytes(), 5 * PS, 4 * PS, TRIM_DISABLE);

        assertThat(trimmed.sizeBytes()).isEqualTo(5 * PS);
        assertThat(untrimmed.sizeBytes()).isEqualTo(8 * PS);
        assertThat(untrimmed.blocks()).allMatch(b -> b.sizeBytes() >= 4 * PS);
        assertThat(mm.availableBytes()).isEqualTo(64 * PS - 13 * PS);
        assertConsistent(mm);
    }

    @Test
    void allocBlocks_contiguousAcrossNonBuddies_succeedsThroughTryHarder_BD5() {
        // Free [2, 4) (merged, order 1) and page 4, whose buddy 5 is allocated: no free order-2
        // block, but [2, 5) is free. try_harder starts at [2, 4) and takes page 4 to its right.
        DrmBuddy mm = mmOfPages(8);
        List<DrmBuddyBlock> pages = allocEveryPage(mm);
        freePages(mm, pages, 2, 3, 4);

        DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), 3 * PS, PS, CONTIGUOUS_ALLOCATION);

        assertThat(r.ret()).isZero();
        assertThat(r.blocks()).extracting(DrmBuddyBlock::offset).containsExactly(2 * PS, 4 * PS);
        assertThat(r.sizeBytes()).isEqualTo(3 * PS);
        assertConsistent(mm);
    }

    @Test
    void allocBlocks_contiguousShortOnTheRight_takesTheRestOnTheLeft_BD5() {
        DrmBuddy mm = mmOfPages(8);
        List<DrmBuddyBlock> pages = allocEveryPage(mm);
        freePages(mm, pages, 1, 2, 3); // [2, 4) merged, page 1 alone; page 4 is taken

        DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), 3 * PS, PS, CONTIGUOUS_ALLOCATION);

        assertThat(r.blocks()).extracting(DrmBuddyBlock::offset).containsExactly(1 * PS, 2 * PS);
        DrmBuddyChecks.assertContiguous(r.blocks());
        assertConsistent(mm);
    }

    @Test
    void allocBlocks_clearWantedButNoneFree_fallsBackToDirty() {
        DrmBuddy mm = mmOfPages(16);

        DrmBuddyAllocResult r = mm.allocBlocks(0, mm.sizeBytes(), 2 * PS, PS, CLEAR_ALLOCATION);

        assertThat(r.ret()).isZero();
        assertThat(r.blocks()).noneMatch(DrmBuddyBlock::isClear);
    }

    @Test
    void allocBlocks_rangeEndZero_wrapsLikeTheKernelsU64AndSpansTheMm() {
        // The kernel takes end - 1 as the range's last byte; for end 0 that is U64_MAX.
        DrmBuddy mm = mmOfPages(16);

        DrmBuddyAllocResult r = mm.allocBlocks(0, 0, 2 * PS, PS, RANGE_ALLOCATION);

        assertThat(r.ret()).isZero();
        assertThat(r.sizeBytes()).isEqualTo(2 * PS);
    }

    @Test
    void freeBlocks_clearedNextToDirtyBuddy_doNotMergeUntilForced() {
        DrmBuddy mm = mmOfPages(2);
        List<DrmBuddyBlock> pages = allocEveryPage(mm);

        mm.freeBlocks(List.of(pages.get(0)), CLEARED);
        mm.freeBlocks(List.of(pages.get(1)));

        assertThat(mm.freeList()).hasSize(2);
        assertThat(mm.clearAvailableBytes()).isEqualTo(PS);
        assertConsistent(mm);
        mm.resetClear(false);
        assertThat(mm.freeList()).containsExactlyElementsOf(mm.roots());
        assertThat(mm.clearAvailableBytes()).isZero();
        assertThat(pages).allMatch(DrmBuddyBlock::isReleased);
    }

    @Test
    void resetClear_true_mergesAndMarksEveryFreeBlockClear() {
        DrmBuddy mm = mmOfPages(12);
        DrmBuddyAllocResult kept = mm.allocBlocks(0, mm.sizeBytes(), PS, PS);

        mm.resetClear(true);

        assertThat(mm.clearAvailableBytes()).isEqualTo(11 * PS);
        assertThat(mm.freeList()).allMatch(DrmBuddyBlock::isClear);
        assertThat(mm.allocBlocks(0, mm.sizeBytes(), PS, PS, CLEAR_ALLOCATION).blocks()).allMatch(DrmBuddyBlock::isClear);
        assertThat(kept.blocks()).noneMatch(DrmBuddyBlock::isClear);
        assertConsistent(mm);
    }

    @Test
    void freeBlock_twiceOrAfterMerge_isAModelBug() {
        DrmBuddy mm = mmOfPages(2);
        List<DrmBuddyBlock> pages = allocEveryPage(mm);
        mm.freeBlock(pages.get(0));

        assertThatThrownBy(() -> mm.freeBlock(pages.get(0))).hasMessageContaining("not allocated");
        mm.freeBlock(pages.get(1)); // merges: both pages go back to the slab
        assertThatThrownBy(() -> mm.freeBlock(pages.get(1))).hasMessageContaining("released");
        DrmBuddy other = mmOfPages(2);
        DrmBuddyBlock foreign = other.allocBlocks(0, 2 * PS, PS, PS).blocks().get(0);
        assertThatThrownBy(() -> mm.freeBlock(foreign)).hasMessageContaining("another mm");
    }

    @Test
    void fini_withBlocksStillAllocated_reportsThemAsLeaked() {
        DrmBuddy mm = mmOfPages(10);
        DrmBuddyAllocResult leaked = mm.allocBlocks(0, mm.sizeBytes(), 3 * PS, PS);

        List<DrmBuddyBlock> report = mm.fini();

        assertThat(report).containsExactlyInAnyOrderElementsOf(leaked.blocks());
        assertThat(mm.isInitialized()).isFalse();
        assertThat(mm.init(10 * PS, PS)).as("an mm can be initialised again").isZero();
        assertThatThrownBy(() -> mm.freeBlocks(leaked.blocks())).hasMessageContaining("released");
    }

    @Test
    void blockTrim_withStart_keepsThatPartAndFreesTheRest() {
        DrmBuddy mm = mmOfPages(16);
        List<DrmBuddyBlock> blocks = new ArrayList<>(mm.allocBlocks(0, mm.sizeBytes(), 8 * PS, 8 * PS).blocks());
        long base = blocks.get(0).offset();

        assertThat(mm.blockTrim(base + 2 * PS, 3 * PS, blocks)).isZero();

        assertThat(blocks).extracting(DrmBuddyBlock::offset).containsExactly(base + 2 * PS, base + 4 * PS);
        assertThat(DrmBuddyChecks.totalBytes(blocks)).isEqualTo(3 * PS);
        assertThat(mm.availableBytes()).isEqualTo(13 * PS);
        assertConsistent(mm);
    }

    @Test
    void blockTrim_badArguments_returnEinvalAndKeepTheBlock() {
        DrmBuddy mm = mmOfPages(16);
        List<DrmBuddyBlock> blocks = new ArrayList<>(mm.allocBlocks(0, mm.sizeBytes(), 4 * PS, 4 * PS).blocks());
        long base = blocks.get(0).offset();

        assertThat(mm.blockTrim(8 * PS, blocks)).as("larger than the block").isEqualTo(EINVAL);
        assertThat(mm.blockTrim(PS + 1, blocks)).as("not chunk aligned").isEqualTo(EINVAL);
        assertThat(mm.blockTrim(base + 3 * PS, 2 * PS, blocks)).as("past the block's end").isEqualTo(EINVAL);
        assertThat(mm.blockTrim(4 * PS, blocks)).as("same size").isZero();
        assertThat(blocks).hasSize(1).allMatch(DrmBuddyBlock::isAllocated);
        assertConsistent(mm);
    }

    @Test
    void print_freshMm_showsTotalsThenEachOrderHighestFirst() {
        DrmBuddy mm = new DrmBuddy();
        mm.init(12L << 20, PS);

        String[] lines = mm.print().split("\n");

        assertThat(lines[0]).isEqualTo("chunk_size: 4KiB, total: 12MiB, free: 12MiB, clear_free: 0MiB");
        assertThat(lines[1]).isEqualTo("order-11 free:        8 MiB, blocks: 1");
        assertThat(lines[2]).isEqualTo("order-10 free:        4 MiB, blocks: 1");
        assertThat(lines[12]).isEqualTo("order- 0 free:        0 KiB, blocks: 0");
        assertThat(lines).hasSize(13);
    }

    @Test
    void block_toString_followsDrmBuddyBlockPrint() {
        DrmBuddy mm = mmOfPages(2);

        DrmBuddyBlock block = mm.allocBlocks(0, 2 * PS, PS, PS).blocks().get(0);

        assertThat(block).hasToString("0x0000000000001000-0x0000000000002000: 4096 allocated");
    }
}
