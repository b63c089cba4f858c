package accelmm.virt;

import accelmm.mm.BulkAccess;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PageTable;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.PhysicalMemory.FrameRef;
import accelmm.mm.Through;
import accelmm.sim.Access;
import accelmm.sim.Cost;
import accelmm.sim.Simulation;
import java.util.List;

/**
 * The VM's one vCPU running guest loads and stores, page by page: the guest's own translation
 * ({@link GuestStage1}), then the stage-2 entry, faulted in when missing or read-only for a write
 * ({@code kvm_tdp_page_fault} / {@code direct_page_fault} on x86, {@code user_mem_abort} on
 * arm64).
 *
 * <p>Each page's access is one step that declares physical memory, as a CPU access does. A
 * stage-2 fault has two more: after sampling {@code mmu_invalidate_seq} (before {@code
 * hva_to_pfn}, which may block; that step declares nothing, it takes {@code mmap_lock} and may
 * fault pages in), and taking {@code mmu_lock} to install the entry ({@code mutex_lock}'s own
 * point). The window between them is where an invalidation may run: one that ended bumped the
 * seq, one still running has its range recorded, and {@link Kvm#mmuInvalidateRetry} sends the
 * fault back to sample again. The access through the new entry follows in the install's step.
 */
final class KvmVcpu {

    private final Kvm kvm;

    KvmVcpu(Kvm kvm) {
        this.kvm = kvm;
    }

    /**
     * Loads into or stores from {@code buf} at {@code gpa}: the bytes moved, or -EFAULT. Every
     * return ends the declared access, as {@code Uaccess} does: what the caller runs next is not
     * the guest's physical-memory-only step.
     */
    long access(long gpa, byte[] buf, int[] labels, boolean write) {
        Simulation sim = kvm.kernel().sim();
        long ret = accessPages(sim, gpa, buf, labels, write);
        sim.endOfDeclaredAccess();
        return ret;
    }

    private long accessPages(Simulation sim, long gpa, byte[] buf, int[] labels, boolean write) {
        Access declared = write ? kvm.kernel().physicalMemory().shared().writeAll()
                : kvm.kernel().physicalMemory().shared().readAll();
        boolean bySpan = BulkAccess.bySpan(buf.length);
        int done = 0;
        while (done < buf.length) {
            long at = gpa + done;
            long gfn = at >>> PageFrame.PAGE_SHIFT;
            int offset = (int) (at & (PageFrame.PAGE_SIZE - 1));
            int chunk = Math.min(buf.length - done, PageFrame.PAGE_SIZE - offset);
            PageCacheMode guestType = kvm.stage1().lookup(gfn);
            if (guestType == null) {
                return Errno.EFAULT.neg(); // the guest's own page fault: no guest kernel to handle it
            }
            if (!bySpan || done == 0 || (at & (PageTable.PMD_SIZE - 1)) == 0) {
                sim.preemptionPoint(write ? "guest store" : "guest load", declared);
            }
            Spte spte = kvm.stage2().lookup(gfn);
            if (spte == null || (write && !spte.writable())) {
                spte = fault(gfn, write);
                if (spte == null) {
                    return Errno.EFAULT.neg();
                }
            }
            move(spte, guestType, at, offset, buf, done, chunk, labels, write);
            done += chunk;
        }
        return done;
    }

