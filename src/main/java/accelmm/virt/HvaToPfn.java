package accelmm.virt;

import accelmm.mm.FollowPfnmap;
import accelmm.mm.Gup;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.mm.Vma;
import accelmm.mm.VmFlag;

/**
 * {@code hva_to_pfn} (virt/kvm/kvm_main.c): the frame the VMM's address {@code hva} maps, for a
 * stage-2 fault. Normal memory goes through GUP with FOLL_GET ({@code hva_to_pfn_slow}: {@code
 * get_user_pages_unlocked}), which faults the page in, breaks COW for a write and swaps in,
 * and returns it with a reference. GUP refuses VM_IO / VM_PFNMAP VMAs; for those, under {@code
 * mmap_lock}, {@code hva_to_pfn_remapped} reads the PTE ({@code follow_pfnmap_start}), and if
 * there is none runs the driver's fault handler ({@code fixup_user_fault}) and reads again. A
 * write through a read-only PFNMAP entry is {@code KVM_PFN_ERR_RO_FAULT}. A PFN found that way
 * comes with no page reference ("KVM: Stop grabbing references to PFNMAP'd pages"): only the
 * mmu notifier keeps KVM from using it after its owner let it go. The fast path ({@code
 * hva_to_pfn_fast}) is not modelled: it finds what the slow path finds without faulting. Nor is
 * the retry when {@code fixup_user_fault} dropped {@code mmap_lock} (-EAGAIN): the model's fault
 * handlers never drop it.
 *
 * <p>With the PFN goes whether its VMA is a cacheable {@code VM_PFNMAP} or {@code VM_MIXEDMAP}
 * one, which arm64's {@code user_mem_abort} reads from the VMA it looked up for the fault ({@link
 * Stage2Attr#of}); the memslot check ({@code kvm_arch_prepare_memory_region}) looks at {@code
 * VM_PFNMAP} alone.
 */
final class HvaToPfn {

    private HvaToPfn() {
    }

    static KvmPfn resolve(Gup gup, MmStruct mm, long hva, boolean write) {
        PageFrame[] pages = new PageFrame[1];
        if (gup.getUserPagesUnlocked(mm, hva, 1, write, pages) == 1) {
            return new KvmPfn.Found(pages[0], write || hostWritable(mm, hva, pages[0]), true, false);
        }
        mm.mmapLock().downRead();
        try {
            Vma vma = mm.findVma(hva);
            if (vma == null || !(vma.has(VmFlag.IO) || vma.has(VmFlag.PFNMAP))) {
                return new KvmPfn.Error(KvmPfn.Kind.FAULT);
            }
            return remapped(gup, mm, vma, hva, write);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /**
     * A read fault maps the page writable if the VMM's PTE already allows writes ({@code
     * hva_to_pfn_slow} tries {@code get_user_page_fast_only} with FOLL_WRITE): a COW or zero page
     * stays read-only at stage 2 until the guest writes.
     */
    private static boolean hostWritable(MmStruct mm, long hva, PageFrame frame) {
        Pte pte = mm.pageTable().lookup(hva & -PageFrame.PAGE_SIZE);
        return pte != null && pte.isPresent() && pte.writable() && pte.frame() == frame;
    }

    /** {@code hva_to_pfn_remapped}; the caller holds {@code mmap_lock} for reading. */
    private static KvmPfn remapped(Gup gup, MmStruct mm, Vma vma, long hva, boolean write) {
        FollowPfnmap entry = FollowPfnmap.start(vma, hva);
        if (entry == null) {
            if (gup.fixupUserFault(mm, hva, write) < 0) {
                return new KvmPfn.Error(KvmPfn.Kind.FAULT);
            }
            entry = FollowPfnmap.start(vma, hva);
            if (entry == null) {
                return new KvmPfn.Error(KvmPfn.Kind.FAULT);
            }
        }
        if (write && !entry.writable()) {
            return new KvmPfn.Error(KvmPfn.Kind.RO_FAULT);
        }
        return new KvmPfn.Found(entry.frame(), entry.writable(), false,
                (vma.has(VmFlag.PFNMAP) || vma.has(VmFlag.MIXEDMAP)) && vma.pageProt().cacheable());
    }
}
