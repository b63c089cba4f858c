package accelmm.drm;

import accelmm.drm.DrmBuddyFreeTrees.FreeTree;
import accelmm.mm.Errno;

/**
 * Models the merge side of drivers/gpu/drm/drm_buddy.c: {@code __drm_buddy_free} (a freed
 * block joins its free buddy, and the pair its parent's buddy, up to the root) and
 * {@code __force_merge} (joins free buddies that stayed apart because one is clear and the
 * other dirty; the result is dirty). The allocator force-merges when a request fails at its
 * minimum order while clear space exists; fini and reset_clear force-merge every root.
 */
final class DrmBuddyMerge {

    private final DrmBuddy mm;

    DrmBuddyMerge(DrmBuddy mm) {
        this.mm = mm;
    }

    /**
     * {@code __drm_buddy_free}: merges the block upwards while its buddy is free (and, unless
     * {@code force}, in the same clear state), then puts the result in its free tree. Returns
     * the order of the block that ends up free.
     */
    int mergeFree(DrmBuddyBlock block, boolean force) {
        DrmBuddyBlock parent;
        while ((parent = block.parent()) != null) {
            DrmBuddyBlock buddy = block.buddy();
            if (!buddy.isFree()) {
                break;
            }
            if (!force) {
                if (block.isClear() != buddy.isClear()) {
                    break;
                }
                if (block.isClear()) {
                    parent.setClear(true);
                }
            }
            mm.freeTrees().remove(buddy);
            if (force && buddy.isClear()) {
                mm.addClearAvail(-buddy.sizeBytes());
            }
            block.release();
            buddy.release();
            parent.setChildren(null, null);
            block = parent;
        }
        mm.markFree(block);
        return block.order();
    }

    /**
     * {@code __force_merge}: merges free buddies of different clear state inside
     * {@code [start, end]}, smallest orders last, clear tree first, highest offset first, until
     * one merge reaches {@code minOrder}. Returns 0 then, otherwise {@code -ENOMEM} (nothing to
     * merge; also for {@code minOrder} 0) or {@code -EINVAL} ({@code minOrder > max_order}).
     */
    int forceMerge(long start, long end, int minOrder) {
        if (minOrder == 0) {
            return Errno.ENOMEM.neg();
        }
        if (minOrder > mm.maxOrder()) {
            return Errno.EINVAL.neg();
        }
        for (FreeTree tree : FreeTree.values()) {
            for (int order = minOrder - 1; order >= 0; order--) {
                if (forceMergeOrder(tree, order, start, end, minOrder)) {
                    return 0;
                }
            }
        }
        return Errno.ENOMEM.neg();
    }

    private boolean forceMergeOrder(FreeTree tree, int order, long start, long end, int minOrder) {
        DrmBuddyBlock next = mm.freeTrees().last(tree, order);
        while (next != null) {
            DrmBuddyBlock block = next;
            next = mm.freeTrees().before(tree, order, block.offset());
            if (block.parent() == null || !DrmBuddyMath.contains(start, end, block.offset(), block.endOffset() - 1)) {
                continue;
            }
            DrmBuddyBlock buddy = block.buddy();
            if (!buddy.isFree()) {
                continue;
            }
            if (block.isClear() == buddy.isClear()) {
                throw new IllegalStateException("drm_buddy: WARN: free buddies in one clear state: " + block);
            }
            if (next == buddy) {
                next = mm.freeTrees().before(tree, order, buddy.offset());
            }
            mm.freeTrees().remove(block);
            if (block.isClear()) {
                mm.addClearAvail(-block.sizeBytes());
            }
            if (mergeFree(block, true) >= minOrder) {
                return true;
            }
        }
        return false;
    }
}
