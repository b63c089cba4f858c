package accelmm.mm;

/**
 * {@code hmm_range_fault} (mm/hmm.c): snapshots — and with a fault request, first populates —
 * the CPU page tables of a range for a device mirror, without taking page references. Its
 * results are valid only as long as the range's interval notifier sees no invalidation; the
 * caller checks that with {@code mmu_interval_read_retry} under its own lock.
 *
 * <p>Per page: no VMA, a VM_IO / VM_PFNMAP VMA or one without read permission is -EFAULT when a
 * fault is requested and {@link HmmPfn#ERROR} otherwise; a write request on a VMA without write
 * permission is -EPERM; a missing or write-protected page is faulted in, together with every
 * later page of the same page-table block (PMD) of the VMA and the range, and the walk restarts
 * at that page. If the notifier's sequence moved (an invalidation, possibly one the walk's own
 * faults caused), the result is -EBUSY and the caller must begin again with a new
 * {@code mmu_interval_read_begin}.
 */
public final class Hmm {

    /** What one PTE page maps (x86-64): a fault covers at most the rest of this block. */
    private static final long PMD_SIZE = 1L << 21;

    private final Kernel kernel;

    Hmm(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code hmm_range_fault}. The caller holds the mm's {@code mmap_lock} for reading and set
     * {@code range.notifierSeq} from {@code readBegin}.
     *
     * @return 0, or -EFAULT, -EPERM, -EBUSY
     */
    public int hmmRangeFault(HmmRange range) {
        MmStruct mm = range.notifier().mm();
        mm.mmapLock().assertHeld();
        long next = range.start();
        while (true) {
            if (range.notifier().checkRetry(range.notifierSeq)) {
                return Errno.EBUSY.neg();
            }
            long restartAt = walk(mm, range, next);
            if (restartAt < 0) {
                return (int) restartAt;
            }
            if (restartAt == range.end()) {
                return 0;
            }
            next = restartAt;
        }
    }

    /**
     * Walks from {@code from}: returns {@code range.end()} when done, the address to restart at
     * after a fault, or a negative errno.
     */
    private long walk(MmStruct mm, HmmRange range, long from) {
        for (long address = from; address < range.end(); address += PageFrame.PAGE_SIZE) {
            int index = Math.toIntExact((address - range.start()) >>> PageFrame.PAGE_SHIFT);
            Vma vma = mm.findVma(address);
            if (vma == null || vma.has(VmFlag.IO) || vma.has(VmFlag.PFNMAP) || !vma.has(VmFlag.READ)) {
                if (range.fault()) {
                    return Errno.EFAULT.neg();
                }
                range.setPfn(index, HmmPfn.ERROR);
                continue;
            }
            boolean needWrite = range.fault() && range.write();
            Pte pte = mm.pageTable().lookup(address);
            if (pte != null && pte.isPresent() && (!needWrite || pte.writable())) {
                if (pte.special() && !pte.frame().isZeroPage()) {
                    if (range.fault()) {
                        return Errno.EFAULT.neg();
                    }
                    range.setPfn(index, HmmPfn.ERROR);
                } else {
                    range.setPfn(index, HmmPfn.valid(pte));
                }
                continue;
            }
            if (!range.fault()) {
                range.setPfn(index, HmmPfn.NONE);
                continue;
            }
            if (needWrite && !vma.has(VmFlag.WRITE)) {
                return Errno.EPERM.neg();
            }
            // hmm_vma_fault: fault this page and the rest of the walk step (to the end of the
            // range, of the VMA or of the page-table block), then restart the walk here.
            long faultEnd = Math.min(Math.min(range.end(), vma.end()), (address | (PMD_SIZE - 1)) + 1);
            for (long page = address; page < faultEnd; page += PageFrame.PAGE_SIZE) {
                if (kernel.memoryOps().handleMmFault(vma, page, needWrite, false).isError()) {
                    return Errno.EFAULT.neg();
                }
            }
            return address;
        }
        return range.end();
    }
}
