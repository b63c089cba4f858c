package accelmm.drm;

import accelmm.mm.Errno;
import java.util.List;

/**
 * What {@code drm_buddy_alloc_blocks} hands back: the blocks it appended to the caller's list
 * (return value 0), or the negative errno it returned with the list untouched.
 */
public sealed interface DrmBuddyAllocResult {

    /** The kernel's return value: 0, or a negative errno ({@code -ENOSPC}, {@code -EINVAL}). */
    int ret();

    /** The allocated blocks in the order the kernel lists them; empty on failure. */
    List<DrmBuddyBlock> blocks();

    /** Whether the call failed. */
    default boolean isError() {
        return ret() < 0;
    }

    /** The sum of the blocks' sizes. */
    default long sizeBytes() {
        long total = 0;
        for (DrmBuddyBlock b : blocks()) {
            total += b.sizeBytes();
        }
        return total;
    }

    /** Success: the blocks, owned by the caller until it frees them. */
    record Allocated(List<DrmBuddyBlock> blocks) implements DrmBuddyAllocResult {
        public Allocated {
            blocks = List.copyOf(blocks);
        }

        @Override
        public int ret() {
            return 0;
        }
    }

    /** Failure, as the kernel returns it. */
    record Failed(Errno errno) implements DrmBuddyAllocResult {
        @Override
        public int ret() {
            return errno.neg();
        }

        @Override
        public List<DrmBuddyBlock> blocks() {
            return List.of();
        }
    }

    /** The result for a kernel-style return value and the blocks gathered so far. */
    static DrmBuddyAllocResult of(int ret, List<DrmBuddyBlock> blocks) {
        return ret < 0 ? new Failed(Errno.ofReturn(ret)) : new Allocated(blocks);
    }
}
