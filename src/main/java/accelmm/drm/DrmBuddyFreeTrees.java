package accelmm.drm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Models {@code drm_buddy->free_trees}: for each of the two {@link FreeTree}s (clear, dirty) and
 * each order, the free blocks of that order and clear state, ordered by offset. The kernel keeps
 * them in red-black trees keyed by offset ({@code rbtree_insert}, {@code rb_last},
 * {@code rb_prev}); a {@link TreeMap} has the same order and the same "last" and "previous".
 * Older kernels kept one offset-sorted list per order; both take the highest offset first.
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

    /** An empty tree stands for a tree not created yet: most orders of a large mm stay empty. */
    private static final NavigableMap<Long, DrmBuddyBlock> EMPTY = Collections.emptyNavigableMap();

    /** Per order; {@code null} until the first insert into it. */
    private final TreeMap<Long, DrmBuddyBlock>[] clear;
    private final TreeMap<Long, DrmBuddyBlock>[] dirty;

    @SuppressWarnings("unchecked")
    DrmBuddyFreeTrees(int maxOrder) {
        clear = new TreeMap[maxOrder + 1];
        dirty = new TreeMap[maxOrder + 1];
    }

    /** {@code rbtree_insert} into the tree of the block's clear state and order. */
    void insert(DrmBuddyBlock block) {
        TreeMap<Long, DrmBuddyBlock>[] trees = FreeTree.of(block) == FreeTree.CLEAR ? clear : dirty;
        int order = block.order();
        if (order < 0 || order >= trees.length) {
            throw new IndexOutOfBoundsException("Index " + order + " out of bounds for length " + trees.length);
        }
        if (trees[order] == null) {
            trees[order] = new TreeMap<>();
        }
        DrmBuddyBlock old = trees[order].putIfAbsent(block.offset(), block);
        if (old != null) {
            throw new IllegalStateException("drm_buddy: two free blocks at " + block + " and " + old);
        }
    }

    /** {@code rbtree_remove}: the block must be in the tree of its clear state and order. */
    void remove(DrmBuddyBlock block) {
        NavigableMap<Long, DrmBuddyBlock> root = root(FreeTree.of(block), block.order());
        if (root.isEmpty() || !root.remove(block.offset(), block)) {
            throw new IllegalStateException("drm_buddy: block " + block + " is not in its free tree");
        }
    }

    /** {@code rbtree_last_free_block}: the free block with the highest offset, or {@code null}. */
    DrmBuddyBlock last(FreeTree tree, int order) {
        Map.Entry<Long, DrmBuddyBlock> e = root(tree, order).lastEntry();
        return e == null ? null : e.getValue();
    }

    /** {@code rb_prev}: the free block just below {@code offset} in the tree, or {@code null}. */
    DrmBuddyBlock before(FreeTree tree, int order, long offset) {
        Map.Entry<Long, DrmBuddyBlock> e = root(tree, order).lowerEntry(offset);
        return e == null ? null : e.getValue();
    }

    boolean isEmpty(FreeTree tree, int order) {
        return root(tree, order).isEmpty();
    }

    /** The free blocks of one tree and order, by offset. */
    List<DrmBuddyBlock> blocks(FreeTree tree, int order) {
        return new ArrayList<>(root(tree, order).values());
    }

    /** How many free blocks of {@code order} there are, clear or dirty. */
    int count(int order) {
        return root(FreeTree.CLEAR, order).size() + root(FreeTree.DIRTY, order).size();
    }

    /** The tree of {@code tree} and {@code order}; an empty one stands for a tree not created yet. */
    private NavigableMap<Long, DrmBuddyBlock> root(FreeTree tree, int order) {
        TreeMap<Long, DrmBuddyBlock>[] trees = tree == FreeTree.CLEAR ? clear : dirty;
        if (order < 0 || order >= trees.length) {
            throw new IndexOutOfBoundsException("Index " + order + " out of bounds for length " + trees.length);
        }
        TreeMap<Long, DrmBuddyBlock> t = trees[order];
        return t != null ? t : EMPTY;
    }
}
