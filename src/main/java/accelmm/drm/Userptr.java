package accelmm.drm;

import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.Gup;
import accelmm.mm.HmmPfn;
import accelmm.mm.HmmRange;
import accelmm.mm.MmStruct;
import accelmm.mm.MmuIntervalNotifier;
import accelmm.mm.MmuIntervalNotifierOps;
import accelmm.mm.MmuNotifierRange;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;

/**
 * Models {@code struct xe_userptr} with its {@code xe_userptr_vma}: a range of a process's
 * memory mirrored at a GPU VA range of one VM, under the {@link UserptrDesign} of the run.
 *
 * <p>Design note. Under the mirroring designs the range has an mmu interval notifier and no
 * page references. {@link #getPages} is the first half of the canonical loop
 * (KERNEL-SEMANTICS 13.1): {@code read_begin}, {@code hmm_range_fault} under {@code mmap_lock},
 * again on -EBUSY. The caller finishes it under {@code notifier_lock}: {@link #collided} is
 * {@code mmu_interval_read_retry} (always false under hmm-no-retry), and only then {@link
 * #program} writes the GPU PTEs. The invalidate callback takes {@code notifier_lock} for
 * writing, so the two halves cannot interleave with it:
 *
 * <pre>
 *   bind/exec                                  munmap (invalidate callback)
 *   seq = read_begin; hmm_range_fault → pfns
 *                                              down_write(notifier_lock); set_seq(cur)
 *                                              mark invalidated; wait VM fences; zap GPU PTEs
 *                                              up_write; ... CPU pages freed
 *   down_read(notifier_lock)
 *   read_retry(seq)? → true: start over        (hmm-no-retry skips this and maps freed pages)
 * </pre>
 *
 * Under the pin design {@link #getPages} pins the pages with {@code FOLL_LONGTERM |
 * FOLL_WRITE} instead; there is no notifier, and pages are unpinned as GPU pages are unbound.
 */
final class Userptr implements MmuIntervalNotifierOps {

    private final GpuVm vm;
    private final int id;
    private final UserptrDesign design;
    private final MmStruct mm;
    private final long cpuStart;
    private final long vaStart;
    private final boolean[] mapped;
    private int mappedCount;
    private MmuIntervalNotifier notifier;
    private PageFrame[] pinned;
    /** What each page translates to, from the last successful {@link #getPages}; null entries: none. */
    private GpuPte[] pages;
    /** {@code userptr.pages.notifier_seq}: the sequence {@link #pages} were read at. */
    private long notifierSeq = Long.MAX_VALUE;
    /** {@code userptr.initial_bind}: programmed into the GPU page table at least once. */
    private boolean initialBind;
    /** On the VM's {@code userptr.invalidated} list: exec must get its pages again. */
    private boolean invalidated;
    /** On the VM's repin list: pages fetched again by exec, to be programmed before the job. */
    private boolean repin;
    /** {@code XE_VMA_DESTROYED}: being unbound; invalidations no longer concern the GPU. */
    private boolean destroyed;
    /** All of the above that changes: the bound pages, the pins, the sequence, the flags. */
    private final Shared shared;

    Userptr(GpuVm vm, int id, UserptrDesign design, MmStruct mm, long cpuStart, long vaStart, int pageCount) {
        this.vm = vm;
        this.id = id;
        this.design = design;
        this.mm = mm;
        this.cpuStart = cpuStart;
        this.vaStart = vaStart;
        this.mapped = new boolean[pageCount];
        this.pages = new GpuPte[pageCount];
        this.shared = vm.device().sim().shared("userptr");
    }

    /** The address space the range mirrors ({@code userptr.notifier.mm}). */
    MmStruct mm() {
        return mm;
    }

    /** The first CPU address of the range ({@code xe_vma_userptr}). */
    long cpuStart() {
        return cpuStart;
    }

    int id() {
        return id;
    }

    GpuVm vm() {
        return vm;
    }

    int pageCount() {
        return mapped.length;
    }

    long vaOf(int index) {
        return vaStart + ((long) index << PageFrame.PAGE_SHIFT);
    }

    boolean invalidated() {
        shared.read();
        return invalidated;
    }

    boolean repin() {
        shared.read();
        return repin;
    }

    /** {@code xe_userptr_setup}: subscribes to invalidations of the CPU range (mirroring designs). */
    void setup() {
        shared.write();
        if (design.mirrors()) {
            notifier = mm.insertIntervalNotifier(cpuStart, (long) mapped.length << PageFrame.PAGE_SHIFT, this,
                    "userptr " + id);
        }
    }

