package accelmm.drm;

/**
 * Models the {@code DRM_BUDDY_*} flags of {@code drm_buddy_alloc_blocks} and
 * {@code drm_buddy_free_list} (include/drm/drm_buddy.h), in the kernel's bit order.
 */
public enum DrmBuddyFlag {
    /** {@code DRM_BUDDY_RANGE_ALLOCATION}: every block must lie inside {@code [start, end)}. */
    RANGE_ALLOCATION,
    /** {@code DRM_BUDDY_TOPDOWN_ALLOCATION}: take the free block with the highest offset. */
    TOPDOWN_ALLOCATION,
    /**
     * {@code DRM_BUDDY_CONTIGUOUS_ALLOCATION}: one physically contiguous range; the size is
     * rounded up to a power of two and trimmed back, with the "try harder" fallback.
     */
    CONTIGUOUS_ALLOCATION,
    /** {@code DRM_BUDDY_CLEAR_ALLOCATION}: prefer blocks known to be zeroed. */
    CLEAR_ALLOCATION,
    /** {@code DRM_BUDDY_CLEARED}: on free, the blocks are known to be zeroed. */
    CLEARED,
    /** {@code DRM_BUDDY_TRIM_DISABLE}: keep the rounded-up size, do not trim. */
    TRIM_DISABLE;

    /** The flag's bit in the kernel's {@code unsigned long flags}: {@code BIT(0)} to {@code BIT(5)}. */
    public long bit() {
        return 1L << ordinal();
    }
}
