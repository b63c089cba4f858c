package accelmm.drm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Models {@code drm_buddy->free_trees}: for each of the two {@link FreeTree}s (clear, dirty) and
 * each order, the free blocks of that order and clear state, ordered by offset. The kernel keeps
 * them in red-black trees keyed by offset ({@code rbtree_insert}, {@code rb_last},
 * {@code rb_prev}); an offset-sorted array per tree has the same order and the same "last" and
 * "previous". Older kernels kept one offset-sorted list per order; both take the highest offset
 * first.
 */
final class DrmBuddyFreeTrees {

    /** {@code enum drm_buddy_free_tree}, in the kernel's order: the clear tree comes first. */
    enum FreeTree {
        CLEAR, DIRTY;

        /** {@code get_block_tree}. */
        static FreeTree of(DrmBuddyBlock block) {
            return block.isClear() ? CLEAR : DIRTY;
        }

        FreeTree other() {
            return this == CLEAR ? DIRTY : CLEAR;
        }
    }

    /** Per order; {@code null} until the first insert into it (most orders of a large mm stay empty). */
    private final Root[] clear;
    private final Root[] dirty;

    DrmBuddyFreeTrees(int maxOrder) {
        clear = new Root[maxOrder + 1];
        dirty = new Root[maxOrder + 1];
    }

    /** {@code rbtree_insert} into the tree of the block's clear state and order. */
    void insert(DrmBuddyBlock block) {
        Root[] trees = FreeTree.of(block) == FreeTree.CLEAR ? clear : dirty;
        int order = block.order();
        if (order < 0 || order >= trees.length) {
            throw new IndexOutOfBoundsException("Index " + order + " out of bounds for length " + trees.length);
        }
        if (trees[order] == null) {
            trees[order] = new Root();
        }
        trees[order].insert(block);
    }

    /** {@code rbtree_remove}: the block must be in the tree of its clear state and order. */
    void remove(DrmBuddyBlock block) {
        Root root = root(FreeTree.of(block), block.order());
        if (root == null || !root.remove(block)) {
            throw new IllegalStateException("drm_buddy: block " + block + " is not in its free tree");
        }
    }

    /** {@code rbtree_last_free_block}: the free block with the highest offset, or {@code null}. */
    DrmBuddyBlock last(FreeTree tree, int order) {
        Root root = root(tree, order);
        return root == null || root.size == 0 ? null : root.blocks[root.size - 1];
    }

    /** {@code rb_prev}: the free block just below {@code offset} in the tree, or {@code null}. */
    DrmBuddyBlock before(FreeTree tree, int order, long offset) {
        Root root = root(tree, order);
        if (root == null) {
            return null;
        }
        int i = root.search(offset);
        // The insertion point when absent, else the block at offset: the one below is at i - 1.
        int below = (i >= 0 ? i : -i - 1) - 1;
        return below >= 0 ? root.blocks[below] : null;
    }

    boolean isEmpty(FreeTree tree, int order) {
        Root root = root(tree, order);
        return root == null || root.size == 0;
    }

    /** The free blocks of one tree and order, by offset. */
    List<DrmBuddyBlock> blocks(FreeTree tree, int order) {
        Root root = root(tree, order);
        List<DrmBuddyBlock> out = new ArrayList<>();
        if (root != null) {
            out.addAll(Arrays.asList(root.blocks).subList(0, root.size));
        }
        return out;
    }

    /** How many free blocks of {@code order} there are, clear or dirty. */
    int count(int order) {
        return size(root(FreeTree.CLEAR, order)) + size(root(FreeTree.DIRTY, order));
    }

    private static int size(Root root) {
        return root == null ? 0 : root.size;
    }

    /** The tree of {@code tree} and {@code order}; {@code null} for a tree not created yet. */
    private Root root(FreeTree tree, int order) {
        Root[] trees = tree == FreeTree.CLEAR ? clear : dirty;
        if (order < 0 || order >= trees.length) {
            throw new IndexOutOfBoundsException("Index " + order + " out of bounds for length " + trees.length);
        }
        return trees[order];
    }

    /**
     * One tree ({@code struct rb_root}): its blocks in an array sorted by offset. A tree rarely
     * holds more than a few blocks, so the array's shifting on insert and remove costs less than
     * a balanced tree's nodes and boxed keys; searches are binary, as the rbtree's walk is.
     */
    private static final class Root {
        DrmBuddyBlock[] blocks = new DrmBuddyBlock[4];
        int size;

        /** Binary search by offset: the index of the block at {@code offset}, else -(insertion point) - 1. */
        int search(long offset) {
            int lo = 0;
            int hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = blocks[mid].offset();
                if (at < offset) {
                    lo = mid + 1;
                } else if (at > offset) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        void insert(DrmBuddyBlock block) {
            int i = search(block.offset());
            if (i >= 0) {
                throw new IllegalStateException("drm_buddy: two free blocks at " + block + " and " + blocks[i]);
            }
            int at = -i - 1;
            if (size == blocks.length) {
                blocks = Arrays.copyOf(blocks, size * 2);
            }
            System.arraycopy(blocks, at, blocks, at + 1, size - at);
            blocks[at] = block;
            size++;
        }

        /** Removes {@code block} itself (not another block at its offset); false if absent. */
        boolean remove(DrmBuddyBlock block) {
            int i = search(block.offset());
            if (i < 0 || blocks[i] != block) {
                return false;
            }
            System.arraycopy(blocks, i + 1, blocks, i, size - i - 1);
            blocks[--size] = null;
            return true;
        }
    }
}