    /**
     * The stage-2 fault of {@code gfn}: the installed entry, or null for what KVM cannot map
     * (no memslot: an MMIO exit the model does not emulate; an error PFN; on arm64 without FWB a
     * cacheable PFNMAP device PFN, {@link Stage2Attr#refusesCacheablePfnmap}). A fault the retry
     * check sends back because an invalidation is in progress waits for its end ({@link
     * MmuInvalidation#waitWhileInProgress}); one sent back by the seq alone needs a fresh
     * invalidation to fail again, so no bound is set here (the explorer's step limit bounds a
     * schedule that keeps invalidating).
     */
    private Spte fault(long gfn, boolean write) {
        Simulation sim = kvm.kernel().sim();
        sim.costs().count(Cost.DEVICE_FAULT);
        KvmMemorySlot slot = kvm.slotOf(gfn);
        if (slot == null) {
            return null;
        }
        long hva = slot.hvaOf(gfn);
        while (true) {
            long seq = kvm.mmuInvalidateSeq();
            sim.preemptionPoint("kvm hva_to_pfn");
            KvmPfn pfn = HvaToPfn.resolve(kvm.kernel().gup(), kvm.mm(), hva, write);
            if (!(pfn instanceof KvmPfn.Found found)
                    || Stage2Attr.refusesCacheablePfnmap(kvm.config(), found.frame(), found.cacheablePfnmap())) {
                return null;
            }
            // Taking mmu_lock is the next preemption point: the window closes there.
            Spte spte = install(gfn, hva, seq, found);
            if (spte != null) {
                return spte;
            }
            kvm.invalidation().waitWhileInProgress(gfn, kvm.config().arch() == KvmConfig.Arch.ARM64);
        }
    }

    /**
     * Under {@code mmu_lock}: the retry check (notifier design), then the entry. GUP's reference
     * goes once the entry is in ({@code kvm_release_faultin_page}) or when the fault retries;
     * pfn-walk keeps it in the entry. Null when the fault must retry.
     */
    private Spte install(long gfn, long hva, long seq, KvmPfn.Found found) {
        PageFrame frame = found.frame();
        kvm.mmuLock().lock();
        try {
            if (kvm.design() == KvmDesign.NOTIFIER && mustRetry(seq, gfn)) {
                if (found.refcountedPage()) {
                    frame.put();
                }
                return null;
            }
            boolean keepReference = kvm.design() == KvmDesign.PFN_WALK && found.refcountedPage();
            Stage2Attr attr = Stage2Attr.of(kvm.config(), frame, found.cacheablePfnmap());
            Spte spte = new Spte(FrameRef.of(frame), found.writable(), attr, hva, keepReference);
            Spte replaced = kvm.stage2().install(gfn, spte);
            if (replaced != null) {
                Kvm.dropSptes(List.of(replaced));
            }
            kvm.kernel().sim().costs().count(Cost.DEVICE_PTE_WRITE);
            if (found.refcountedPage() && !keepReference) {
                frame.put();
            }
            return spte;
        } finally {
            kvm.mmuLock().unlock();
        }
    }

    private boolean mustRetry(long seq, long gfn) {
        return switch (kvm.variant()) {
            case FAITHFUL -> kvm.mmuInvalidateRetry(seq, gfn);
            case NO_RETRY_CHECK -> false;
            case SEQ_ONLY_CHECK -> seq != kvm.mmuInvalidateSeq();
        };
    }

    /**
     * The load or store itself, through the stage-2 entry: on behalf of the VMM (the guest is not
     * a principal of its own), with the effective type of the two stages; an x86 CPU snoops its
     * caches on uncached accesses (self-snoop), an arm64 one does not.
     */
    private void move(Spte spte, PageCacheMode guestType, long at, int offset, byte[] buf, int done, int chunk,
            int[] labels, boolean write) {
        long gfn = at >>> PageFrame.PAGE_SHIFT;
        kvm.recordType(gfn, spte.attr(), guestType);
        PhysicalMemory memory = kvm.kernel().physicalMemory();
        PageCacheMode type = spte.attr().effective(guestType);
        boolean snoops = kvm.config().arch() == KvmConfig.Arch.X86;
        Through through = new Through("guest gpa", at, spte.attr().stages(guestType));
        boolean hostChanged = spte.hostChanged(kvm.mm());
        if (write) {
            memory.write(kvm.mm().owner(), MemoryAccess.Via.GUEST, spte.ref(), offset, buf, done, chunk, labels,
                    through, hostChanged, type, snoops);
        } else {
            memory.read(kvm.mm().owner(), MemoryAccess.Via.GUEST, spte.ref(), offset, buf, done, chunk, through,
                    hostChanged, type, snoops);
        }
    }
}
