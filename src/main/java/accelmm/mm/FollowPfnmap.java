package accelmm.mm;

/**
 * The outputs of {@code follow_pfnmap_start} (mm/memory.c, Linux 6.12; {@code follow_pte}
 * before it): the present PTE a VM_IO / VM_PFNMAP VMA has at an address — the PFN, whether the
 * mapping is writable, whether it is special, and its protection (the entry itself stands for
 * {@code pgprot}). What KVM's {@code hva_to_pfn_remapped} reads where GUP refuses the VMA.
 *
 * <p>The kernel holds the page-table lock from start to {@code follow_pfnmap_end}, so that the
 * entry cannot change while the caller reads it; the model's caller reads it in the same step.
 * Afterwards nothing keeps the PFN valid: a caller that keeps it must follow invalidations with
 * an mmu notifier, or may come to use a PFN its owner has freed and reused.
 */
public record FollowPfnmap(Pte pte) {

    public FollowPfnmap {
        if (pte == null || !pte.isPresent()) {
            throw new IllegalArgumentException("follow_pfnmap of an entry that is not present: " + pte);
        }
    }

    /**
     * {@code follow_pfnmap_start(args)}: the present PTE of {@code vma} at {@code address}, or
     * null where the kernel returns -EINVAL — the address is outside {@code vma}, {@code vma} is
     * neither VM_IO nor VM_PFNMAP, or no present PTE is there (the driver has not faulted the
     * page in, or zapped it since). The caller holds {@code mmap_lock}.
     */
    public static FollowPfnmap start(Vma vma, long address) {
        MmStruct mm = vma.mm();
        mm.mmapLock().assertHeld();
        if (!vma.contains(address) || !(vma.has(VmFlag.IO) || vma.has(VmFlag.PFNMAP))) {
            return null;
        }
        Pte pte = mm.pageTable().lookup(MemoryOps.pageAlign(address));
        return pte != null && pte.isPresent() ? new FollowPfnmap(pte) : null;
    }

    /** {@code args->pfn}: the frame the entry maps. */
    public PageFrame frame() {
        return pte.frame();
    }

    /** {@code args->writable}: {@code pte_write}. */
    public boolean writable() {
        return pte.writable();
    }

    /** {@code args->special}: {@code pte_special}, a PFN with no page reference behind it. */
    public boolean special() {
        return pte.special();
    }
}
