package accelmm.mm;

import accelmm.sim.Access;

/**
 * CPU loads and stores of a process in its own address space, page by page: through the PTE
 * when it allows the access, otherwise through a page fault taken under {@code mmap_lock} for
 * reading. A fault that cannot be resolved (no VMA, no permission, SIGBUS from a driver) makes
 * the access fail with -EFAULT, as {@code copy_to_user} would; the bytes before it stay done.
 * Each page is one step: a preemption point comes before it, and the access itself is atomic.
 */
public final class Uaccess {

    private static final int MAX_FAULT_ROUNDS = 8;

    private final Kernel kernel;

    Uaccess(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Stores {@code data} (with per-byte secret labels, or null) at {@code address}: 0 or -EFAULT. */
    public int store(Task task, long address, byte[] data, int[] labels) {
        return access(task, address, data, labels, true);
    }

    /** Loads {@code out.length} bytes from {@code address} into {@code out}: 0 or -EFAULT. */
    public int load(Task task, long address, byte[] out) {
        return access(task, address, out, null, false);
    }

    private int access(Task task, long address, byte[] buf, int[] labels, boolean write) {
        int ret = accessPages(task, address, buf, labels, write);
        // The last page's step goes on in the caller, which declared nothing.
        kernel.sim().endOfDeclaredAccess();
        return ret;
    }

    /**
     * The page-by-page loop. Each page's step reads the VMA tree and the page table and then
     * loads or stores the frame, unless it faults (taking {@code mmap_lock}, a preemption point
     * of its own, ends the step). The frame may be shared with other address spaces (shared
     * mappings, a fork's COW pages for loads), so the step declares physical memory as a whole:
     * loads commute with loads, a store conflicts with every CPU access. Whoever changes a PTE
     * or a VMA does so in steps that declare nothing, which conflict with these anyway.
     */
    private int accessPages(Task task, long address, byte[] buf, int[] labels, boolean write) {
        MmStruct mm = task.mm();
        Access declared = write ? Access.write(kernel.physicalMemory()) : Access.read(kernel.physicalMemory());
        int done = 0;
        while (done < buf.length) {
            long at = address + done;
            long page = MemoryOps.pageAlign(at);
            int offset = (int) (at - page);
            int chunk = Math.min(buf.length - done, PageFrame.PAGE_SIZE - offset);
            kernel.sim().preemptionPoint(write ? "cpu store" : "cpu load", declared);
            Pte pte = resolve(mm, page, write);
            if (pte == null) {
                return Errno.EFAULT.neg();
            }
            Through through = new Through("cpu va", at);
            if (write) {
                kernel.physicalMemory().write(task.principal(), MemoryAccess.Via.CPU, pte.ref(), offset, buf, done,
                        chunk, labels, through, false);
            } else {
                kernel.physicalMemory().read(task.principal(), MemoryAccess.Via.CPU, pte.ref(), offset, buf, done,
                        chunk, through, false);
            }
            done += chunk;
        }
        return 0;
    }

    /** The PTE to access {@code page} through, faulting as needed; null for -EFAULT. */
    private Pte resolve(MmStruct mm, long page, boolean write) {
        for (int round = 0; round < MAX_FAULT_ROUNDS; round++) {
            Vma vma = mm.findVma(page);
            if (vma == null || !MemoryOps.accessAllowed(vma, write)) {
                return null;
            }
            Pte pte = mm.pageTable().lookup(page);
            if (pte != null && pte.isPresent() && (!write || pte.writable())) {
                return pte;
            }
            mm.mmapLock().downRead();
            VmFaultResult r;
            try {
                // The VMA may have changed while we waited for the lock.
                Vma now = mm.findVma(page);
                r = now == null || !MemoryOps.accessAllowed(now, write) ? VmFaultResult.SIGSEGV
                        : kernel.memoryOps().handleMmFault(now, page, write, false);
            } finally {
                mm.mmapLock().upRead();
            }
            if (r.isError()) {
                return null;
            }
        }
        throw new IllegalStateException("fault loop at " + Long.toHexString(page));
    }
}
