package accelmm.drm;

import static accelmm.drm.DrmBuddyChecks.assertConsistent;
import static accelmm.drm.DrmBuddyChecks.totalBytes;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of allocations (any flags, sizes, minimum blocks and ranges), frees (clear
 * or dirty) and trims never hand out overlapping blocks, keep {@code avail} and
 * {@code clear_avail} exact and every block where its request asked; once everything is freed
 * the free blocks are the roots again: directly if nothing was freed as cleared, and after the
 * force-merge of {@code drm_buddy_reset_clear} otherwise. Then {@code fini} reports no leak.
 */
class DrmBuddyPropertyTest {

    static final long PS = DrmBuddy.SZ_4K;

    /** The {@code [start, end)} passed with an allocation. */
    enum Span {
        /** {@code [0, mm size)}, as callers without a range pass. */
        WHOLE,
        /** Anywhere, even empty or reversed. */
        RANDOM,
        /** {@code start + size == end}: the exact-range path. */
        EXACT
    }

    /**
     * One step of a run. Sizes and positions of allocations are in thousandths of the mm
     * (rounded to pages, at least one page); trims are in pages; indices pick a live allocation.
     */
    sealed interface Op {
        record Alloc(int sizePermille, int minOrder, Span span, int startPermille, int endPermille,
                Set<DrmBuddyFlag> flags) implements Op {
        }

        record Free(int index, boolean cleared) implements Op {
        }

        record Trim(int index, int newPages, int startPage) implements Op {
        }
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void allocFreeTrim_randomSequence_blocksDisjointAccountingExactAndRootsRestored(
            @ForAll @IntRange(min = 1, max = 700) int mmPages, @ForAll("runs") List<Op> ops) {
        DrmBuddy mm = new DrmBuddy();
        assertThat(mm.init(mmPages * PS, PS)).isZero();
        List<List<DrmBuddyBlock>> live = new ArrayList<>();
        boolean freedCleared = false;

        for (Op op : ops) {
            switch (op) {
                case Op.Alloc a -> alloc(mm, a, live);
                case Op.Free f -> freedCleared |= free(mm, f, live);
                case Op.Trim t -> trim(mm, t, live);
            }
            assertConsistent(mm);
            DrmBuddyChecks.assertDisjoint(live.stream().flatMap(List::stream).toList());
        }

        for (List<DrmBuddyBlock> blocks : live) {
            mm.freeBlocks(blocks);
        }
        assertConsistent(mm);
        assertThat(mm.availableBytes()).isEqualTo(mm.sizeBytes());
        if (!freedCleared) {
            assertThat(mm.freeList()).containsExactlyElementsOf(mm.roots());
        }
        mm.resetClear(false);
        assertThat(mm.freeList()).containsExactlyElementsOf(mm.roots());
        assertThat(mm.clearAvailableBytes()).isZero();
        assertThat(mm.fini()).isEmpty();
    }

    private static void alloc(DrmBuddy mm, Op.Alloc a, List<List<DrmBuddyBlock>> live) {
        long pages = mm.sizeBytes() / PS;
        long size = Math.max(1, pages * a.sizePermille() / 1000) * PS;
        long min = PS << a.minOrder();
        long start = a.span() == Span.WHOLE ? 0 : pages * a.startPermille() / 1000 * PS;
        long end = switch (a.span()) {
            case WHOLE -> mm.sizeBytes();
            case RANDOM -> pages * a.endPermille() / 1000 * PS;
            case EXACT -> start + size;
        };
        long availBefore = mm.availableBytes();

        DrmBuddyAllocResult r = mm.allocBlocks(start, end, size, min, a.flags());

        if (r.isError()) {
            assertThat(Errno.ofReturn(r.ret())).isIn(Errno.ENOSPC, Errno.EINVAL);
            assertThat(mm.availableBytes()).isEqualTo(availBefore);
            return;
        }
        List<DrmBuddyBlock> blocks = r.blocks();
        assertThat(blocks).isNotEmpty().allMatch(DrmBuddyBlock::isAllocated);
        assertThat(mm.availableBytes()).isEqualTo(availBefore - r.sizeBytes());
        assertShape(a, blocks, start, end, size, min);
        live.add(new ArrayList<>(blocks));
    }

