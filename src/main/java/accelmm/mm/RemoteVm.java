package accelmm.mm;

import accelmm.sim.Access;

/**
 * {@code access_remote_vm} / {@code __access_remote_vm} (mm/memory.c): another process's memory
 * read or written from the kernel on behalf of a debugger (ptrace's PEEK/POKE requests, {@code
 * /proc/PID/mem}), one page at a time under {@code mmap_lock} for reading.
 *
 * <p>Each page is looked up with GUP and {@code FOLL_FORCE} ({@code get_user_page_vma_remote};
 * {@code check_vma_flags} and {@code can_follow_write_pte} in mm/gup.c): a VM_IO / VM_PFNMAP VMA
 * has no page; a read needs VM_MAYREAD only, which every mapping of the model has, so a
 * PROT_NONE or write-only mapping is read; a write needs VM_WRITE or a private (COW) mapping,
 * where it breaks COW and stores into the exclusive anonymous copy, which stays mapped read-only
 * ({@link MemoryOps}: {@code maybe_mkwrite}); a forced write to a shared read-only mapping
 * fails. A special PTE (a PFN a driver inserted) has no page either. Where GUP fails, the VMA at
 * the address is asked through its {@link VmOperations#access} hook for the whole rest of the
 * range (GEM mmaps have one: they read the object, VRAM included); without a VMA, or without a
 * hook, or when the hook moves nothing, the access stops there. The result is the number of
 * bytes moved, never an errno: callers judge a short count ({@code PTRACE_PEEKDATA}: -EIO).
 *
 * <p>Every byte moved is reported to the access observers with the caller's principal and
 * {@code via}. A preemption point comes before each page (GUP may sleep and fault); the stack
 * expansion of the kernel's loop has nothing to expand in the model.
 */
public final class RemoteVm {

    private static final int MAX_FAULT_ROUNDS = 8;

    private final Kernel kernel;

    RemoteVm(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code access_remote_vm(mm, addr, buf, len, FOLL_FORCE | (write ? FOLL_WRITE : 0))}: moves
     * {@code buf.length} bytes between {@code buf} and {@code address} of {@code mm}; returns the
     * bytes moved (fewer at a hole, a mapping GUP cannot follow without an access hook, or a hook
     * failure). {@code labels}: the secret labels of a write's bytes, indexed like {@code buf}, or
     * null. The caller holds a user reference on {@code mm} ({@code get_task_mm}).
     */
    public int accessRemoteVm(MmStruct mm, Principal principal, MemoryAccess.Via via, long address, byte[] buf,
            int[] labels, boolean write) {
        Access declared = write ? kernel.physicalMemory().shared().writeAll() : kernel.physicalMemory().shared().readAll();
        int done = 0;
        mm.mmapLock().downRead();
        try {
            while (done < buf.length) {
                kernel.sim().preemptionPoint(write ? "access_remote_vm write" : "access_remote_vm read", declared);
                long at = address + done;
                if (at < 0 || at >= MmStruct.TASK_SIZE) {
                    break;
                }
                int moved = accessPage(mm, principal, via, at, buf, done, labels, write);
                if (moved <= 0) {
                    break;
                }
                done += moved;
            }
        } finally {
            mm.mmapLock().upRead();
        }
        kernel.sim().endOfDeclaredAccess();
        return done;
    }

    /** One round of the loop at {@code at}: the bytes moved through the page, or the hook's result. */
    private int accessPage(MmStruct mm, Principal principal, MemoryAccess.Via via, long at, byte[] buf, int done,
            int[] labels, boolean write) {
        long page = MemoryOps.pageAlign(at);
        Pte pte = getUserPageForced(mm, page, write);
        if (pte == null) {
            Vma vma = mm.findVma(at);
            return vma == null ? 0 : vma.ops() == null ? 0
                    : vma.ops().access(vma, at, buf, done, buf.length - done, labels, write, principal, via);
        }
        int offset = (int) (at - page);
        int chunk = Math.min(buf.length - done, PageFrame.PAGE_SIZE - offset);
        Through through = new Through("remote va", at);
        if (write) {
            kernel.physicalMemory().write(principal, via, pte.ref(), offset, buf, done, chunk, labels, through, false);
        } else {
            kernel.physicalMemory().read(principal, via, pte.ref(), offset, buf, done, chunk, through, false);
        }
        return chunk;
    }

    /**
     * GUP of one page with {@code FOLL_FORCE} (and {@code FOLL_WRITE} for a write), faulting as
     * needed: the PTE to access it through, or null where GUP fails. The caller holds {@code
     * mmap_lock}.
     */
    private Pte getUserPageForced(MmStruct mm, long page, boolean write) {
        Vma vma = mm.findVma(page);
        if (vma == null || !forcedAccessAllowed(vma, write)) {
            return null;
        }
        for (int round = 0; round < MAX_FAULT_ROUNDS; round++) {
            Pte pte = mm.pageTable().lookup(page);
            if (pte != null && pte.isPresent()) {
                if (pte.special() && !pte.frame().isZeroPage()) {
                    return null; // vm_normal_page: no page behind a PFN a driver inserted
                }
                if (!write || pte.writable() || canFollowWriteForced(vma, pte)) {
                    return pte;
                }
            }
            if (kernel.memoryOps().handleMmFault(vma, page, write, false).isError()) {
                return null;
            }
        }
        throw new IllegalStateException("access_remote_vm fault loop at " + Long.toHexString(page));
    }

    /**
     * {@code check_vma_flags} with {@code FOLL_FORCE}: never VM_IO / VM_PFNMAP; a write needs
     * VM_WRITE or a COW mapping; a read needs VM_MAYREAD, which every VMA of the model has.
     */
    private static boolean forcedAccessAllowed(Vma vma, boolean write) {
        if (vma.has(VmFlag.IO) || vma.has(VmFlag.PFNMAP)) {
            return false;
        }
        return !write || vma.has(VmFlag.WRITE) || vma.isCowMapping();
    }

    /**
     * {@code can_follow_write_pte} for a read-only PTE under {@code FOLL_FORCE}: only in a private
     * mapping without VM_WRITE, and only once COW is broken: the page is an exclusive anonymous one.
     */
    private static boolean canFollowWriteForced(Vma vma, Pte pte) {
        return vma.isCowMapping() && !vma.has(VmFlag.WRITE) && pte.frame().isAnon() && pte.frame().isAnonExclusive();
    }
}
