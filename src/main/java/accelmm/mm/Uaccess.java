package accelmm.mm;

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
        MmStruct mm = task.mm();
        int done = 0;
        while (done < buf.length) {
            long at = address + done;
            long page = MemoryOps.pageAlign(at);
            int offset = (int) (at - page);
            int chunk = Math.min(buf.length - done, PageFrame.PAGE_SIZE - offset);
            kernel.sim().preemptionPoint(write ? "cpu store" : "cpu load");
            Pte pte = resolve(mm, page, write);
            if (pte == null) {
                return Errno.EFAULT.neg();
            }
            String through = "cpu va 0x" + Long.toHexString(at);
            if (write) {
                kernel.physicalMemory().write(task.principal(), MemoryAccess.Via.CPU, pte.ref(), offset, buf, done,
                        chunk, labels, through);
            } else {
                kernel.physicalMemory().read(task.principal(), MemoryAccess.Via.CPU, pte.ref(), offset, buf, done,
                        chunk, through);
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
