package accelmm.accel;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.mm.Task;
import accelmm.mm.Vma;
import accelmm.mm.VmFlag;
import accelmm.sim.Cost;

/**
 * User-space direct submission: a process stores a descriptor and the queue tail to the doorbell
 * page it mapped ({@code region=mmio}), with no system call. The store goes through the caller's
 * own page table: with no mapping at the address it is SIGSEGV, with a VMA but no PTE a CPU
 * fault, which uacce (no fault handler) answers with SIGBUS and pin-notifier's doorbell fault
 * handler by pinning again; the model returns -EFAULT for SIGSEGV and SIGBUS, as it does for any
 * CPU store that cannot complete. The device then runs the job for the queue whose doorbell page it is — the
 * queue of whoever mapped it, bound to that opener's PASID, whichever process stores.
 *
 * <p>An address that maps something other than a doorbell is -EFAULT in the model as well (a
 * real store there would land in memory and ring nothing).
 *
 * <p>User space submits the same way in every {@code accel} design (Glisse's R1): through its
 * library, naming the queue ({@link #submitToQueue}), which stores to the doorbell it mapped, or
 * makes the submission system call where the design has no doorbell.
 */
public final class UacceDoorbell {

    /** The outcome of {@link #submit}: 0 with the job's fence, or a negative errno without one. */
    public record Submit(int ret, DmaFence fence) {
    }

    private UacceDoorbell() {
    }

    /**
     * {@code submit Q op=copy src= dst= size=} by {@code task}, Q a queue's fd: the user
     * library's submission, the one call every {@code accel} design accepts (Glisse's R1). Under
     * {@code accel=kernel-submit} it is the submission system call ({@link
     * UacceQueue#submitIoctl}). Under the doorbell designs the library stores to the doorbell of
     * queue Q as mapped in the caller's address space ({@link #store}): the pointer mmap returned
     * is the library's, and a fork copies it with the rest of the memory, so the child's store
     * reaches whatever the child has at that address — the parent's doorbell when the mapping was
     * inherited ({@code queue-mmap=plain}), nothing ({@code dontcopy}: -EFAULT, the store's
     * SIGSEGV). No doorbell of Q mapped in the caller's address space is -EFAULT likewise. In
     * every design -EBADF for an fd not open and -ENOTTY for a file that is not a queue's (as the
     * system call answers; the library's handle table is the fd table in the model).
     */
    public static Submit submitToQueue(Task task, int fd, long srcVa, long dstVa, long sizeBytes) {
        if (task.kernel().designs().get(AccelDesign.class) == AccelDesign.KERNEL_SUBMIT) {
            return submitIoctl(task, fd, srcVa, dstVa, sizeBytes);
        }
        File file = task.fget(fd);
        if (file == null) {
            return new Submit(Errno.EBADF.neg(), null);
        }
        long doorbell;
        try {
            if (!(file.privateData() instanceof UacceQueue q)) {
                return new Submit(Errno.ENOTTY.neg(), null);
            }
            doorbell = doorbellOf(task.mm(), q);
        } finally {
            file.put();
        }
        return doorbell < 0 ? new Submit(Errno.EFAULT.neg(), null) : store(task, doorbell, srcVa, dstVa, sizeBytes);
    }

    /** The address of {@code q}'s doorbell mapping in {@code mm} (the lowest, if split or inherited), or -1. */
    private static long doorbellOf(MmStruct mm, UacceQueue q) {
        for (Vma vma : mm.vmas()) {
            if (vma.ops() instanceof UacceRegion r && r.queue() == q && r.type() == UacceQfrt.MMIO) {
                return vma.start();
            }
        }
        return -1;
    }

    private static Submit submitIoctl(Task task, int fd, long srcVa, long dstVa, long sizeBytes) {
        task.kernel().sim().costs().count(Cost.SYSCALL);
        File file = task.fget(fd);
        if (file == null) {
            return new Submit(Errno.EBADF.neg(), null);
        }
        try {
            if (!(file.privateData() instanceof UacceQueue q)) {
                return new Submit(Errno.ENOTTY.neg(), null);
            }
            UacceQueue.Submission s = q.submitIoctl(task, srcVa, dstVa, sizeBytes);
            return new Submit(s.ret(), s.job() == null ? null : s.job().fence());
        } finally {
            file.put();
        }
    }

    /**
     * {@code submit DB op=copy src= dst= size=} by {@code task}, DB an address: a raw store to
     * the doorbell page mapped there, in any design ({@code kernel-submit} has none to map, so
     * the store faults: -EFAULT).
     */
    public static Submit store(Task task, long doorbell, long srcVa, long dstVa, long sizeBytes) {
        task.kernel().sim().preemptionPoint("doorbell store " + task.name());
        UacceQueue q = queueAt(task.mm(), doorbell);
        if (q == null) {
            return new Submit(Errno.EFAULT.neg(), null);
        }
        return new Submit(0, q.ring(srcVa, dstVa, sizeBytes).fence());
    }

    /**
     * The queue whose doorbell page is mapped writable at {@code address} of {@code mm}; else
     * null. A doorbell VMA without its PTE faults, through the CPU fault path like any store
     * (counted as a CPU fault): under {@code accel=pin-notifier} the region's fault handler pins
     * again and maps the page ({@link UacceRegion#fault}); uacce itself has no fault handler
     * (SIGBUS).
     */
    private static UacceQueue queueAt(MmStruct mm, long address) {
        UacceRegion r = doorbellRegionAt(mm, address);
        if (r == null) {
            return null;
        }
        long page = address & ~(long) (PageFrame.PAGE_SIZE - 1);
        Pte pte = mm.pageTable().lookup(page);
        if (pte != null && pte.isPresent()) {
            return r.queue();
        }
        mm.mmapLock().downRead();
        try {
            // The VMA may have changed while we waited for the lock.
            Vma vma = mm.findVma(address);
            if (doorbellRegionAt(mm, address) != r) {
                return null;
            }
            return mm.kernel().memoryOps().handleMmFault(vma, page, true, false).isError() ? null : r.queue();
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /** The doorbell region of the writable VMA at {@code address}, or null. */
    private static UacceRegion doorbellRegionAt(MmStruct mm, long address) {
        Vma vma = address >= 0 && address < MmStruct.TASK_SIZE ? mm.findVma(address) : null;
        if (vma == null || !vma.has(VmFlag.WRITE) || !(vma.ops() instanceof UacceRegion r) || r.type() != UacceQfrt.MMIO) {
            return null;
        }
        return r;
    }
}
