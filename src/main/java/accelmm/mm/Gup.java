package accelmm.mm;

/**
 * {@code pin_user_pages} with {@code FOLL_PIN} (mm/gup.c): takes pins on the pages of a user
 * range so that a device can DMA to them for as long as it likes; {@code get_user_pages} with
 * {@code FOLL_GET} ({@link #getUserPages}): takes plain page references, what KVM's {@code
 * hva_to_pfn_slow} uses; and {@code fixup_user_fault} ({@link #fixupUserFault}).
 *
 * <p>Rules modelled: VM_IO / VM_PFNMAP VMAs, holes and missing permissions give -EFAULT
 * ({@code check_vma_flags}); a special PTE other than the zero page, which a VM_MIXEDMAP VMA
 * holds where its driver inserted a bare PFN, has no page to pin and gives -EEXIST
 * ({@code follow_pfn_pte}; before Linux 5.18 that was -EFAULT);
 * missing or write-protected pages are faulted in (a write pin breaks COW); a read-only pin of
 * an anonymous page that is not exclusive unshares it first, so the pin never sees a stale copy
 * (COW-09..11), and so does a read-only longterm pin of the zero page or of a page cache page in
 * a private mapping (COW-13), except under {@code fork=legacy}, which predates unsharing; the
 * zero page (short-term read-only pins) is returned but never counted; the first pin sets
 * {@code MMF_HAS_PINNED} on the mm. A FOLL_GET reference follows the same walk without what is
 * proper to pins: no pin count, no {@code MMF_HAS_PINNED}, no unsharing ({@code
 * gup_must_unshare} asks only for read-only FOLL_PIN). Not modelled: FOLL_LONGTERM migration
 * out of movable or device memory (no such pages are mapped into processes yet).
 */
public final class Gup {

    private static final int MAX_FAULT_ROUNDS = 8;

    private final Kernel kernel;

    Gup(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code pin_user_pages}: the caller holds {@code mmap_lock} for reading.
     *
     * <p>{@code start} need not be page aligned: the pages pinned are the {@code pageCount} pages
     * from the one that contains {@code start} ({@code __get_user_pages} follows {@code start} and
     * steps a page at a time, {@code gup_fast_fallback} masks it with {@code PAGE_MASK}), so a
     * caller pinning {@code len} bytes from an unaligned address asks for
     * {@code DIV_ROUND_UP(offset_in_page(start) + len, PAGE_SIZE)} pages. Zero pages pin nothing
     * and return 0 ({@code __get_user_pages_locked}).
     *
     * @param pages receives the pinned frames, in address order
     * @return the number of pages pinned, or a negative errno if none could be
     */
    public long pinUserPages(MmStruct mm, long start, int pageCount, boolean write, boolean longterm,
            PageFrame[] pages) {
        mm.mmapLock().assertHeld();
        if (pageCount < 0) {
            throw new IllegalArgumentException("negative page count " + pageCount);
        }
        if (pageCount == 0) {
            return 0;
        }
        mm.setHasPinned();
        return grabPages(mm, start, pageCount, write, Foll.PIN, longterm, pages);
    }

    /**
     * {@code get_user_pages} (FOLL_GET): like {@link #pinUserPages}, but each page gets a plain
     * reference ({@code try_grab_folio}: {@code folio_ref_add}), dropped with {@link
     * PageFrame#put} ({@code put_page}). Such a reference keeps the frame allocated but, unlike a
     * pin, is not told apart from transient ones: migration and reclaim see only an extra
     * reference. The same holes, permissions and VM_IO / VM_PFNMAP VMAs give -EFAULT ({@code
     * check_vma_flags}), a bare PFN of a VM_MIXEDMAP VMA -EEXIST; a read never unshares. The
     * caller holds {@code mmap_lock} for reading.
     *
     * @param pages receives the frames, in address order, each with a reference
     * @return the number of pages taken, or a negative errno if none could be
     */
    public long getUserPages(MmStruct mm, long start, int pageCount, boolean write, PageFrame[] pages) {
        mm.mmapLock().assertHeld();
        if (pageCount < 0) {
            throw new IllegalArgumentException("negative page count " + pageCount);
        }
        return grabPages(mm, start, pageCount, write, Foll.GET, false, pages);
    }

