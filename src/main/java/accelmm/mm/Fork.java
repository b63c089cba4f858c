package accelmm.mm;

/**
 * {@code dup_mmap} and {@code copy_page_range} (kernel/fork.c, mm/memory.c): the child's address
 * space at fork.
 *
 * <ul>
 *   <li>VM_DONTCOPY VMAs are left out: the child has nothing mapped there (it wins over
 *       VM_WIPEONFORK).</li>
 *   <li>VM_WIPEONFORK VMAs are copied without their pages: the child reads zeroes.</li>
 *   <li>Private anonymous pages are shared copy-on-write: write-protected in both and no longer
 *       exclusive — except, under {@link ForkDesign#MODERN}, a maybe-DMA-pinned page of an mm
 *       with {@code MMF_HAS_PINNED}, which is copied for the child at once
 *       ({@code folio_needs_cow_for_dma}).</li>
 *   <li>Private file mappings are copied like anonymous ones (their written pages are
 *       anonymous copies). Shared mappings are not copied PTE by PTE; the child faults them in
 *       from the same object. PFN maps are copied as they are.</li>
 * </ul>
 * The parent's COW ranges get a PROTECTION_PAGE invalidation, since their PTEs lose write
 * permission.
 */
final class Fork {

    private final Kernel kernel;

    Fork(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Builds the child's mm from {@code parent}'s. The caller holds nothing. */
    MmStruct dupMm(MmStruct parent, String childName) {
        MmStruct child = kernel.newMm(childName);
        parent.mmapLock().downWrite();
        child.mmapLock().downWrite(1);
        try {
            for (Vma vma : parent.vmas()) {
                if (vma.has(VmFlag.DONTCOPY)) {
                    continue;
                }
                boolean wipe = vma.has(VmFlag.WIPEONFORK);
                Vma copy = vma.copyFor(child, wipe);
                child.insertVma(copy);
                if (!wipe && needsCopy(vma)) {
                    copyPageRange(vma, copy);
                }
            }
            // dup_mmap flushes the parent's TLB once, whatever it write-protected.
            parent.flushTlbRange(0, MmuNotifierRange.ULONG_MAX);
        } finally {
            child.mmapLock().upWrite();
            parent.mmapLock().upWrite();
        }
        return child;
    }

    /**
     * {@code vma_needs_copy}: PFN maps, and VMAs that may hold anonymous pages (the kernel asks
     * for an {@code anon_vma}; here: every private, COW mapping, file-backed ones included, whose
     * written pages are anonymous copies the child must inherit). Shared mappings are refaulted.
     */
    private static boolean needsCopy(Vma vma) {
        return vma.isAnonymous() || vma.isCowMapping() || vma.has(VmFlag.PFNMAP) || vma.has(VmFlag.MIXEDMAP);
    }

    private void copyPageRange(Vma vma, Vma dstVma) {
        MmStruct parent = vma.mm();
        boolean cow = vma.isCowMapping();
        MmuNotifierRange range = cow
                ? new MmuNotifierRange(parent, vma.start(), vma.end(), MmuNotifierEvent.PROTECTION_PAGE)
                : null;
        if (cow) {
            parent.invalidateRangeStart(range);
        }
        PageTable src = parent.pageTable();
        for (long address : src.addressesIn(vma.start(), vma.end())) {
            copyPte(vma, dstVma, cow, address, src.lookup(address));
        }
        if (cow) {
            parent.invalidateRangeEnd(range);
        }
    }

    private void copyPte(Vma vma, Vma dstVma, boolean cow, long address, Pte pte) {
        PageTable src = vma.mm().pageTable();
        PageTable dst = dstVma.mm().pageTable();
        if (pte.swap() != null) {
            pte.swap().duplicate();
            dst.set(address, pte);
            return;
        }
        PageFrame frame = pte.frame();
        if (!pte.special() && frame.isAnon() && frame.isAnonExclusive() && needsCowForDma(vma, frame)) {
            // copy_present_page: the pinned page stays the parent's, writable and exclusive.
            PageFrame copy = kernel.physicalMemory().allocPage();
            copy.copyFrom(frame);
            Rmap.addNewAnon(copy, dstVma, address, true);
            dst.set(address, Pte.present(copy, vma.has(VmFlag.WRITE)));
            copy.addMapping();
            copy.put();
            return;
        }
        if (!pte.special()) {
            if (frame.isAnon()) {
                frame.setAnonExclusive(false);
            }
            frame.addMapping();
        }
        Pte shared = cow ? pte.wrprotect() : pte;
        src.set(address, shared);
        dst.set(address, shared);
    }

    /** {@code folio_needs_cow_for_dma}, or never under the legacy design. */
    private boolean needsCowForDma(Vma vma, PageFrame frame) {
        return kernel.designs().get(ForkDesign.class) == ForkDesign.MODERN
                && vma.isCowMapping() && vma.mm().hasPinned() && frame.maybeDmaPinned();
    }
}
