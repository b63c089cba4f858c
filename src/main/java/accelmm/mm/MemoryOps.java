package accelmm.mm;

import accelmm.sim.Cost;
import java.util.List;

/**
 * Page-table level operations of mm/memory.c: fault handling (anonymous, file and device
 * faults, write-protect faults with copy-on-write, swap-in), zapping ranges, and the teardown
 * of a whole address space.
 *
 * <p>Design note. COW follows the kernel since 5.19: an anonymous page carries an "exclusive"
 * bit; fork clears it when parent and child share the page; a write fault reuses the page when
 * it is exclusive or nobody else holds a reference ({@code wp_can_reuse_anon_folio}), and copies
 * it otherwise ({@link ForkDesign#LEGACY} reuses by map count alone, as before 5.9). A read-only pin asks for an "unshare" fault, which copies a shared page without
 * making it writable. Every change of a present PTE that a secondary MMU may have mirrored is
 * bracketed by {@code invalidate_range_start/end} on the mm's interval notifiers.
 *
 * <pre>
 *   write fault on a COW-shared page (parent P and child C map frame F read-only)
 *     P: invalidate_range_start(CLEAR, page) → callbacks may sleep
 *        copy F → F'; P's PTE → F' writable, exclusive; F loses P's mapping
 *        invalidate_range_end
 * </pre>
 */
public final class MemoryOps {

    private final Kernel kernel;

