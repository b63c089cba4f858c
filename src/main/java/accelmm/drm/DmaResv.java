package accelmm.drm;

import java.util.ArrayList;
import java.util.List;

/**
 * Models the fence container of {@code struct dma_resv}: the fences of the operations that use
 * an object (here a GPU VM), each with a usage. Waiting for a usage waits for every fence of
 * that usage and of the stricter ones before it, as {@code dma_resv_wait_timeout} does.
 *
 * <p>Abstracted away: the reservation's ww_mutex (the model serialises with the VM's own locks)
 * and fence slots reservation. Signalled fences are pruned when a fence is added.
 *
 * <p>Kernel sources followed: drivers/dma-buf/dma-resv.c, include/linux/dma-resv.h.
 */
public final class DmaResv {

    /** {@code enum dma_resv_usage}, from the strictest (always waited for) to the loosest. */
    public enum Usage {
        /** Kernel memory management (moves, clears). */
        KERNEL,
        /** Implicit-sync writers. */
        WRITE,
        /** Implicit-sync readers. */
        READ,
        /** Everything else: job fences kept only so that memory management can wait for them. */
        BOOKKEEP
    }

    private record Entry(DmaFence fence, Usage usage) {
    }

    private final List<Entry> fences = new ArrayList<>();

    /** {@code dma_resv_add_fence}. */
    public void addFence(DmaFence fence, Usage usage) {
        fences.removeIf(e -> e.fence().isSignaled());
        fences.add(new Entry(fence, usage));
    }

    /** The unsignalled fences of {@code usage} or stricter, in the order they were added. */
    public List<DmaFence> unsignaled(Usage usage) {
        List<DmaFence> out = new ArrayList<>();
        for (Entry e : fences) {
            if (e.usage().compareTo(usage) <= 0 && !e.fence().isSignaled()) {
                out.add(e.fence());
            }
        }
        return out;
    }

    /** {@code dma_resv_wait_timeout(usage, MAX_SCHEDULE_TIMEOUT)}: blocks until they all signalled. */
    public void waitUnsignaled(Usage usage) {
        for (DmaFence f : unsignaled(usage)) {
            f.waitSignaled();
        }
    }

    /** {@code dma_resv_test_signaled}. */
    public boolean testSignaled(Usage usage) {
        return unsignaled(usage).isEmpty();
    }
}
