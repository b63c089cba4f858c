package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmBuddyFreeTrees.FreeTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Whole-allocator invariants, after the kernel test's {@code check_mm} / {@code check_block}:
 * the leaves tile {@code [0, size)}; every block is a naturally aligned power of two whose buddy
 * sits at {@code offset ^ size}; the free trees hold exactly the free leaves, each in the tree of
 * its clear state; no two free buddies share a clear state (they would have merged);
 * {@code avail} and {@code clear_avail} match the blocks. Observes, never mutates.
 */
final class DrmBuddyChecks {

    private DrmBuddyChecks() {
    }

    static void assertConsistent(DrmBuddy mm) {
        List<DrmBuddyBlock> leaves = new ArrayList<>();
        long expectedOffset = 0;
        for (DrmBuddyBlock root : mm.roots()) {
            assertThat(root.offset()).as("root offset").isEqualTo(expectedOffset);
            assertThat(root.parent()).isNull();
            expectedOffset += root.sizeBytes();
            collectLeaves(mm, root, leaves);
        }
        assertThat(expectedOffset).as("roots cover the mm").isEqualTo(mm.sizeBytes());
        assertTiling(mm, leaves);
        assertFreeTrees(mm, leaves);
        assertAccounting(mm, leaves);
    }

    /** Blocks are pairwise disjoint: sorted by offset, each starts at or after the previous end. */
    static void assertDisjoint(List<DrmBuddyBlock> blocks) {
        List<DrmBuddyBlock> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(DrmBuddyBlock::offset));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).offset()).as("overlap: %s and %s", sorted.get(i - 1), sorted.get(i))
                    .isGreaterThanOrEqualTo(sorted.get(i - 1).endOffset());
        }
    }

    /** Blocks in list order form one contiguous range. */
    static void assertContiguous(List<DrmBuddyBlock> blocks) {
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).offset()).as("block %d follows block %d", i, i - 1)
                    .isEqualTo(blocks.get(i - 1).endOffset());
        }
    }

    static long totalBytes(List<DrmBuddyBlock> blocks) {
        return blocks.stream().mapToLong(DrmBuddyBlock::sizeBytes).sum();
    }

    private static void collectLeaves(DrmBuddy mm, DrmBuddyBlock root, List<DrmBuddyBlock> leaves) {
        Deque<DrmBuddyBlock> dfs = new ArrayDeque<>(List.of(root));
        while (!dfs.isEmpty()) {
            DrmBuddyBlock block = dfs.pollFirst();
            assertBlock(mm, block);
            if (block.isSplit()) {
                assertThat(block.isClear()).as("split block %s has no clear state", block).isFalse();
                assertThat(block.left().parent()).isSameAs(block);
                assertThat(block.right().parent()).isSameAs(block);
                dfs.addFirst(block.right());
                dfs.addFirst(block.left());
            } else {
                leaves.add(block);
            }
        }
    }

    /** {@code check_block}. */
    private static void assertBlock(DrmBuddy mm, DrmBuddyBlock block) {
        long size = block.sizeBytes();
        assertThat(block.isReleased()).as("%s released", block).isFalse();
        assertThat(size).isEqualTo(mm.chunkSizeBytes() << block.order());
        assertThat(Long.bitCount(size)).as("%s size is a power of two", block).isEqualTo(1);
        assertThat(block.offset() % size).as("%s offset aligned to its size", block).isZero();
        DrmBuddyBlock buddy = block.buddy();
        if (buddy != null) {
            assertThat(buddy.offset()).as("buddy of %s", block).isEqualTo(block.offset() ^ size);
            assertThat(buddy.sizeBytes()).isEqualTo(size);
            if (block.isFree() && buddy.isFree()) {
                assertThat(block.isClear()).as("free buddies %s and %s did not merge", block, buddy)
                        .isNotEqualTo(buddy.isClear());
            }
        }
    }

    private static void assertTiling(DrmBuddy mm, List<DrmBuddyBlock> leaves) {
        long next = 0;
        for (DrmBuddyBlock leaf : leaves) {
            assertThat(leaf.offset()).as("leaves tile the mm at %s", leaf).isEqualTo(next);
            next = leaf.endOffset();
        }
        assertThat(next).isEqualTo(mm.sizeBytes());
    }

    private static void assertFreeTrees(DrmBuddy mm, List<DrmBuddyBlock> leaves) {
        List<DrmBuddyBlock> inTrees = new ArrayList<>();
        for (FreeTree tree : FreeTree.values()) {
            for (int order = 0; order <= mm.maxOrder(); order++) {
                for (DrmBuddyBlock block : mm.freeTrees().blocks(tree, order)) {
                    assertThat(block.isFree()).as("%s in a free tree", block).isTrue();
                    assertThat(block.isClear()).as("%s in the %s tree", block, tree).isEqualTo(tree == FreeTree.CLEAR);
                    assertThat(block.order()).isEqualTo(order);
                    inTrees.add(block);
                }
            }
        }
        inTrees.sort(Comparator.comparingLong(DrmBuddyBlock::offset));
        List<DrmBuddyBlock> freeLeaves = leaves.stream().filter(DrmBuddyBlock::isFree).toList();
        assertThat(inTrees).containsExactlyElementsOf(freeLeaves);
        assertThat(mm.freeList()).containsExactlyElementsOf(freeLeaves);
    }

    private static void assertAccounting(DrmBuddy mm, List<DrmBuddyBlock> leaves) {
        long allocated = 0;
        long clearFree = 0;
        for (DrmBuddyBlock leaf : leaves) {
            if (leaf.isAllocated()) {
                allocated += leaf.sizeBytes();
            } else if (leaf.isClear()) {
                clearFree += leaf.sizeBytes();
            }
        }
        assertThat(mm.availableBytes()).as("avail").isEqualTo(mm.sizeBytes() - allocated);
        assertThat(mm.clearAvailableBytes()).as("clear_avail").isEqualTo(clearFree);
    }
}
