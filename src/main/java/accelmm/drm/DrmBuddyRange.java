package accelmm.drm;

import accelmm.drm.DrmBuddyFreeTrees.FreeTree;
import accelmm.mm.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Models the exact-range paths of drivers/gpu/drm/drm_buddy.c: {@code __alloc_range} (allocate
 * every byte of {@code [start, start + size)}, splitting blocks that straddle its edges),
 * {@code __alloc_contig_try_harder} (a contiguous request that no single free block can hold,
 * assembled around a free block of the next lower power of two) and {@code drm_buddy_block_trim}.
 *
 * <pre>
 *   try harder, 3 pages:        free [2, 4) is order 1; page 4 is free but not its buddy
 *   [0 1][2 3][4][5 6 7]        right of [2, 4): [2, 5) -> blocks [2, 4) and [4, 5)
 *     A    -   -   A            (when the right side is short, the rest is taken on the left)
 * </pre>
 */
final class DrmBuddyRange {

    private final DrmBuddy mm;

    DrmBuddyRange(DrmBuddy mm) {
        this.mm = mm;
    }

    /** {@code __drm_buddy_alloc_range}: {@link #allocRange(Deque, long, long, long[], List)} from the roots. */
    int allocRange(long start, long size, long[] filledOnError, List<DrmBuddyBlock> out) {
        return allocRange(new ArrayDeque<>(mm.roots()), start, size, filledOnError, out);
    }

    /**
     * {@code __alloc_range}: allocates the free blocks that cover {@code [start, start + size)},
     * walking depth first from {@code dfs}, and appends them to {@code out} by offset. Fails
     * with {@code -ENOSPC} on the first allocated block in the range (or a split one while no
     * clear space exists) or when the mm ends first. On failure the blocks taken so far are
     * freed again, unless {@code filledOnError} is given: then they go to {@code out} and their
     * total to {@code filledOnError[0]}.
     */
    int allocRange(Deque<DrmBuddyBlock> dfs, long start, long size, long[] filledOnError, List<DrmBuddyBlock> out) {
        long last = size > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + size - 1;
        List<DrmBuddyBlock> allocated = new ArrayList<>();
        long total = 0;
        boolean failed = false;
        while (!dfs.isEmpty() && !failed) {
            DrmBuddyBlock block = dfs.pollFirst();
            long blockStart = block.offset();
            long blockEnd = block.endOffset() - 1;
            if (!DrmBuddyMath.overlaps(start, last, blockStart, blockEnd)) {
                continue;
            }
            boolean contained = DrmBuddyMath.contains(start, last, blockStart, blockEnd);
            if (contained && block.isFree()) {
                mm.take(block);
                total += block.sizeBytes();
                allocated.add(block);
                continue;
            }
            failed = block.isAllocated() || contained && mm.clearAvailableBytes() == 0;
            if (!failed) {
                if (!block.isSplit()) {
                    mm.split(block);
                }
                dfs.addFirst(block.right());
                dfs.addFirst(block.left());
            }
        }
        if (!failed && total >= size) {
            out.addAll(allocated);
            return 0;
        }
        if (filledOnError != null) {
            out.addAll(allocated);
            filledOnError[0] = total;
        } else {
            mm.freeInternal(allocated);
        }
        return Errno.ENOSPC.neg();
    }

    /**
     * {@code __alloc_contig_try_harder}: for each free block of order
     * {@code ilog2(rounddown_pow_of_two(size))} (clear tree first, highest offset first), take
     * {@code [block, block + size)}; if that falls short, take what is missing (at least
     * {@code minBlockSize}) just below the block. The first that works wins.
     */
    DrmBuddyAllocResult tryHarder(long size, long minBlockSize) {
        int order = DrmBuddyMath.fls(Long.highestOneBit(size) >> mm.chunkShift()) - 1;
        if (order == 0) {
            return new DrmBuddyAllocResult.Failed(Errno.ENOSPC);
        }
        for (FreeTree tree : FreeTree.values()) {
            DrmBuddyBlock block = mm.freeTrees().last(tree, order);
            while (block != null) {
                List<DrmBuddyBlock> blocks = aroundBlock(block, size, minBlockSize);
                if (blocks != null) {
                    return new DrmBuddyAllocResult.Allocated(blocks);
                }
                block = mm.freeTrees().before(tree, order, block.offset());
            }
        }
        return new DrmBuddyAllocResult.Failed(Errno.ENOSPC);
    }

    /** One try-harder attempt: right of {@code block}, then the shortfall left of it; {@code null} if neither. */
    private List<DrmBuddyBlock> aroundBlock(DrmBuddyBlock block, long size, long minBlockSize) {
        long[] filled = {0};
        List<DrmBuddyBlock> rhs = new ArrayList<>();
        if (allocRange(block.offset(), size, filled, rhs) == 0) {
            return rhs;
        }
        long lhsSize = Math.max(size - filled[0], minBlockSize);
        lhsSize = DrmBuddyMath.roundUp(lhsSize, minBlockSize);
        List<DrmBuddyBlock> lhs = new ArrayList<>();
        // Below offset 0 the kernel's u64 start wraps and overlaps no block: -ENOSPC.
        if (block.offset() >= lhsSize && allocRange(block.offset() - lhsSize, lhsSize, null, lhs) == 0) {
            lhs.addAll(rhs);
            return lhs;
        }
        mm.freeInternal(rhs);
        return null;
    }

    /**
     * {@code drm_buddy_block_trim}: the single allocated block of {@code blocks} is freed and
     * {@code [newStart, newStart + newSize)} of it allocated again (from its start unless
     * {@code hasStart}); the list then holds the new blocks. While this runs the block has no
     * parent, so nothing merges above it.
     */
    int blockTrim(boolean hasStart, long start, long newSize, List<DrmBuddyBlock> blocks) {
        if (blocks.size() != 1) {
            return Errno.EINVAL.neg();
        }
        DrmBuddyBlock block = blocks.get(0);
        if (block.mm() != mm || block.isReleased()) {
            throw new IllegalStateException("drm_buddy: trim of a block not in this mm: " + block);
        }
        long chunk = mm.chunkSizeBytes();
        if (!block.isAllocated() || newSize <= 0 || newSize > block.sizeBytes()
                || !DrmBuddyMath.isAligned(newSize, chunk)) {
            return Errno.EINVAL.neg();
        }
        if (newSize == block.sizeBytes()) {
            return 0;
        }
        if (hasStart && (start < block.offset() || !DrmBuddyMath.isAligned(start, chunk)
                || DrmBuddyMath.rangeOverflows(start, newSize, block.endOffset()))) {
            return Errno.EINVAL.neg();
        }
        blocks.remove(0);
        mm.markFree(block);
        mm.accountFree(block);
        DrmBuddyBlock parent = block.parent();
        block.setParent(null);
        long newStart = hasStart ? start : block.offset();
        int err = allocRange(new ArrayDeque<>(List.of(block)), newStart, newSize, null, blocks);
        if (err != 0) {
            mm.take(block);
            blocks.add(0, block);
        }
        block.setParent(parent);
        return err;
    }
}
