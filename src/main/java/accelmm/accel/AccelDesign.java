package accelmm.accel;

import accelmm.sim.DesignValue;

/**
 * Design key {@code accel}: how a queue device reaches the memory of the process that drives it
 * (seed 002, Jérôme Glisse's review of WarpDrive). User space keeps one interface in every design
 * (his R1): {@code ioctl FD dma_map addr= size=} declares a range the device will use, and
 * {@code submit} rings the queue.
 */
public enum AccelDesign implements DesignValue {
    /**
     * uacce as merged: the queue is bound to the opener's address space by PASID and the device
     * translates through its page tables at DMA time ("fork/exec is properly handled"); {@code
     * dma_map} only checks that the range is mapped.
     */
    SVA("sva"),
    /**
     * A device without SVA, as the 2018 RFC proposed it: {@code dma_map} pins the range ({@code
     * pin_user_pages(FOLL_LONGTERM | FOLL_WRITE)}) and maps it 1:1 in the IOMMU (IOVA = the
     * process's address), so the device DMAs into the frames pinned then, whatever the process's
     * page tables say later; unpinned at the queue's release. Across fork this is I1 under the
     * pre-5.9 COW rule.
     */
    PIN("pin"),
    /**
     * Glisse's (A)(B)(C): {@link #PIN} plus an mmu interval notifier over each range; every
     * invalidation zaps the doorbell, drains the queue, unpins and unmaps; the next doorbell
     * store faults and the fault handler pins and maps again against the faulting process's mm.
     */
    PIN_NOTIFIER("pin-notifier"),
    /**
     * No doorbell: every submission is a system call that checks and pins the job's buffers
     * against the caller's address space for the job's duration.
     */
    KERNEL_SUBMIT("kernel-submit");

    private final String value;

    AccelDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "accel";
    }

    @Override
    public String value() {
        return value;
    }
}