    /** Looks the pages up (mirroring designs) or pins them (pin design): 0 or a negative errno. */
    int getPages() {
        shared.write();
        return design.mirrors() ? hmmGetPages() : pinPages();
    }

    /** {@code drm_gpusvm_get_pages}: the retry loop around {@code hmm_range_fault}, without the driver lock. */
    private int hmmGetPages() {
        long end = cpuStart + ((long) mapped.length << PageFrame.PAGE_SHIFT);
        while (true) {
            HmmRange range = new HmmRange(notifier, cpuStart, end, true, true);
            range.notifierSeq = notifier.readBegin();
            if (!mm.mmgetNotZero()) {
                return Errno.EFAULT.neg();
            }
            int ret;
            mm.mmapLock().downRead();
            try {
                ret = mm.kernel().hmm().hmmRangeFault(range);
            } finally {
                mm.mmapLock().upRead();
            }
            mm.mmput();
            if (ret == Errno.EBUSY.neg()) {
                continue;
            }
            if (ret < 0) {
                return ret;
            }
            for (int i = 0; i < mapped.length; i++) {
                HmmPfn pfn = range.pfn(i);
                pages[i] = pfn.valid() ? new GpuPte(pfn.ref(), pfn.writable(), notifier, range.notifierSeq) : null;
            }
            notifierSeq = range.notifierSeq;
            return 0;
        }
    }

    /** {@code pin_user_pages(FOLL_LONGTERM | FOLL_WRITE)} of the whole range, all or nothing. */
    private int pinPages() {
        PageFrame[] frames = new PageFrame[mapped.length];
        long pinnedCount;
        mm.mmapLock().downRead();
        try {
            pinnedCount = mm.kernel().gup().pinUserPages(mm, cpuStart, mapped.length, true, true, frames);
        } finally {
            mm.mmapLock().upRead();
        }
        if (pinnedCount != mapped.length) {
            if (pinnedCount > 0) {
                Gup.unpinUserPages(frames, (int) pinnedCount);
            }
            return pinnedCount < 0 && pinnedCount != Errno.EFAULT.neg() ? (int) pinnedCount : Errno.EFAULT.neg();
        }
        pinned = frames;
        for (int i = 0; i < frames.length; i++) {
            pages[i] = new GpuPte(PhysicalMemory.FrameRef.of(frames[i]), true);
        }
        return 0;
    }

    /**
     * {@code mmu_interval_read_retry} on the sequence the pages were read at; the caller holds
     * {@code notifier_lock}. Always false when the design does not check (or pins).
     */
    boolean collided() {
        vm.notifierLock().assertHeld();
        shared.read();
        return design.checksRetry() && notifier.readRetry(notifierSeq);
    }

    /**
     * {@code xe_vma_userptr_check_repin}: whether an invalidation moved the notifier sequence
     * since the pages were read ({@code mmu_interval_check_retry}, lock-free). Never under the
     * pin design, which has no notifier: the pinned pages stay what the range holds.
     */
    boolean checkRepin() {
        shared.read();
        return notifier != null && notifier.checkRetry(notifierSeq);
    }

    /**
     * The debugger's {@code list_del_init(&userptr.invalidate_link)} before it gets the pages
     * again: the range leaves the VM's invalidated list, so exec no longer revalidates it.
     */
    void takeOffInvalidated() {
        shared.write();
        invalidated = false;
    }

    /** Whether the range has pages ({@code userptr.sg}): none after its CPU side was found gone. */
    boolean hasPages() {
        shared.read();
        for (GpuPte page : pages) {
            if (page == null) {
                return false;
            }
        }
        return true;
    }

    /** What page {@code index} translated to at the last {@link #getPages}; see {@link #hasPages}. */
    GpuPte page(int index) {
        shared.read();
        return pages[index];
    }

    /** Exec found the range invalidated: take it off the invalidated list, onto the repin list. */
    void startRepin() {
        shared.write();
        invalidated = false;
        repin = true;
    }

    /** Getting the pages again failed with an error other than -EFAULT: back onto the invalidated list. */
    void abortRepin() {
        shared.write();
        repin = false;
        invalidated = true;
    }

    /** The CPU range is gone (-EFAULT at revalidation): no pages; the GPU range stays unmapped. */
    void dropPages() {
        vm.notifierLock().assertHeld();
        shared.write();
        java.util.Arrays.fill(pages, null);
        repin = false;
        zap();
    }

