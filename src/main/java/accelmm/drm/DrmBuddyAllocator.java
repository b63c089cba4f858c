package accelmm.drm;

import accelmm.drm.DrmBuddyFreeTrees.FreeTree;
import accelmm.mm.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Models {@code drm_buddy_alloc_blocks} and the searches behind it: {@code alloc_from_freetree}
 * (with {@code get_maxblock} for top-down) and {@code __alloc_range_bias} (a depth-first walk
 * of the trees restricted to a range). Exact ranges and the contiguous "try harder" fallback
 * are in {@link DrmBuddyRange}.
 *
 * <p>A request is rounded first: a contiguous one up to a power of two (one block), any other
 * up to a multiple of its minimum block size. Then blocks are taken largest first: for each,
 * the highest order that still fits the remaining pages, falling back order by order to the
 * minimum; at the minimum, a force-merge of clear/dirty buddies is tried, then (contiguous, no
 * range) the try-harder search. A rounded-up request is trimmed back to the size asked for.
 */
final class DrmBuddyAllocator {

    private final DrmBuddy mm;
    private final DrmBuddyRange range;

    DrmBuddyAllocator(DrmBuddy mm) {
        this.mm = mm;
        this.range = new DrmBuddyRange(mm);
    }

    DrmBuddyRange range() {
        return range;
    }

    DrmBuddyAllocResult allocBlocks(long start, long end, long size, long minBlockSize, Set<DrmBuddyFlag> flags) {
        if (!validArguments(start, end, size, minBlockSize)) {
            return failed(Errno.EINVAL);
        }
        if (start + size == end) {
            if (!DrmBuddyMath.isAligned(start | end, minBlockSize)) {
                return failed(Errno.EINVAL);
            }
            List<DrmBuddyBlock> blocks = new ArrayList<>();
            return DrmBuddyAllocResult.of(range.allocRange(start, size, null, blocks), blocks);
        }
        boolean contiguous = flags.contains(DrmBuddyFlag.CONTIGUOUS_ALLOCATION);
        long rounded = contiguous ? DrmBuddyMath.roundUpPowerOfTwo(size)
                : DrmBuddyMath.isAligned(size, minBlockSize) ? size : DrmBuddyMath.roundUp(size, minBlockSize);
        long minRounded = contiguous ? rounded : minBlockSize;
        int order = DrmBuddyMath.fls(rounded >> mm.chunkShift()) - 1;
        if (order > mm.maxOrder() || rounded > mm.sizeBytes()) {
            return contiguous && !flags.contains(DrmBuddyFlag.RANGE_ALLOCATION)
                    ? range.tryHarder(size, minBlockSize)
                    : failed(Errno.EINVAL);
        }
        return allocRounded(start, end, rounded, minRounded, flags, size, minBlockSize);
    }

    /** The argument checks of {@code drm_buddy_alloc_blocks}, all {@code -EINVAL}. */
    private boolean validArguments(long start, long end, long size, long minBlockSize) {
        long chunk = mm.chunkSizeBytes();
        if (start < 0 || end < 0 || size < 0 || minBlockSize < 0) {
            return false;
        }
        return size >= chunk && minBlockSize >= chunk && DrmBuddyMath.isPowerOfTwo(minBlockSize)
                && DrmBuddyMath.isAligned(start | end | size, chunk)
                && end <= mm.sizeBytes()
                && !DrmBuddyMath.rangeOverflows(start, size, mm.sizeBytes());
    }

    /** The block loop of {@code drm_buddy_alloc_blocks}, then the trim. */
    private DrmBuddyAllocResult allocRounded(long start, long end, long size, long minBlockSize,
            Set<DrmBuddyFlag> flags, long originalSize, long originalMinBlockSize) {
        int shift = mm.chunkShift();
        int minOrder = DrmBuddyMath.ilog2(minBlockSize) - shift;
        long pages = size >> shift;
        int order = DrmBuddyMath.fls(pages) - 1;
        List<DrmBuddyBlock> allocated = new ArrayList<>();
        do {
            order = Math.min(order, DrmBuddyMath.fls(pages) - 1);
            if (order > mm.maxOrder() || order < minOrder) {
                throw new IllegalStateException("drm_buddy: BUG: order " + order + " outside [" + minOrder
                        + ", " + mm.maxOrder() + "]");
            }
            DrmBuddyBlock block = allocOne(start, end, order, flags);
            while (block == null && order > minOrder) {
                block = allocOne(start, end, --order, flags);
            }
            if (block == null) {
                block = afterForceMerge(start, end, minOrder, flags);
            }
            if (block == null) {
                if (flags.contains(DrmBuddyFlag.CONTIGUOUS_ALLOCATION)
                        && !flags.contains(DrmBuddyFlag.RANGE_ALLOCATION)) {
                    return range.tryHarder(originalSize, originalMinBlockSize);
                }
                mm.freeInternal(allocated);
                return failed(Errno.ENOSPC);
            }
            mm.take(block);
            allocated.add(block);
            pages -= 1L << order;
        } while (pages != 0);
        if (!flags.contains(DrmBuddyFlag.TRIM_DISABLE) && originalSize != size) {
            trim(allocated, size, originalSize);
        }
        return new DrmBuddyAllocResult.Allocated(allocated);
    }

