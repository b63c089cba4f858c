package accelmm.accel;

import accelmm.sim.DesignValue;

/**
 * Design key {@code queue-mmap}: what an accelerator queue's mappings (its doorbell and its
 * device-user-share memory) become across fork (seed 002). Jérôme Glisse in the WarpDrive review:
 * the queue is set up against the parent's PASID, "and you use VM_DONTCOPY on the mmap of the
 * hardware MMIO queue because you should really use that flag for that".
 */
public enum QueueMmapDesign implements DesignValue {
    /**
     * uacce since its first version (KERNEL-SEMANTICS UA-06): {@code uacce_fops_mmap} sets {@code
     * VM_DONTCOPY | VM_DONTEXPAND | VM_WIPEONFORK}; the child of a fork has no mapping there, so a
     * store to the doorbell address faults (SIGSEGV) and the child cannot drive the parent's queue.
     */
    DONTCOPY("dontcopy"),
    /**
     * A hypothetical driver that sets neither {@code VM_DONTCOPY} nor {@code VM_WIPEONFORK}, only
     * {@code VM_DONTEXPAND}: fork copies the mapping with its PFN PTEs ({@code copy_page_range} of
     * a {@code VM_PFNMAP} VMA), so the child rings the parent's doorbell, and the device runs the
     * work against the parent's PASID. (Forgetting {@code VM_DONTCOPY} alone would not do it:
     * {@code dup_mmap} copies no PTEs of a {@code VM_WIPEONFORK} VMA, and uacce has no fault
     * handler, so the child's store would be SIGBUS.)
     */
    PLAIN("plain");

    private final String value;

    QueueMmapDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "queue-mmap";
    }

    @Override
    public String value() {
        return value;
    }
}