    /** Writes the GPU PTEs of every still-bound page from the pages last fetched. */
    void program() {
        vm.notifierLock().assertHeld();
        shared.write();
        for (int i = 0; i < mapped.length; i++) {
            if (!mapped[i]) {
                continue;
            }
            if (pages[i] != null) {
                vm.setPte(vaOf(i), pages[i]);
            } else {
                vm.clearPte(vaOf(i));
            }
        }
        initialBind = true;
        repin = false;
    }

    /**
     * Clears the GPU PTEs of every still-bound page ({@code xe_vm_invalidate_vma}); the GPU TLB
     * is invalidated only when some PTE was cleared ({@code xe_pt_zap_ptes} says whether one
     * is needed: a range invalidated already, say by munmap before the exit's release, has none).
     */
    private void zap() {
        shared.read(); // after a wait for the VM's fences: a step of its own
        boolean cleared = false;
        for (int i = 0; i < mapped.length; i++) {
            if (mapped[i]) {
                cleared |= vm.clearPte(vaOf(i));
            }
        }
        if (cleared) {
            vm.invalidateTlb();
        }
    }

    /**
     * {@code vma_userptr_invalidate}: the CPU pages of the range are about to change. Records the
     * sequence, marks the range for revalidation if it was ever programmed, waits for the VM's
     * unfinished jobs and zaps the GPU PTEs, all under {@code notifier_lock} held for writing.
     */
    @Override
    public boolean invalidate(MmuIntervalNotifier subscription, MmuNotifierRange range, long curSeq) {
        Simulation sim = vm.device().sim();
        vm.notifierLock().downWrite();
        try {
            shared.write();
            subscription.setSeq(curSeq);
            if (initialBind) {
                if (!destroyed) {
                    invalidated = true;
                }
                vm.resv().waitUnsignaled(DmaResv.Usage.BOOKKEEP);
                zap();
            }
            // else: "No need to stop gpu access if the userptr is not yet bound."
        } finally {
            vm.notifierLock().upWrite();
        }
        if (sim.tracing()) {
            sim.traceOperation("userptr " + id + " invalidate " + range.event(), initialBind ? "zapped" : "not bound yet");
        }
        return true;
    }

    // ---- GPU VA bookkeeping (the caller holds notifier_lock) ---------------------------------

    void markMapped(int index) {
        shared.write();
        if (!mapped[index]) {
            mapped[index] = true;
            mappedCount++;
        }
    }

    /** Page {@code index} is unbound (unpinned under pin); true when no page of the range is left. */
    boolean unmapPage(int index) {
        shared.write();
        if (!mapped[index]) {
            throw new IllegalStateException("userptr " + id + " page " + index + " unbound twice");
        }
        mapped[index] = false;
        mappedCount--;
        if (pinned != null && pinned[index] != null) {
            pinned[index].unpin();
            pinned[index] = null;
        }
        return mappedCount == 0;
    }

    /** {@code prep_vma_destroy}: later invalidations no longer mark it for revalidation. */
    void markDestroyed() {
        shared.write();
        destroyed = true;
        invalidated = false;
        repin = false;
    }

    /**
     * {@code xe_userptr_remove}: removes the notifier (waiting out an invalidation that still
     * uses it) or unpins what is still pinned. Called without {@code notifier_lock}.
     */
    void destroy() {
        shared.write();
        destroyed = true;
        if (notifier != null) {
            notifier.remove();
            notifier = null;
        }
        if (pinned != null) {
            for (int i = 0; i < pinned.length; i++) {
                if (pinned[i] != null) {
                    pinned[i].unpin();
                    pinned[i] = null;
                }
            }
        }
        vm.device().userptrFreed(this);
    }

    /** The frames pinned for the range ({@code pinned} design), null where none; only reads. */
    PageFrame[] pinnedPages() {
        shared.read();
        return pinned == null ? new PageFrame[0] : pinned.clone();
    }

    /**
     * What the GPU PTEs of the range point at: {@code gpu ptes -> pfn 1..4}, {@code gpu ptes ->
     * none} before the first bind and after a zap; only reads.
     */
    String describeGpuPtes() {
        return "gpu ptes -> " + vm.pteFrames(vaStart, vaOf(mapped.length));
    }

    /** For leak reports: {@code userptr 1 cpu 0x10000000 -> va 0x100000 16K (hmm)}. */
    String describe() {
        shared.read();
        return "userptr " + id + " cpu " + Fmt.hex(cpuStart) + " -> va " + Fmt.hex(vaStart) + " "
                + Fmt.size((long) mapped.length << PageFrame.PAGE_SHIFT) + " (" + design.value() + ")";
    }

    @Override
    public String toString() {
        return "userptr " + id;
    }
}
