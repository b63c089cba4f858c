package accelmm.accel;

import accelmm.mm.PageFrame;
import accelmm.mm.Vma;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmOperations;
import accelmm.mm.Errno;
import accelmm.sim.Shared;
import java.util.List;

/**
 * Models {@code struct uacce_qfile_region} with {@code uacce_vm_ops}: one mmap of a queue's
 * region, whose VMAs (the mapping, the pieces a split makes of it, a fork's copies) share it.
 * The pages are mapped when the mapping is made ({@code remap_pfn_range} in {@code
 * hisi_qm_uacce_mmap}, done here as the new VMA opens); uacce has no fault handler, so a VMA of
 * it without PTEs (a {@code VM_WIPEONFORK} copy) is SIGBUS when touched — but for the doorbell
 * under {@code accel=pin-notifier}, whose fault handler pins again.
 */
final class UacceRegion implements VmOperations {

    private final UacceQueue queue;
    private final UacceQfrt type;
    private final List<PageFrame> pages;
    /** Whether the VMA the mmap created has yet to open (and get its PTEs). */
    private boolean mapping = true;
    private final Shared shared;

    UacceRegion(UacceQueue queue, UacceQfrt type, List<PageFrame> pages) {
        this.queue = queue;
        this.shared = queue.device().sim().shared("uacce region");
        this.type = type;
        this.pages = pages;
    }

    UacceQueue queue() {
        return queue;
    }

    UacceQfrt type() {
        return type;
    }

    /**
     * The mmap's own VMA gets the region's pages; later VMAs of the region (split, fork) get
     * nothing here (a fork's copy has the PTEs {@code copy_page_range} copied). The queue knows
     * every one of them.
     */
    @Override
    public void open(Vma vma) {
        shared.write();
        if (mapping) {
            mapping = false;
            vma.remapPfnRange(pages, type.cacheMode());
        }
        queue.regionOpened(type, vma);
    }

    /** {@code uacce_vma_close} (G2+): clears the queue's slot for the region. */
    @Override
    public void close(Vma vma) {
        queue.regionClosed(type, vma);
    }

    /**
     * No {@code ->fault} in {@code uacce_vm_ops}: a VMA without its PTEs is SIGBUS. Under {@code
     * accel=pin-notifier} the doorbell region has one, Glisse's (C) ({@link
     * UacceQueue#doorbellFault}), which every access to a zapped doorbell reaches.
     */
    @Override
    public VmFaultResult fault(VmFault fault) {
        if (type == UacceQfrt.MMIO && queue.device().accelDesign() == AccelDesign.PIN_NOTIFIER) {
            return queue.doorbellFault(fault);
        }
        return VmFaultResult.SIGBUS;
    }

    /** G3 ({@code uacce_vma_mremap}): a uacce mapping cannot be moved (UA-07). */
    @Override
    public int mayMremap(Vma vma) {
        return Errno.EPERM.neg();
    }

    @Override
    public String name() {
        return queue + " " + type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
