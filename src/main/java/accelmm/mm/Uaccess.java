package accelmm.mm;

import accelmm.sim.Access;
import accelmm.sim.Cost;

/**
 * CPU loads and stores of a process in its own address space, page by page: through the PTE
 * when it allows the access, otherwise through a page fault taken under {@code mmap_lock} for
 * reading. A fault that cannot be resolved (no VMA, no permission, SIGBUS from a driver) makes
 * the access fail with -EFAULT, as {@code copy_to_user} would; the bytes before it stay done.
 *
 * <p>Preemption points ({@link BulkAccess}). {@code copy_to_user} holds no lock across pages,
 * so an access of at most {@link BulkAccess#PAGEWISE_MAX_BYTES} has a preemption point before
 * every page, and a fault takes {@code mmap_lock} (a point of its own) for that page alone:
 * another thread may read, unmap, protect, fork or reclaim between any two pages of it.
 *
 * <p>A larger access takes one step per page-table page it covers ({@link
 * PageTable#pmdAddrEnd}: 2M of address space): a preemption point before each span; the span's
 * pages that need a fault are faulted in together, in order, under one hold of {@code
 * mmap_lock} (a second preemption point) up to the first that cannot be; then the span's pages
 * are loaded or stored with no preemption point between them, and the access ends with -EFAULT
 * at the page that could not be faulted in. A page whose PTE went while the span was being
 * faulted in (an invalidation callback may sleep) is faulted again on its own, with its own
 * preemption point. The states between two pages of one span of a large access are not
 * explored: an abstraction of the model, which keeps a write of gigabytes within the step
 * limit; a race between its spans is found.
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

    /**
     * {@code kthread_use_mm(mm)}, {@code copy_from_user}, {@code kthread_unuse_mm}: a kernel
     * worker loads {@code out.length} bytes at {@code address} of another address space, on
     * behalf of {@code principal}, through the CPU page table of {@code mm} as it is now,
     * faulting pages in as the owner's own load would: 0 or -EFAULT. {@code kind} names the
     * mapping in reports ({@link Through#kind()}). The caller holds a user reference on {@code mm}.
     */
    public int loadInMm(MmStruct mm, Principal principal, MemoryAccess.Via via, String kind, long address,
            byte[] out) {
        int ret = accessPages(mm, principal, via, kind, address, out, null, false);
        kernel.sim().endOfDeclaredAccess();
        return ret;
    }

    /**
     * A device's DMA copy through a shared virtual address space ({@code iommu_sva_bind_device}):
     * {@code sizeBytes} from {@code src} to {@code dst} of {@code mm}, translated by the IOMMU
     * through the CPU page table as it is at each page, on behalf of {@code principal}, the
     * secret labels travelling with the bytes. A page the IOMMU finds missing or read-only for a
     * write is an I/O page fault, handled as {@code iommu_sva_handle_iopf} (iommu-sva.c) does: the
     * VMA must allow the access, then {@code handle_mm_fault} under {@code mmap_lock} for
     * reading, as the owner's own fault would; one it cannot resolve ends the copy with -EFAULT
     * (the page response INVALID), the bytes before it done. A preemption point before each chunk
     * (a page of source and destination), as a device engine holds no lock across pages. The
     * caller holds a user reference on {@code mm} ({@code mmget_not_zero}).
     */
    public int dmaCopyInMm(MmStruct mm, Principal principal, String kind, long src, long dst, long sizeBytes) {
        byte[] data = new byte[PageFrame.PAGE_SIZE];
        for (long done = 0; done < sizeBytes; ) {
            long from = src + done;
            long to = dst + done;
            int chunk = (int) Math.min(sizeBytes - done, Math.min(pageRoom(from), pageRoom(to)));
            kernel.sim().preemptionPoint(kind + " dma copy");
            // The destination first: its write fault may break COW on the page the source is on.
            Pte out = inRange(to) ? resolve(mm, MemoryOps.pageAlign(to), true, true) : null;
            Pte in = out != null && inRange(from) ? resolve(mm, MemoryOps.pageAlign(from), false, true)
                    : null;
            if (in == null || out == null) {
                return Errno.EFAULT.neg();
            }
            PhysicalMemory memory = kernel.physicalMemory();
            int fromOffset = (int) (from - MemoryOps.pageAlign(from));
            memory.read(principal, MemoryAccess.Via.DEVICE, in.ref(), fromOffset, data, 0, chunk,
                    new Through(kind, from), false);
            int[] labels = memory.labels(in.frame(), fromOffset, chunk);
            memory.write(principal, MemoryAccess.Via.DEVICE, out.ref(), (int) (to - MemoryOps.pageAlign(to)), data, 0,
                    chunk, labels, new Through(kind, to), false);
            done += chunk;
        }
        return 0;
    }

    private static boolean inRange(long address) {
        return address >= 0 && address < MmStruct.TASK_SIZE;
    }

    private static long pageRoom(long address) {
        return PageFrame.PAGE_SIZE - (address - MemoryOps.pageAlign(address));
    }

    private int access(Task task, long address, byte[] buf, int[] labels, boolean write) {
        int ret = accessPages(task.mm(), task.principal(), MemoryAccess.Via.CPU, "cpu va", address, buf, labels,
                write);
        // The last page's step goes on in the caller, which declared nothing.
        kernel.sim().endOfDeclaredAccess();
        return ret;
    }

    /**
     * The loop over steps: pages, or 2M spans of a large access ({@link BulkAccess#bySpan}). A
     * span's step faults in what it needs and then loads or stores its pages; a page's step
     * faults its page if need be ({@link #resolve}). The frames may be shared with other address
     * spaces (shared mappings, a fork's COW pages for loads), so the step declares physical memory
     * as a whole: loads commute with loads, a store conflicts with every CPU access. Whoever
     * changes a PTE or a VMA does so in steps that declare nothing, which conflict with these anyway.
     */
    private int accessPages(MmStruct mm, Principal principal, MemoryAccess.Via via, String kind, long address,
            byte[] buf, int[] labels, boolean write) {
        Access declared = write ? kernel.physicalMemory().shared().writeAll() : kernel.physicalMemory().shared().readAll();
        boolean bySpan = BulkAccess.bySpan(buf.length);
        long end = address + buf.length;
        int done = 0;
        while (done < buf.length) {
            kernel.sim().preemptionPoint(write ? "cpu store" : "cpu load", declared);
            if (address < 0 || address >= MmStruct.TASK_SIZE) {
                return Errno.EFAULT.neg(); // no VMA up there (and the range may wrap): the first page faults
            }
            long stepEnd = stepEnd(address + done, end, bySpan);
            long faultedEnd = bySpan ? faultIn(mm, MemoryOps.pageAlign(address + done), stepEnd, write) : stepEnd;
            while (address + done < stepEnd) {
                long at = address + done;
                long page = MemoryOps.pageAlign(at);
                int offset = (int) (at - page);
                int chunk = (int) Math.min(stepEnd - at, PageFrame.PAGE_SIZE - offset);
                // Where the prefault failed, the page has had its one fault: Linux does not fault
                // it again, copy_to_user returns what is left (and the model -EFAULT).
                Pte pte = page < faultedEnd ? resolve(mm, page, write, false) : null;
                if (pte == null) {
                    return Errno.EFAULT.neg();
                }
                Through through = new Through(kind, at);
                // Through the process's own PTE, so with its memory type.
                if (write) {
                    kernel.physicalMemory().write(principal, via, pte.ref(), offset, buf, done, chunk, labels, through,
                            false, pte.cacheMode(), false);
                } else {
                    kernel.physicalMemory().read(principal, via, pte.ref(), offset, buf, done, chunk, through, false,
                            pte.cacheMode(), false);
                }
                done += chunk;
            }
        }
        return 0;
    }

    /** The end of the step that starts at {@code at}: its 2M span's, or its page's. */
    private static long stepEnd(long at, long end, boolean bySpan) {
        return bySpan ? PageTable.pmdAddrEnd(at, end) : Math.min(end, MemoryOps.pageAlign(at) + PageFrame.PAGE_SIZE);
    }

    /**
     * Faults in the pages of {@code [start, end)} whose PTE does not allow the access, in order,
     * under one hold of {@code mmap_lock}, up to the first that cannot be faulted in; takes no
     * lock when every PTE is there already. Returns the end of what was faulted in: {@code end},
     * or the page that could not be, where the access ends with -EFAULT. This is how GUP's {@code
     * fault_in_safe_writeable} (mm/gup.c) faults in a user range, page by page with {@code
     * fixup_user_fault}; {@code copy_to_user} itself prefaults nothing, it faults as it stores.
     * The prefault is the model's way to fault a span's pages in one step.
     */
    private long faultIn(MmStruct mm, long start, long end, boolean write) {
        long page = start;
        while (page < end && usablePte(mm, page, write) != null) {
            page += PageFrame.PAGE_SIZE;
        }
        if (page >= end) {
            return end;
        }
        mm.mmapLock().downRead();
        try {
            for (; page < end; page += PageFrame.PAGE_SIZE) {
                if (!faultLocked(mm, page, write)) {
                    return page;
                }
            }
        } finally {
            mm.mmapLock().upRead();
        }
        return end;
    }

    /** Faults {@code page} in under {@code mmap_lock} until its PTE allows the access; false if it cannot. */
    private boolean faultLocked(MmStruct mm, long page, boolean write) {
        for (int round = 0; round < MAX_FAULT_ROUNDS; round++) {
            if (usablePte(mm, page, write) != null) {
                return true;
            }
            Vma vma = mm.findVma(page);
            if (vma == null || !MemoryOps.accessAllowed(vma, write)
                    || kernel.memoryOps().handleMmFault(vma, page, write, false).isError()) {
                return false;
            }
        }
        throw new IllegalStateException("fault loop at " + Long.toHexString(page));
    }

    /** The PTE of {@code page} if it is present and allows the access, else null. */
    private static Pte usablePte(MmStruct mm, long page, boolean write) {
        Vma vma = mm.findVma(page);
        if (vma == null || !MemoryOps.accessAllowed(vma, write)) {
            return null;
        }
        Pte pte = mm.pageTable().lookup(page);
        return pte != null && pte.isPresent() && (!write || pte.writable()) ? pte : null;
    }

    /**
     * The PTE to access {@code page} through, faulting as needed; null for -EFAULT. With {@code
     * iopf} the access is a device's through the IOMMU: each failed walk is an I/O page fault,
     * counted as a {@link Cost#DEVICE_FAULT} whether or not the handler can resolve it (the
     * handler's {@code handle_mm_fault} counts a CPU fault as well).
     */
    private Pte resolve(MmStruct mm, long page, boolean write, boolean iopf) {
        for (int round = 0; round < MAX_FAULT_ROUNDS; round++) {
            Pte pte = usablePte(mm, page, write);
            if (pte != null) {
                return pte;
            }
            if (iopf) {
                kernel.sim().costs().count(Cost.DEVICE_FAULT);
            }
            Vma vma = mm.findVma(page);
            if (vma == null || !MemoryOps.accessAllowed(vma, write)) {
                return null;
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