    /**
     * {@code get_user_pages_unlocked}: takes and drops {@code mmap_lock} itself (KVM's {@code
     * hva_to_pfn_slow}).
     */
    public long getUserPagesUnlocked(MmStruct mm, long start, int pageCount, boolean write, PageFrame[] pages) {
        mm.mmapLock().downRead();
        try {
            return getUserPages(mm, start, pageCount, write, pages);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /**
     * {@code fixup_user_fault} (mm/gup.c): faults in the page holding {@code address} as the
     * CPU's fault would ({@code handle_mm_fault}), whatever the VMA's kind — in a VM_IO /
     * VM_PFNMAP VMA its driver's fault handler inserts the PFN, which GUP could not reach. No VMA
     * there or one that does not allow the access ({@code vma_permits_fault}) gives -EFAULT; a
     * fault that fails gives {@code vm_fault_to_errno}'s errno: -ENOMEM for VM_FAULT_OOM, -EFAULT
     * for VM_FAULT_SIGBUS / SIGSEGV. The caller holds {@code mmap_lock} for reading, and the
     * model's fault handlers never drop it (no VM_FAULT_RETRY).
     *
     * @return 0 or a negative errno
     */
    public int fixupUserFault(MmStruct mm, long address, boolean write) {
        mm.mmapLock().assertHeld();
        Vma vma = mm.findVma(address);
        if (vma == null || !MemoryOps.accessAllowed(vma, write)) {
            return Errno.EFAULT.neg();
        }
        VmFaultResult r = kernel.memoryOps().handleMmFault(vma, address, write, false);
        if (r == VmFaultResult.OOM) {
            return Errno.ENOMEM.neg();
        }
        return r.isError() ? Errno.EFAULT.neg() : 0;
    }

    /** What a GUP walk takes on each page. */
    private enum Foll {
        /** FOLL_PIN. */
        PIN,
        /** FOLL_GET. */
        GET
    }

    private long grabPages(MmStruct mm, long start, int pageCount, boolean write, Foll foll, boolean longterm,
            PageFrame[] pages) {
        long first = MemoryOps.pageAlign(start);
        int taken = 0;
        for (; taken < pageCount; taken++) {
            long address = first + ((long) taken << PageFrame.PAGE_SHIFT);
            int ret = grabOne(mm, address, write, foll, longterm, pages, taken);
            if (ret < 0) {
                return taken > 0 ? taken : ret;
            }
        }
        return taken;
    }

    /** {@code pin_user_pages_unlocked}: takes and drops {@code mmap_lock} itself. */
    public long pinUserPagesUnlocked(MmStruct mm, long start, int pageCount, boolean write, boolean longterm,
            PageFrame[] pages) {
        mm.mmapLock().downRead();
        try {
            return pinUserPages(mm, start, pageCount, write, longterm, pages);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /** {@code unpin_user_pages}. */
    public static void unpinUserPages(PageFrame[] pages, int count) {
        for (int i = 0; i < count; i++) {
            if (!pages[i].isZeroPage()) {
                pages[i].unpin();
            }
        }
    }

    /**
     * {@code gup_must_unshare} for a read-only pin: an anonymous page must be exclusive; a
     * longterm pin of any other page mapped read-only in a COW mapping (the zero page, a page
     * cache page of a private file mapping) must be replaced by an exclusive anonymous copy
     * first, or the pin would never see the process's later writes (COW-13). Short-term pins
     * promise no such thing and take the page as it is.
     *
     * <p>Never under {@link ForkDesign#LEGACY}: FAULT_FLAG_UNSHARE came with PageAnonExclusive
     * in 5.19 ("mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous
     * page"), the longterm unshare of other pages in 6.2 ("mm/gup: reliable R/O long-term pinning
     * in COW mappings"); before them a read-only pin took whatever page the PTE mapped, a
     * COW-shared one included, and a later write fault of either process could leave the pin on
     * a page the pinning process no longer maps (the CVE-2020-29374 class).
     */
    private boolean mustUnshare(Vma vma, Pte pte, boolean longterm) {
        return (pte.frame().isAnon() || longterm) && MemoryOps.mustUnshare(vma, pte)
                && kernel.designs().get(ForkDesign.class) != ForkDesign.LEGACY;
    }

    private int grabOne(MmStruct mm, long address, boolean write, Foll foll, boolean longterm, PageFrame[] pages,
            int index) {
        Vma vma = mm.findVma(address);
        if (vma == null || vma.has(VmFlag.IO) || vma.has(VmFlag.PFNMAP) || !MemoryOps.accessAllowed(vma, write)) {
            return Errno.EFAULT.neg();
        }
        for (int round = 0; round < MAX_FAULT_ROUNDS; round++) {
            Pte pte = mm.pageTable().lookup(address);
            boolean usable = pte != null && pte.isPresent() && (!write || pte.writable());
            if (usable && pte.special() && !pte.frame().isZeroPage()) {
                // vm_normal_page finds no struct page behind a special PTE (a PFN a VM_MIXEDMAP
                // driver inserted): follow_pfn_pte says -EEXIST and GUP stops there.
                return Errno.EEXIST.neg();
            }
            boolean mustUnshare = usable && !write && foll == Foll.PIN && mustUnshare(vma, pte, longterm);
            if (usable && !mustUnshare) {
                PageFrame frame = pte.frame();
                if (foll == Foll.GET) {
                    frame.get(); // the zero page's reference is not counted: it is never freed
                } else if (!frame.isZeroPage()) {
                    frame.pin();
                }
                pages[index] = frame;
                return 0;
            }
            VmFaultResult r = kernel.memoryOps().handleMmFault(vma, address, write, mustUnshare);
            if (r.isError()) {
                return Errno.EFAULT.neg();
            }
        }
        throw new IllegalStateException("gup fault loop at " + Long.toHexString(address));
    }
}