    /** At the minimum order: force-merge clear/dirty buddies (if any clear space) and retry once. */
    private DrmBuddyBlock afterForceMerge(long start, long end, int minOrder, Set<DrmBuddyFlag> flags) {
        if (mm.clearAvailableBytes() != 0 && mm.forceMerge(start, end, minOrder) == 0) {
            return allocOne(start, end, minOrder, flags);
        }
        return null;
    }

    /** Trims the rounded-up allocation: the only block, or else the last one, gives back the excess. */
    private void trim(List<DrmBuddyBlock> allocated, long size, long originalSize) {
        if (allocated.size() == 1) {
            range.blockTrim(false, 0, originalSize, allocated);
            return;
        }
        DrmBuddyBlock last = allocated.remove(allocated.size() - 1);
        List<DrmBuddyBlock> temp = new ArrayList<>(List.of(last));
        range.blockTrim(false, 0, last.sizeBytes() - (size - originalSize), temp);
        allocated.addAll(temp);
    }

    /** {@code __drm_buddy_alloc_blocks}: one free block of {@code order}, or {@code null}. */
    private DrmBuddyBlock allocOne(long start, long end, int order, Set<DrmBuddyFlag> flags) {
        if (flags.contains(DrmBuddyFlag.RANGE_ALLOCATION)) {
            DrmBuddyBlock block = allocRangeBias(start, end, order, flags, false);
            return block != null ? block : allocRangeBias(start, end, order, flags, true);
        }
        return allocFromFreeTree(order, flags);
    }

    /**
     * {@code alloc_from_freetree}: the highest-offset block of the lowest order that has one
     * (or, top-down, the highest-offset block of any order), from the wanted clear state's
     * trees and otherwise from the other's; split down to {@code order}, keeping upper halves.
     */
    private DrmBuddyBlock allocFromFreeTree(int order, Set<DrmBuddyFlag> flags) {
        FreeTree tree = flags.contains(DrmBuddyFlag.CLEAR_ALLOCATION) ? FreeTree.CLEAR : FreeTree.DIRTY;
        DrmBuddyBlock block = flags.contains(DrmBuddyFlag.TOPDOWN_ALLOCATION)
                ? maxBlock(order, tree) : lowestOrderLast(order, tree);
        if (block == null) {
            block = lowestOrderLast(order, tree.other());
        }
        if (block == null) {
            return null;
        }
        if (!block.isFree()) {
            throw new IllegalStateException("drm_buddy: BUG: block in free tree is " + block);
        }
        while (block.order() != order) {
            mm.split(block);
            block = block.right();
        }
        return block;
    }

    private DrmBuddyBlock lowestOrderLast(int order, FreeTree tree) {
        for (int i = order; i <= mm.maxOrder(); i++) {
            DrmBuddyBlock block = mm.freeTrees().last(tree, i);
            if (block != null) {
                return block;
            }
        }
        return null;
    }

    /** {@code get_maxblock}: among orders {@code >= order}, the free block with the highest offset. */
    private DrmBuddyBlock maxBlock(int order, FreeTree tree) {
        DrmBuddyBlock max = null;
        for (int i = order; i <= mm.maxOrder(); i++) {
            DrmBuddyBlock block = mm.freeTrees().last(tree, i);
            if (block != null && (max == null || block.offset() > max.offset())) {
                max = block;
            }
        }
        return max;
    }

    /**
     * {@code __alloc_range_bias}: depth first from the roots, lower half first, through blocks
     * that overlap {@code [start, end)} and can hold an aligned block of {@code order} there;
     * splits free blocks on the way. Without {@code fallback}, blocks of the other clear state
     * are skipped (a split block counts as dirty). Returns a free block or {@code null}.
     */
    private DrmBuddyBlock allocRangeBias(long start, long end, int order, Set<DrmBuddyFlag> flags, boolean fallback) {
        long reqSize = mm.chunkSizeBytes() << order;
        long last = end == 0 ? Long.MAX_VALUE : end - 1; // u64 "end - 1" wraps
        boolean wantClear = flags.contains(DrmBuddyFlag.CLEAR_ALLOCATION);
        Deque<DrmBuddyBlock> dfs = new ArrayDeque<>(mm.roots());
        while (!dfs.isEmpty()) {
            DrmBuddyBlock block = dfs.pollFirst();
            long blockStart = block.offset();
            long blockEnd = block.endOffset() - 1;
            if (block.order() < order || !DrmBuddyMath.overlaps(start, last, blockStart, blockEnd)
                    || block.isAllocated()) {
                continue;
            }
            if ((blockStart < start || blockEnd > last)
                    && !holdsAligned(Math.max(blockStart, start), Math.min(blockEnd, last), reqSize)) {
                continue;
            }
            if (!fallback && wantClear != block.isClear()) {
                continue;
            }
            if (DrmBuddyMath.contains(start, last, blockStart, blockEnd) && order == block.order()) {
                if (block.isFree()) {
                    return block;
                }
                continue;
            }
            if (!block.isSplit()) {
                mm.split(block);
            }
            dfs.addFirst(block.right());
            dfs.addFirst(block.left());
        }
        return null;
    }

    /** Whether {@code [first, last]} holds a {@code reqSize}-aligned block of {@code reqSize} bytes. */
    private static boolean holdsAligned(long first, long last, long reqSize) {
        return DrmBuddyMath.roundDown(last + 1, reqSize) > DrmBuddyMath.roundUp(first, reqSize);
    }

    private static DrmBuddyAllocResult failed(Errno errno) {
        return new DrmBuddyAllocResult.Failed(errno);
    }
}