    MemoryOps(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code handle_mm_fault} for the page containing {@code address} of {@code vma}. The caller
     * holds {@code mmap_lock} and has checked the VMA permits the access. Counted as a
     * {@link Cost#CPU_FAULT} whoever asks: a CPU access, GUP, {@code hmm_range_fault}, {@code
     * access_remote_vm}, or the I/O page fault handler acting for a device (which counts the
     * device's fault itself).
     *
     * @param write   a write access (FAULT_FLAG_WRITE)
     * @param unshare make the page an exclusive anonymous one without making it writable
     *                (FAULT_FLAG_UNSHARE, for read-only pins; see {@link Gup})
     */
    public VmFaultResult handleMmFault(Vma vma, long address, boolean write, boolean unshare) {
        kernel.sim().costs().count(Cost.CPU_FAULT);
        return handleFault(vma, address, write, unshare);
    }

    private VmFaultResult handleFault(Vma vma, long address, boolean write, boolean unshare) {
        vma.mm().mmapLock().assertHeld();
        long page = pageAlign(address);
        Pte pte = vma.mm().pageTable().lookup(page);
        if (pte == null) {
            return vma.isAnonymous() ? doAnonymousPage(vma, page, write) : doFault(vma, page, write);
        }
        if (!pte.isPresent()) {
            VmFaultResult r = doSwapPage(vma, page, pte, write);
            return r.isError() || !write ? r : handleFault(vma, page, true, false);
        }
        if (write && !pte.writable()) {
            return doWpPage(vma, page, pte, false);
        }
        if (unshare && mustUnshare(vma, pte)) {
            return doWpPage(vma, page, pte, true);
        }
        return VmFaultResult.OK;
    }

    /**
     * Whether an unshare fault has work to do: FAULT_FLAG_UNSHARE applies to COW mappings only
     * and to a page that is not already an exclusive anonymous one — a COW-shared anonymous page,
     * or the zero page or a page cache page mapped read-only, which {@link #doWpPage} replaces
     * with an exclusive copy, still read-only.
     */
    static boolean mustUnshare(Vma vma, Pte pte) {
        PageFrame frame = pte.frame();
        if (frame.isAnon()) {
            return !frame.isAnonExclusive();
        }
        return vma.isCowMapping() && !pte.writable() && (!pte.special() || frame.isZeroPage());
    }

    /** Whether {@code vma} allows the access at all ({@code access_error} in the arch fault path). */
    static boolean accessAllowed(Vma vma, boolean write) {
        return write ? vma.has(VmFlag.WRITE) : vma.has(VmFlag.READ);
    }

    private VmFaultResult doAnonymousPage(Vma vma, long page, boolean write) {
        PageTable pt = vma.mm().pageTable();
        if (!write) {
            pt.set(page, Pte.present(kernel.physicalMemory().zeroPage(), false));
            return VmFaultResult.OK;
        }
        PageFrame frame = kernel.physicalMemory().allocPage();
        Rmap.addNewAnon(frame, vma, page, true);
        mapNew(pt, page, frame, maybeMkwrite(vma));
        return VmFaultResult.OK;
    }

    private VmFaultResult doFault(Vma vma, long page, boolean write) {
        VmFault fault = new VmFault(vma, page, write);
        VmFaultResult r = vma.ops().fault(fault);
        if (r.isError() || fault.inserted()) {
            return r.isError() ? r : VmFaultResult.NOPAGE;
        }
        PageFrame frame = fault.page();
        if (frame == null) {
            throw new IllegalStateException(vma.ops().name() + " fault returned neither a page nor a pfn");
        }
        PageTable pt = vma.mm().pageTable();
        if (vma.has(VmFlag.SHARED)) {
            pt.set(page, Pte.present(frame, vma.has(VmFlag.WRITE)));
            frame.addMapping();
            frame.put();
        } else if (write) {
            // do_cow_fault: a private writable mapping of a file gets its own anonymous copy.
            PageFrame copy = kernel.physicalMemory().allocPage();
            copy.copyFrom(frame);
            Rmap.addNewAnon(copy, vma, page, true);
            frame.put();
            mapNew(pt, page, copy, maybeMkwrite(vma));
        } else {
            pt.set(page, Pte.present(frame, false));
            frame.addMapping();
            frame.put();
        }
        return VmFaultResult.OK;
    }

    private VmFaultResult doSwapPage(Vma vma, long page, Pte pte, boolean write) {
        SwapSlot slot = pte.swap();
        PageFrame frame = kernel.physicalMemory().allocPage();
        frame.restore(slot.data(), slot.labels());
        boolean exclusive = slot.free();
        Rmap.addNewAnon(frame, vma, page, exclusive);
        mapNew(vma.mm().pageTable(), page, frame, exclusive && write && vma.has(VmFlag.WRITE));
        return VmFaultResult.OK;
    }

    /**
     * {@code do_wp_page}: a write (or unshare) fault on a present, write-protected PTE. A COW
     * break of the zero page allocates a zeroed page and copies nothing ({@code wp_page_copy},
     * mm/memory.c: {@code is_zero_pfn} of the old entry); the old entry's flush stays.
     */
    private VmFaultResult doWpPage(Vma vma, long page, Pte pte, boolean unshare) {
        PageTable pt = vma.mm().pageTable();
        PageFrame frame = pte.frame();
        if (vma.has(VmFlag.SHARED) || (pte.special() && !frame.isZeroPage())) {
            pt.set(page, pte.mkwrite());
            return VmFaultResult.OK;
        }
        if (frame.isAnon() && canReuseAnon(frame)) {
            frame.setAnonExclusive(true);
            if (!unshare && maybeMkwrite(vma)) {
                pt.set(page, pte.mkwrite());
            }
            return VmFaultResult.OK;
        }
        MmStruct mm = vma.mm();
        PageFrame copy = kernel.physicalMemory().allocPage();
        if (!frame.isZeroPage()) {
            // wp_page_copy: the zero page's replacement is a freshly zeroed page (folio_prealloc
            // with need_zero); only another page's contents are copied (__wp_page_copy_user).
            copy.copyFrom(frame);
        }
        Rmap.addNewAnon(copy, vma, page, true);
        MmuNotifierRange range = new MmuNotifierRange(mm, page, page + PageFrame.PAGE_SIZE, MmuNotifierEvent.CLEAR);
        mm.invalidateRangeStart(range);
        if (pt.lookup(page) != pte) {
            // pte_same failed: while the callbacks slept, MADV_DONTNEED (under mmap_lock read) or
            // another thread's fault changed the entry. Drop the copy; the access retries.
            copy.put();
            mm.invalidateRangeEnd(range);
            return VmFaultResult.OK;
        }
        mm.flushTlbRange(page, page + PageFrame.PAGE_SIZE); // ptep_clear_flush of the old entry
        mapNew(pt, page, copy, !unshare && maybeMkwrite(vma));
        if (!pte.special()) {
            frame.removeMapping();
        }
        mm.invalidateRangeEnd(range);
        return VmFaultResult.OK;
    }

    /**
     * {@code maybe_mkwrite}: a write fault makes the new PTE writable only where the VMA allows
     * writes. A write fault in a VMA without VM_WRITE comes from GUP with FOLL_FORCE ({@code
     * access_remote_vm} for ptrace) in a private mapping: it breaks COW, and the exclusive
     * anonymous copy stays mapped read-only.
     */
    private static boolean maybeMkwrite(Vma vma) {
        return vma.has(VmFlag.WRITE);
    }

    /**
     * Whether a write fault may reuse the anonymous page in place.
     *
     * <ul>
     *   <li>{@link ForkDesign#MODERN}: {@code wp_can_reuse_anon_folio} — exclusive, or referenced
     *       by this one mapping only, so a pinned page that is not exclusive is never reused.</li>
     *   <li>{@link ForkDesign#LEGACY}: the kernel before 5.9, {@code do_wp_page} asking
     *       {@code reuse_swap_page} (mm/swapfile.c): reuse when the page's map count plus its swap
     *       count is one, whatever its page count. A GUP pin does not count, so after fork the
     *       process that maps the pinned page last writes into it in place (seed 002, I1). The
     *       model has no swap cache (a swapped-in page leaves its slot), so the swap count of a
     *       present page is always zero here.</li>
     * </ul>
     */
    private boolean canReuseAnon(PageFrame frame) {
        if (kernel.designs().get(ForkDesign.class) == ForkDesign.LEGACY) {
            return frame.mapCount() == 1;
        }
        return frame.isAnonExclusive() || frame.refCount() == 1;
    }

    /** Maps a freshly allocated frame: its allocation reference becomes the mapping's. */
    private static void mapNew(PageTable pt, long page, PageFrame frame, boolean writable) {
        pt.set(page, Pte.present(frame, writable));
        frame.addMapping();
        frame.put();
    }

    /**
     * {@code zap_page_range_single}: removes the PTEs of {@code [start, end)} in {@code vma},
     * bracketed by an invalidation with {@code event}. Pages whose last reference was the
     * mapping are freed.
     */
    public void zapRange(Vma vma, long start, long end, MmuNotifierEvent event) {
        MmStruct mm = vma.mm();
        MmuNotifierRange range = new MmuNotifierRange(mm, start, end, event);
        mm.invalidateRangeStart(range);
        if (zapPtes(mm, start, end)) {
            mm.flushTlbRange(start, end);
        }
        mm.invalidateRangeEnd(range);
    }

    /**
     * Clears PTEs without notifying (the caller brackets with an invalidation) and without
     * flushing: returns whether a present entry was cleared, for which the caller flushes the
     * range once ({@code tlb_finish_mmu}; a gather that cleared only swap entries flushes nothing).
     */
    boolean zapPtes(MmStruct mm, long start, long end) {
        PageTable pt = mm.pageTable();
        boolean present = false;
        for (long address : pt.addressesIn(start, end)) {
            Pte pte = pt.clear(address);
            if (pte.swap() != null) {
                pte.swap().free();
            } else {
                present = true;
                if (!pte.special()) {
                    pte.frame().removeMapping();
                }
            }
        }
        return present;
    }

    /**
     * {@code unmap_mapping_range} for one VMA: what a driver does to a CPU mapping of an object
     * that moves (eviction) or goes away; the next access faults through the VMA's ops again.
     */
    public void unmapMappingRange(Vma vma) {
        zapRange(vma, vma.start(), vma.end(), MmuNotifierEvent.CLEAR);
    }

    /** Removes VMAs in {@code [start, end)}: unmaps their pages, closes them (munmap's core). */
    void unmapVmas(MmStruct mm, List<Vma> vmas, long start, long end, MmuNotifierEvent event) {
        if (vmas.isEmpty()) {
            return;
        }
        MmuNotifierRange range = new MmuNotifierRange(mm, start, end, event);
        mm.invalidateRangeStart(range);
        boolean flush = false;
        for (Vma v : vmas) {
            flush |= zapPtes(mm, v.start(), v.end());
        }
        if (flush) {
            mm.flushTlbRange(start, end); // one mmu_gather over the whole unmap
        }
        mm.invalidateRangeEnd(range);
        for (Vma v : vmas) {
            mm.removeVma(v);
            v.close();
        }
    }

    /**
     * {@code exit_mmap}: the last user is gone. Interval notifiers get RELEASE over the whole
     * address space first, then the whole-mm notifiers their {@code release} (which takes them
     * off the mm: the unmap's TLB flush no longer reaches them), then every VMA is unmapped and
     * closed and every page freed.
     */
    void exitMmap(MmStruct mm) {
        // mmu_notifier_release comes before exit_mmap takes mmap_lock: mn_itree_release, then
        // mn_hlist_release.
        MmuNotifierSubscriptions subs = mm.notifierSubscriptions();
        if (subs != null) {
            MmuNotifierRange all = new MmuNotifierRange(mm, 0, MmuNotifierRange.ULONG_MAX, MmuNotifierEvent.RELEASE);
            subs.invalidateRangeStart(all);
            subs.invalidateRangeEnd();
        }
        mm.mmuNotifierRelease();
        mm.mmapLock().downWrite();
        unmapVmas(mm, mm.vmas(), 0, MmuNotifierRange.ULONG_MAX, MmuNotifierEvent.UNMAP);
        mm.mmapLock().upWrite();
    }

    static long pageAlign(long address) {
        return address & ~(long) (PageFrame.PAGE_SIZE - 1);
    }
}
