package accelmm.drm;

import accelmm.mm.MmuIntervalNotifier;
import accelmm.mm.MmuNotifierSubscriptions;

import accelmm.mm.PhysicalMemory;

/**
 * One entry of a GPU page table: the frame (allocation) a GPU virtual page translates to and
 * whether the GPU may write it. Like a CPU PTE it remembers the frame's generation when it was
 * written, so an access through an entry that outlived its page is seen as stale.
 */
public record GpuPte(PhysicalMemory.FrameRef ref, boolean writable, MmuIntervalNotifier notifier, long notifierSeq) {

    /** An entry for a BO page or a pinned page: no notifier says when it goes stale. */
    public GpuPte(PhysicalMemory.FrameRef ref, boolean writable) {
        this(ref, writable, null, 0);
    }

    /**
     * Whether this entry mirrors CPU pages read at a notifier sequence that an invalidation has
     * since moved past, and that invalidation is over: the driver should have dropped or
     * refreshed the entry, so an access through it is stale. While an invalidation is still
     * running the device may finish its work (the callback waits for it).
     */
    public boolean invalidated() {
        if (notifier == null || !notifier.readRetry(notifierSeq)) {
            return false;
        }
        MmuNotifierSubscriptions subs = notifier.mm().notifierSubscriptions();
        return subs == null || !subs.isInvalidating();
    }

    @Override
    public String toString() {
        return ref.frame() + (writable ? " rw" : " ro");
    }
}
