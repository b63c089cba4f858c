package accelmm.drm;

import accelmm.drm.DrmBuddyFreeTrees.FreeTree;
import accelmm.mm.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Models {@code struct drm_buddy}: the binary buddy allocator that DRM drivers (amdgpu, i915,
 * xe) use to manage VRAM, after drivers/gpu/drm/drm_buddy.c and include/drm/drm_buddy.h.
 *
 * <p>Design note. The managed range {@code [0, size)} is cut into power-of-two roots, largest
 * first ({@code hweight64(size)} of them), so a size that is not a power of two works. Each root
 * is the top of a binary tree of {@link DrmBuddyBlock}s; a block of order {@code k} is
 * {@code chunk_size << k} bytes and naturally aligned. Allocation takes a free block of at
 * least the wanted order and splits it, keeping the upper half each time; freeing merges a
 * block with its buddy while the buddy is free and in the same clear state, up to the root.
 * Free blocks sit in {@link DrmBuddyFreeTrees}: per order, one tree of clear (zeroed) and one of
 * dirty blocks, both ordered by offset, and every search takes the highest offset first.
 *
 * <pre>
 *   size = 10 pages, chunk = 1 page        roots: [0, 8) order 3, [8, 10) order 1
 *   [0 ........................ 8)[8 .. 10)
 *   [0 .......... 4)[4 .......... 8)        alloc 1 page: split 8 -> 4 -> 2 -> 1 on the
 *                   [4 .. 6)[6 .. 8)        root [8, 10), keep the right half: page 9
 * </pre>
 *
 * <p>Clear tracking (kernel 6.10+): blocks freed with {@link DrmBuddyFlag#CLEARED} are clear,
 * and a clear and a dirty buddy do not merge; {@link DrmBuddyFlag#CLEAR_ALLOCATION} prefers the
 * clear trees. When a request cannot be met because of such unmerged pairs, the allocator
 * force-merges them ({@code __force_merge}) and the merged block is dirty. {@link #fini()}
 * force-merges too, so that every root is whole again.
 *
 * <p>Kernel return values are modelled as values: {@code -EINVAL} for requests that are
 * malformed (misaligned, outside the mm, or rounded up past its size), {@code -ENOSPC} when the
 * space is not there. Kernel {@code BUG_ON}s and {@code WARN_ON}s on the allocator's own state
 * (freeing a block that is not allocated, a free block missing from its tree) throw
 * {@link IllegalStateException}. No {@code -ENOMEM}: the model never fails to allocate a
 * {@code struct drm_buddy_block}. Locking is the caller's, as in the kernel.
 *
 * <p>Sizes are u64 in the kernel; here they are non-negative longs, so an mm holds at most
 * {@code 2^63 - 1} bytes and, with the smallest chunk (4 KiB), its highest order is 50, one
 * below {@link #DRM_BUDDY_MAX_ORDER}. A negative request argument stands for a u64 of
 * {@code 2^63} or more, which no mm can satisfy: {@code -EINVAL}.
 */
public final class DrmBuddy {

    /** {@code DRM_BUDDY_MAX_ORDER}: order-zero is at least 4 KiB and offsets are 64-bit. */
    public static final int DRM_BUDDY_MAX_ORDER = 63 - 12;

    /** {@code SZ_4K}: the smallest chunk size. */
    public static final long SZ_4K = 4096;

    private final List<DrmBuddyBlock> roots = new ArrayList<>();
    private final DrmBuddyAllocator allocator = new DrmBuddyAllocator(this);
    private final DrmBuddyMerge merge = new DrmBuddyMerge(this);
    private DrmBuddyFreeTrees freeTrees;
    private boolean initialized;
    private long sizeBytes;
    private long chunkSizeBytes;
    private int chunkShift;
    private int maxOrder;
    private long avail;
    private long clearAvail;

    /**
     * {@code drm_buddy_init}: manages {@code [0, round_down(size, chunkSize))}. Returns 0, or
     * {@code -EINVAL} if the size is smaller than the chunk or the chunk is not a power of two
     * of at least 4 KiB.
     */
    public int init(long size, long chunkSize) {
        if (initialized) {
            throw new IllegalStateException("drm_buddy_init on an initialised mm");
        }
        if (size < 0) {
            throw new IllegalArgumentException("the model manages at most 2^63-1 bytes, not u64 " + size);
        }
        if (size < chunkSize || chunkSize < SZ_4K || !DrmBuddyMath.isPowerOfTwo(chunkSize)) {
            return Errno.EINVAL.neg();
        }
        chunkSizeBytes = chunkSize;
        chunkShift = DrmBuddyMath.ilog2(chunkSize);
        sizeBytes = size & -chunkSize;
        avail = sizeBytes;
        clearAvail = 0;
        maxOrder = DrmBuddyMath.ilog2(sizeBytes) - chunkShift;
        if (maxOrder > DRM_BUDDY_MAX_ORDER) {
            throw new IllegalStateException("drm_buddy: BUG: max_order " + maxOrder);
        }
        freeTrees = new DrmBuddyFreeTrees(maxOrder);
        long offset = 0;
        for (long left = sizeBytes; left != 0; ) {
            DrmBuddyBlock root = new DrmBuddyBlock(this, null, DrmBuddyMath.ilog2(left) - chunkShift, offset);
            markFree(root);
            roots.add(root);
            offset += root.sizeBytes();
            left -= root.sizeBytes();
        }
        initialized = true;
        return 0;
    }

    /**
     * {@code drm_buddy_fini}: force-merges every root back together and tears the mm down. The
     * kernel warns when a root is not free or {@code avail != size}; the model returns the
     * blocks still allocated (the leak), by offset, and an empty list when nothing leaked.
     * Every block of the mm is released; the mm may be initialised again.
     */
    public List<DrmBuddyBlock> fini() {
        requireInitialized();
        List<DrmBuddyBlock> leaked = allocatedBlocks();
        forceMergeRoots();
        for (DrmBuddyBlock block : allBlocks()) {
            block.release();
        }
        roots.clear();
        freeTrees = null;
        initialized = false;
        return leaked;
    }

    /**
     * {@code drm_buddy_alloc_blocks}: {@code size} bytes in power-of-two blocks of at least
     * {@code minBlockSize}, inside {@code [start, end)} when {@link DrmBuddyFlag#RANGE_ALLOCATION}
     * is set (and exactly {@code [start, end)} when {@code start + size == end}).
     */
    public DrmBuddyAllocResult allocBlocks(long start, long end, long size, long minBlockSize,
            Set<DrmBuddyFlag> flags) {
        requireInitialized();
        Set<DrmBuddyFlag> copy = flags.isEmpty() ? EnumSet.noneOf(DrmBuddyFlag.class) : EnumSet.copyOf(flags);
        return allocator.allocBlocks(start, end, size, minBlockSize, copy);
    }

    /** {@link #allocBlocks(long, long, long, long, Set)} with the flags listed. */
    public DrmBuddyAllocResult allocBlocks(long start, long end, long size, long minBlockSize,
            DrmBuddyFlag... flags) {
        return allocBlocks(start, end, size, minBlockSize, flagSet(flags));
    }

    /**
     * {@code drm_buddy_free_list}: frees every block of the list, marking each clear when
     * {@link DrmBuddyFlag#CLEARED} is given and dirty otherwise. (The kernel also empties the
     * list; here the caller's list is left as it is, its blocks no longer owned.)
     */
    public void freeBlocks(List<DrmBuddyBlock> blocks, Set<DrmBuddyFlag> flags) {
        requireInitialized();
        boolean cleared = flags.contains(DrmBuddyFlag.CLEARED);
        for (DrmBuddyBlock block : blocks) {
            requireAllocatedHere(block);
            block.setClear(cleared);
            freeBlock(block);
        }
    }

    /** {@link #freeBlocks(List, Set)} with the flags listed. */
    public void freeBlocks(List<DrmBuddyBlock> blocks, DrmBuddyFlag... flags) {
        freeBlocks(blocks, flagSet(flags));
    }

    /** {@code drm_buddy_free_block}: frees one block, keeping its clear state, and merges it. */
    public void freeBlock(DrmBuddyBlock block) {
        requireInitialized();
        requireAllocatedHere(block);
        accountFree(block);
        mergeFree(block, false);
    }

    /**
     * {@code drm_buddy_block_trim}: shrinks the single allocated block in {@code blocks} (a
     * mutable list) to {@code newSize} bytes from its start, replacing it in the list with the
     * blocks that cover the new size and freeing the rest. Returns 0 or {@code -EINVAL}.
     */
    public int blockTrim(long newSize, List<DrmBuddyBlock> blocks) {
        requireInitialized();
        return allocator.range().blockTrim(false, 0, newSize, blocks);
    }

    /** {@code drm_buddy_block_trim} with {@code start}: keep {@code [start, start + newSize)}. */
    public int blockTrim(long start, long newSize, List<DrmBuddyBlock> blocks) {
        requireInitialized();
        return allocator.range().blockTrim(true, start, newSize, blocks);
    }

    /**
     * {@code drm_buddy_reset_clear}: force-merges every root, then marks every free block clear
     * ({@code isClear}) or dirty, as a driver does after wiping VRAM or on resume.
     */
    public void resetClear(boolean isClear) {
        requireInitialized();
        forceMergeRoots();
        FreeTree source = isClear ? FreeTree.DIRTY : FreeTree.CLEAR;
        for (int order = 0; order <= maxOrder; order++) {
            for (DrmBuddyBlock block : freeTrees.blocks(source, order)) {
                freeTrees.remove(block);
                block.setClear(isClear);
                clearAvail += isClear ? block.sizeBytes() : -block.sizeBytes();
                freeTrees.insert(block);
            }
        }
    }

    public boolean isInitialized() {
        return initialized;
    }

    /** {@code mm->size}: the managed bytes, a multiple of the chunk size. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** {@code mm->chunk_size}: the size of an order-0 block. */
    public long chunkSizeBytes() {
        return chunkSizeBytes;
    }

    /** {@code mm->max_order}: the order of the first (largest) root. */
    public int maxOrder() {
        return maxOrder;
    }

    /** {@code mm->avail}: bytes not allocated. */
    public long availableBytes() {
        return avail;
    }

    /** {@code mm->clear_avail}: free bytes known to be zeroed. */
    public long clearAvailableBytes() {
        return clearAvail;
    }

    /** {@code mm->roots}, largest (lowest offset) first. */
    public List<DrmBuddyBlock> roots() {
        return Collections.unmodifiableList(roots);
    }

    /** The free blocks, by offset. */
    public List<DrmBuddyBlock> freeList() {
        return leaves(DrmBuddyBlock.State.FREE);
    }

    /** The allocated blocks, by offset. */
    public List<DrmBuddyBlock> allocatedBlocks() {
        return leaves(DrmBuddyBlock.State.ALLOCATED);
    }

    /** How many free blocks of {@code order} there are, clear or dirty. */
    public int freeBlockCount(int order) {
        requireInitialized();
        return order < 0 || order > maxOrder ? 0 : freeTrees.count(order);
    }

    /**
     * {@code drm_buddy_print}: totals, then free bytes and blocks per order, highest first, in
     * the kernel's format (lines end in {@code \n} whatever the platform).
     */
    public String print() {
        requireInitialized();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "chunk_size: %dKiB, total: %dMiB, free: %dMiB, clear_free: %dMiB\n",
                chunkSizeBytes >> 10, sizeBytes >> 20, avail >> 20, clearAvail >> 20));
        for (int order = maxOrder; order >= 0; order--) {
            long count = freeTrees.count(order);
            long free = count * (chunkSizeBytes << order);
            String amount = free < (1 << 20)
                    ? String.format(Locale.ROOT, "%8d KiB", free >> 10)
                    : String.format(Locale.ROOT, "%8d MiB", free >> 20);
            out.append(String.format(Locale.ROOT, "order-%2d free: %s, blocks: %d\n", order, amount, count));
        }
        return out.toString();
    }

    // ---- primitives shared with DrmBuddyAllocator and DrmBuddyRange -------------------------

    int chunkShift() {
        return chunkShift;
    }

    DrmBuddyFreeTrees freeTrees() {
        return freeTrees;
    }

    /** {@code mark_free}: the block becomes free and enters the tree of its clear state. */
    void markFree(DrmBuddyBlock block) {
        block.setState(DrmBuddyBlock.State.FREE);
        freeTrees.insert(block);
    }

    /** {@code mark_allocated}: the block leaves its free tree. */
    void markAllocated(DrmBuddyBlock block) {
        block.setState(DrmBuddyBlock.State.ALLOCATED);
        freeTrees.remove(block);
    }

    /** {@code mark_allocated} and the accounting every allocation path does with it. */
    void take(DrmBuddyBlock block) {
        markAllocated(block);
        avail -= block.sizeBytes();
        if (block.isClear()) {
            clearAvail -= block.sizeBytes();
        }
    }

    /** The accounting of {@code drm_buddy_free_block}, before the merge. */
    void accountFree(DrmBuddyBlock block) {
        avail += block.sizeBytes();
        if (block.isClear()) {
            clearAvail += block.sizeBytes();
        }
    }

    /**
     * {@code split_block}: two free halves replace a free block; a clear block passes its clear
     * state to both halves and becomes dirty itself (a split block has no clear state).
     */
    void split(DrmBuddyBlock block) {
        if (!block.isFree() || block.order() == 0) {
            throw new IllegalStateException("drm_buddy: BUG: split of " + block);
        }
        int order = block.order() - 1;
        DrmBuddyBlock lower = new DrmBuddyBlock(this, block, order, block.offset());
        DrmBuddyBlock upper = new DrmBuddyBlock(this, block, order, block.offset() + (chunkSizeBytes << order));
        block.setChildren(lower, upper);
        block.setState(DrmBuddyBlock.State.SPLIT);
        freeTrees.remove(block);
        if (block.isClear()) {
            lower.setClear(true);
            upper.setClear(true);
            block.setClear(false);
        }
        markFree(lower);
        markFree(upper);
    }

    /** {@code __drm_buddy_free}, see {@link DrmBuddyMerge#mergeFree}. */
    int mergeFree(DrmBuddyBlock block, boolean force) {
        return merge.mergeFree(block, force);
    }

    /** {@code __force_merge}, see {@link DrmBuddyMerge#forceMerge}. */
    int forceMerge(long start, long end, int minOrder) {
        return merge.forceMerge(start, end, minOrder);
    }

    /** Adds to (or, negative, takes from) {@code clear_avail}. */
    void addClearAvail(long bytes) {
        clearAvail += bytes;
    }

    /** Frees blocks of a failed or partial allocation without touching their clear state. */
    void freeInternal(List<DrmBuddyBlock> blocks) {
        for (DrmBuddyBlock block : blocks) {
            freeBlock(block);
        }
    }

    /**
     * The loop of {@code drm_buddy_fini} and {@code drm_buddy_reset_clear}: force-merges each
     * root in turn, over the range from the root to the end of the mm, up to the root's order.
     */
    private void forceMergeRoots() {
        long left = sizeBytes;
        for (DrmBuddyBlock root : roots) {
            int order = DrmBuddyMath.ilog2(left) - chunkShift;
            forceMerge(root.offset(), root.offset() + left, order);
            left -= chunkSizeBytes << order;
        }
    }

    // ---- checks and helpers ----------------------------------------------------------------

    private void requireInitialized() {
        if (!initialized) {
            throw new IllegalStateException("drm_buddy: mm not initialised");
        }
    }

    /** {@code BUG_ON(!drm_buddy_block_is_allocated(block))}, and the block must be this mm's. */
    private void requireAllocatedHere(DrmBuddyBlock block) {
        if (block.mm() != this || block.isReleased()) {
            throw new IllegalStateException("drm_buddy: BUG: block " + block
                    + (block.isReleased() ? " was already released" : " belongs to another mm"));
        }
        if (!block.isAllocated()) {
            throw new IllegalStateException("drm_buddy: BUG: freeing block " + block + " that is not allocated");
        }
    }

    /** The blocks of the trees in the given state, by offset (depth first, lower half first). */
    private List<DrmBuddyBlock> leaves(DrmBuddyBlock.State state) {
        requireInitialized();
        List<DrmBuddyBlock> out = new ArrayList<>();
        for (DrmBuddyBlock block : allBlocks()) {
            if (block.state() == state) {
                out.add(block);
            }
        }
        return out;
    }

    /** Every block of every tree, parents before children, by offset otherwise. */
    private List<DrmBuddyBlock> allBlocks() {
        List<DrmBuddyBlock> out = new ArrayList<>();
        Deque<DrmBuddyBlock> dfs = new ArrayDeque<>(roots);
        while (!dfs.isEmpty()) {
            DrmBuddyBlock block = dfs.pollFirst();
            out.add(block);
            if (block.isSplit()) {
                dfs.addFirst(block.right());
                dfs.addFirst(block.left());
            }
        }
        return out;
    }

    private static Set<DrmBuddyFlag> flagSet(DrmBuddyFlag... flags) {
        Set<DrmBuddyFlag> set = EnumSet.noneOf(DrmBuddyFlag.class);
        Collections.addAll(set, flags);
        return set;
    }
}
