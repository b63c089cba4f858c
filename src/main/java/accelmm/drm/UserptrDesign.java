package accelmm.drm;

import accelmm.sim.DesignValue;

/**
 * Design key {@code userptr}: how a GPU VM mirrors process memory bound with {@code vm_bind
 * userptr} (seed 000: "hmm_range_fault() does *not* pin anything").
 */
public enum UserptrDesign implements DesignValue {
    /**
     * As xe does: an mmu interval notifier over the CPU range; pages are looked up with
     * {@code hmm_range_fault} without references and programmed into the GPU page table only
     * if {@code mmu_interval_read_retry} says no invalidation happened meanwhile. The
     * invalidate callback waits for the VM's jobs and zaps the GPU PTEs; the next exec
     * revalidates.
     */
    HMM("hmm"),
    /**
     * Long-term pins: {@code pin_user_pages(FOLL_LONGTERM | FOLL_WRITE)} at bind, unpinned at
     * unbind. No notifier: the GPU keeps the pages even after the process unmaps them, so it
     * never touches freed memory, but it may stop seeing what the process sees.
     */
    PIN("pin"),
    /**
     * The hmm design with the collision check left out: neither bind nor exec calls {@code
     * mmu_interval_read_retry} (nor re-checks the VM's invalidated list) before programming
     * the GPU PTEs, so pages freed by an invalidation that completed after {@code
     * hmm_range_fault} can end up in the GPU page table.
     */
    HMM_NO_RETRY("hmm-no-retry");

    private final String value;

    UserptrDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "userptr";
    }

    @Override
    public String value() {
        return value;
    }

    /** Whether userptr ranges are mirrored through an interval notifier (not pinned). */
    boolean mirrors() {
        return this != PIN;
    }

    /** Whether bind and exec check {@code mmu_interval_read_retry} before programming PTEs. */
    boolean checksRetry() {
        return this == HMM;
    }
}
