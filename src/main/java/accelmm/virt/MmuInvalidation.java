package accelmm.virt;

import accelmm.sim.Shared;
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
    private final WaitQueue rangeDone;
    private long seq;
    private int inProgress;
    private long rangeStart = INVALID_GFN;
    private long rangeEnd = INVALID_GFN;
    /** Starts whose end has not run, memslot-overlapping or not. */
    private int active;
    /** The seq, the in-progress count and range: what a stage-2 fault checks. */
    private final Shared shared;
    /**
     * The active count apart: every invalidation of the mm changes it, also one that covers no
     * memslot, and only a memslot update reads it, not a fault.
     */
    private final Shared activeShared;

    MmuInvalidation(Simulation sim, String name) {
        this.shared = sim.shared("kvm mmu invalidate");
        this.activeShared = sim.shared("kvm active invalidations");
        this.activeDone = new WaitQueue(sim, "kvm mn_memslots_update of " + name);
        this.rangeDone = new WaitQueue(sim, "kvm mmu_invalidate_in_progress of " + name);
    }

    long seq() {
        shared.read();
        return seq;
    }

    int inProgress() {
        shared.read();
        return inProgress;
    }

    /** {@code kvm_mmu_invalidate_begin}: one more in progress; the range starts afresh when it was idle. */
    void begin() {
        shared.write();
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
        shared.write();
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
        shared.write();
        seq++;
        if (--inProgress < 0) {
            throw new IllegalStateException("mmu_invalidate_in_progress underflow");
        }
        rangeDone.wakeUpAll();
    }

    /**
     * {@code mmu_invalidate_retry_gfn} (x86's {@code is_page_fault_stale}): whether a fault that
     * sampled {@code sampledSeq} before resolving the PFN of {@code gfn} must retry: an
     * invalidation in progress covers the gfn, or one ended since the sample.
     */
    boolean retryGfn(long sampledSeq, long gfn) {
        shared.read();
        return inProgressOver(gfn) || sampledSeq != seq;
    }

    /**
     * {@code mmu_invalidate_retry} (arm64's {@code user_mem_abort}): as {@link #retryGfn}, but
     * any invalidation in progress sends the fault back, whatever range it covers.
     */
    boolean retry(long sampledSeq) {
        shared.read();
        return inProgress > 0 || sampledSeq != seq;
    }

    /** Whether an invalidation in progress covers {@code gfn} (the recorded range is a superset). */
    boolean inProgressOver(long gfn) {
        shared.read();
        return inProgress > 0 && gfn >= rangeStart && gfn < rangeEnd;
    }

    /**
     * A retrying fault waits here while the invalidation that sent it back is in progress
     * ({@code anyRange}: any invalidation, as arm64 checks; else one over {@code gfn}), until
     * {@link #end} runs. The kernel spins instead (x86 {@code RET_PF_RETRY}, arm64 -EAGAIN:
     * the vCPU re-enters the guest and faults again) until the invalidating CPU runs {@code
     * kvm_mmu_invalidate_end}; every round of that spin fails the same way, so waiting only
     * removes the schedules in which the invalidating CPU never runs again.
     */
    void waitWhileInProgress(long gfn, boolean anyRange) {
        rangeDone.waitEvent(() -> anyRange ? inProgress() == 0 : !inProgressOver(gfn));
    }

    /** {@code mn_active_invalidate_count++} at every start. */
    void activeStart() {
        activeShared.write();
        active++;
    }

    /** {@code mn_active_invalidate_count--} at every end; the last wakes a waiting memslot update. */
    void activeEnd() {
        activeShared.write();
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
        activeDone.waitEvent(this::noneActive);
    }

    private boolean noneActive() {
        activeShared.read();
        return active == 0;
    }
}
