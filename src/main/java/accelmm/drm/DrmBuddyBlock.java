package accelmm.drm;

import java.util.Locale;

/**
 * Models {@code struct drm_buddy_block}: one power-of-two, naturally aligned block of a
 * {@link DrmBuddy}, a node of the binary tree under one of its roots.
 *
 * <p>The kernel packs offset, state, the clear bit and the order into {@code header}; here they
 * are fields. A block is {@link State#FREE} (in its mm's free tree for its order and clear
 * state), {@link State#ALLOCATED} (owned by whoever allocated it) or {@link State#SPLIT} (its
 * two children carry the state). When two free buddies merge, both child blocks go back to the
 * slab ({@code drm_block_free}); the model marks such a block released, so that freeing it
 * again is caught as the use-after-free it would be in the kernel.
 */
public final class DrmBuddyBlock {

    /** {@code DRM_BUDDY_ALLOCATED}, {@code DRM_BUDDY_FREE}, {@code DRM_BUDDY_SPLIT}. */
    public enum State {
        ALLOCATED, FREE, SPLIT
    }

    private final DrmBuddy mm;
    private final long offset;
    private final int order;
    private final long sizeBytes;
    private DrmBuddyBlock parent;
    private DrmBuddyBlock left;
    private DrmBuddyBlock right;
    private State state = State.FREE;
    private boolean clear;
    private boolean released;

    /** {@code drm_block_alloc}: a new block, not yet in any free tree. */
    DrmBuddyBlock(DrmBuddy mm, DrmBuddyBlock parent, int order, long offset) {
        if (order < 0 || order > DrmBuddy.DRM_BUDDY_MAX_ORDER) {
            throw new IllegalStateException("drm_buddy: BUG: block order " + order);
        }
        this.mm = mm;
        this.parent = parent;
        this.order = order;
        this.offset = offset;
        this.sizeBytes = mm.chunkSizeBytes() << order;
    }

    /** {@code drm_buddy_block_offset}: the first byte of the block. */
    public long offset() {
        return offset;
    }

    /** {@code drm_buddy_block_order}: the block is {@code chunk_size << order} bytes. */
    public int order() {
        return order;
    }

    /** {@code drm_buddy_block_size}. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** One past the last byte of the block. */
    public long endOffset() {
        return offset + sizeBytes;
    }

    /** {@code drm_buddy_block_state}. */
    public State state() {
        return state;
    }

    public boolean isAllocated() {
        return state == State.ALLOCATED;
    }

    public boolean isFree() {
        return state == State.FREE;
    }

    public boolean isSplit() {
        return state == State.SPLIT;
    }

    /** {@code drm_buddy_block_is_clear}: the block's memory is known to be zeroed. */
    public boolean isClear() {
        return clear;
    }

    /** The parent block, or {@code null} for a root. */
    public DrmBuddyBlock parent() {
        return parent;
    }

    /** The lower half while the block is split, otherwise {@code null}. */
    public DrmBuddyBlock left() {
        return left;
    }

    /** The upper half while the block is split, otherwise {@code null}. */
    public DrmBuddyBlock right() {
        return right;
    }

    /** {@code drm_get_buddy}: the other child of this block's parent, or {@code null} for a root. */
    public DrmBuddyBlock buddy() {
        if (parent == null) {
            return null;
        }
        return parent.left == this ? parent.right : parent.left;
    }

    /** Whether the block went back to the slab (merged away, or its mm was torn down). */
    public boolean isReleased() {
        return released;
    }

    /** {@code drm_buddy_block_print}, plus state and clear bit: {@code 0x...-0x...: 4096 free clear}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%#018x-%#018x: %d %s%s", offset, offset + sizeBytes, sizeBytes,
                state.name().toLowerCase(Locale.ROOT), clear ? " clear" : "");
    }

    DrmBuddy mm() {
        return mm;
    }

    void setState(State next) {
        state = next;
    }

    void setClear(boolean value) {
        clear = value;
    }

    /** The kernel clears {@code parent} for the duration of a trim, so merges stop at the block. */
    void setParent(DrmBuddyBlock value) {
        parent = value;
    }

    void setChildren(DrmBuddyBlock lower, DrmBuddyBlock upper) {
        left = lower;
        right = upper;
    }

    /** {@code drm_block_free}. */
    void release() {
        released = true;
    }
}
