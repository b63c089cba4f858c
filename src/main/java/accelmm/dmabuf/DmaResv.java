package accelmm.dmabuf;

import accelmm.mm.Kernel;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct dma_resv}: the fences of the operations that use an object (a GPU VM, a
 * GEM object), each with a usage, and — for a GEM object — the reservation lock. Waiting for a
 * usage waits for every fence of that usage and of the stricter ones before it, as {@code
 * dma_resv_wait_timeout} does; implicit sync picks the usage with {@link #usageRw}.
 *
 * <p>The lock is the ww_mutex as a plain mutex: one object is reserved at a time, except by a
 * caller that takes several in one global order ({@link #lockNested} in {@link #serial} order,
 * drm's {@code DrmExec}), which stands for the wound/wait backoff that lets the kernel take them
 * in any order; a VM's resv has none, the model serialising VMs with their own locks. Abstracted away: fence slot reservation. Signalled fences are pruned when a fence is
 * added.
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

    /** The lockdep class of every GEM object's reservation lock. */
    public static final LockClass RESV_LOCK = new LockClass("dma_resv");

    private final List<Entry> fences = new ArrayList<>();
    private final Mutex lock;
    /** The machine-wide order of the reservation locks ({@link Kernel#nextReservationSerial}); 0 without a lock. */
    private final int serial;
    /** The fence list (the lock is its own piece). */
    private final Shared shared;

    /** A fence container without a lock, outside any simulation (unit tests). */
    public DmaResv() {
        this.lock = null;
        this.serial = 0;
        this.shared = Shared.NONE;
    }

    /** A fence container without a lock (a VM's), in {@code sim}. */
    public DmaResv(Simulation sim) {
        this.lock = null;
        this.serial = 0;
        this.shared = sim.shared("dma resv");
    }

    /** A reservation object with its lock, e.g. for {@code gem object 1}, the next in {@code kernel}'s lock order. */
    public DmaResv(Kernel kernel, String owner) {
        this.lock = new Mutex(kernel.sim(), "dma_resv " + owner, RESV_LOCK);
        this.serial = kernel.nextReservationSerial();
        this.shared = kernel.sim().shared("dma resv");
    }

    /**
     * Where the lock comes in the one order in which callers take several reservation locks
     * ({@link #lockNested}): creation order over the whole machine, every device's objects
     * together, as the kernel's objects share one {@code reservation_ww_class}.
     */
    public int serial() {
        requireLock();
        return serial;
    }

    /**
     * {@code dma_resv_usage_rw}: the usage an implicitly synchronised access waits for. A writer
     * waits for READ (every reader and writer before it), a reader for WRITE (the writers only).
     */
    public static Usage usageRw(boolean write) {
        return write ? Usage.READ : Usage.WRITE;
    }

    /** {@code dma_resv_lock}. */
    public void lock() {
        requireLock().lock();
    }

    /**
     * {@code dma_resv_lock} of the {@code index}-th object locked together (drm's {@code
     * DrmExec}, in one global order), under a lockdep subclass so that nesting is not taken for
     * recursion.
     */
    public void lockNested(int index) {
        requireLock().lockNested(index);
    }

    /** {@code dma_resv_trylock}: takes the lock if it is free; not a preemption point. */
    public boolean tryLock() {
        return requireLock().tryLock();
    }

    /** {@code dma_resv_unlock}. */
    public void unlock() {
        requireLock().unlock();
    }

    /** {@code dma_resv_assert_held}. */
    public void assertHeld() {
        requireLock().assertHeld();
    }

    private Mutex requireLock() {
        if (lock == null) {
            throw new IllegalStateException("this dma_resv has no lock in the model");
        }
        return lock;
    }

    /** {@code dma_resv_add_fence}. */
    public void addFence(DmaFence fence, Usage usage) {
        shared.write();
        fences.removeIf(e -> e.fence().isSignaled());
        fences.add(new Entry(fence, usage));
    }

    /** The unsignalled fences of {@code usage} or stricter, in the order they were added. */
    public List<DmaFence> unsignaled(Usage usage) {
        shared.read();
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