    /** Where the blocks are and how much they hold, by the kind of request. */
    private static void assertShape(Op.Alloc a, List<DrmBuddyBlock> blocks, long start, long end, long size, long min) {
        boolean trimmed = !a.flags().contains(DrmBuddyFlag.TRIM_DISABLE);
        if (start + size == end) {
            DrmBuddyChecks.assertContiguous(blocks);
            assertThat(blocks.get(0).offset()).isEqualTo(start);
            assertThat(totalBytes(blocks)).isEqualTo(size);
        } else if (a.flags().contains(DrmBuddyFlag.CONTIGUOUS_ALLOCATION)) {
            DrmBuddyChecks.assertContiguous(blocks);
            // Trimmed to the size, except through try_harder: up to one min block more.
            assertThat(totalBytes(blocks)).isBetween(size, trimmed ? size + min - 1
                    : Math.max(Long.highestOneBit(size - 1) << 1, size + min - 1));
        } else {
            long rounded = (size + min - 1) / min * min;
            assertThat(totalBytes(blocks)).isEqualTo(trimmed ? size : rounded);
        }
        if (a.flags().contains(DrmBuddyFlag.RANGE_ALLOCATION) && start + size != end) {
            assertThat(blocks).allMatch(b -> b.offset() >= start && (end == 0 || b.endOffset() <= end));
        }
    }

    /** Returns whether the blocks were freed as cleared. */
    private static boolean free(DrmBuddy mm, Op.Free f, List<List<DrmBuddyBlock>> live) {
        if (live.isEmpty()) {
            return false;
        }
        List<DrmBuddyBlock> blocks = live.remove(f.index() % live.size());
        long freed = totalBytes(blocks);
        long availBefore = mm.availableBytes();
        if (f.cleared()) {
            mm.freeBlocks(blocks, DrmBuddyFlag.CLEARED);
        } else {
            mm.freeBlocks(blocks);
        }
        assertThat(mm.availableBytes()).isEqualTo(availBefore + freed);
        return f.cleared();
    }

    private static void trim(DrmBuddy mm, Op.Trim t, List<List<DrmBuddyBlock>> live) {
        List<List<DrmBuddyBlock>> single = live.stream().filter(l -> l.size() == 1).toList();
        if (single.isEmpty()) {
            return;
        }
        List<DrmBuddyBlock> blocks = single.get(t.index() % single.size());
        DrmBuddyBlock block = blocks.get(0);
        long newSize = Math.min(t.newPages() * PS, block.sizeBytes());
        long start = block.offset() + Math.min(t.startPage() * PS, block.sizeBytes() - newSize);
        long availBefore = mm.availableBytes();

        assertThat(mm.blockTrim(start, newSize, blocks)).isZero();

        assertThat(totalBytes(blocks)).isEqualTo(newSize);
        assertThat(blocks.get(0).offset()).isEqualTo(start);
        DrmBuddyChecks.assertContiguous(blocks);
        assertThat(mm.availableBytes()).isEqualTo(availBefore + block.sizeBytes() - newSize);
    }

    @Provide
    Arbitrary<List<Op>> runs() {
        Arbitrary<Op> alloc = Combinators.combine(
                        Arbitraries.integers().between(1, 250),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.of(Span.class),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.of(DrmBuddyFlag.RANGE_ALLOCATION, DrmBuddyFlag.TOPDOWN_ALLOCATION,
                                DrmBuddyFlag.CONTIGUOUS_ALLOCATION, DrmBuddyFlag.CLEAR_ALLOCATION,
                                DrmBuddyFlag.TRIM_DISABLE).set().ofMaxSize(3))
                .as((size, min, span, start, end, flags) -> (Op) new Op.Alloc(size, min, span, start, end,
                        flags.isEmpty() ? EnumSet.noneOf(DrmBuddyFlag.class) : EnumSet.copyOf(flags)));
        Arbitrary<Op> free = Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false))
                .as((index, cleared) -> (Op) new Op.Free(index, cleared));
        Arbitrary<Op> trim = Combinators.combine(Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(1, 64), Arbitraries.integers().between(0, 64))
                .as((index, pages, start) -> (Op) new Op.Trim(index, pages, start));
        return Arbitraries.frequencyOf(Tuple.of(6, alloc), Tuple.of(4, free), Tuple.of(1, trim))
                .list().ofMinSize(1).ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform());
    }
}
