package accelmm.virt;

import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;

/**
 * A VM's record of the invalidations of its VMM's mm (struct kvm's {@code mmu_invalidate_seq},
 * {@code mmu_invalidate_in_progress}, {@code mmu_invalidate_range_start}/{@code _end} and {@code
 * mn_active_invalidate_count}, virt/kvm/kvm_main.c): what a stage-2 fault checks before it
 * installs the PFN it resolved ({@link #retryGfn}). Changed under {@code mmu_lock}, except the
 * active count, which the kernel keeps under {@code mn_invalidate_lock} for memslot updates.
 */
final class MmuInvalidation {

    /** {@code INVALID_GPA} as a gfn: no range recorded. */
    private static final long INVALID_GFN = -1;

    private final WaitQueue activeDone;
    private long seq;
    private int inProgress;
    private long rangeStart = INVALID_GFN;
    private long rangeEnd = INVALID_GFN;
    /** Starts whose end has not run, memslot-overlapping or not. */
    private int active;

    MmuInvalidation(Simulation sim, String name) {
        this.activeDone = new WaitQueue(sim, "kvm mn_memslots_update of " + name);
    }

    long seq() {
        return seq;
    }

    int inProgress() {
        return inProgress;
    }

    /** {@code kvm_mmu_invalidate_begin}: one more in progress; the range starts afresh when it was idle. */
    void begin() {
        if (++inProgress == 1) {
            rangeStart = INVALID_GFN;
            rangeEnd = INVALID_GFN;
        }
    }

    /**
     * {@code kvm_mmu_invalidate_range_add}: the recorded range grows to cover {@code [start,
     * end)} (one range for all invalidations in progress: a superset, never a list).
     */
    void rangeAdd(long start, long end) {
        if (rangeStart == INVALID_GFN) {
            rangeStart = start;
            rangeEnd = end;
        } else {
            rangeStart = Math.min(rangeStart, start);
            rangeEnd = Math.max(rangeEnd, end);
        }
    }

    /**
     * {@code kvm_mmu_invalidate_end}: the seq goes up before the in-progress count goes down, so
     * a fault that sampled the seq earlier sees one or the other.
     */
    void end() {
        seq++;
        if (--inProgress < 0) {
            throw new IllegalStateException("mmu_invalidate_in_progress underflow");
        }
    }

    /**
     * {@code mmu_invalidate_retry_gfn}: whether a fault that sampled {@code sampledSeq} before
     * resolving the PFN of {@code gfn} must retry: an invalidation in progress covers the gfn,
     * or one ended since the sample.
     */
    boolean retryGfn(long sampledSeq, long gfn) {
        if (inProgress > 0 && gfn >= rangeStart && gfn < rangeEnd) {
            return true;
        }
        return sampledSeq != seq;
    }

    /** {@code mn_active_invalidate_count++} at every start. */
    void activeStart() {
        active++;
    }

    /** {@code mn_active_invalidate_count--} at every end; the last wakes a waiting memslot update. */
    void activeEnd() {
        if (--active < 0) {
            throw new IllegalStateException("mn_active_invalidate_count underflow");
        }
        if (active == 0) {
            activeDone.wakeUpAll();
        }
    }

    /**
     * What {@code kvm_swap_active_memslots} waits for: no invalidation between its start and end,
     * so that a start and its end see the same memslots.
     */
    void waitForNoActive() {
        activeDone.waitEvent(() -> active == 0);
    }
}
