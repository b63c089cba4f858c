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
 * own page table: with no mapping at the address it is SIGSEGV, with a VMA but no PTE (uacce has
 * no fault handler) SIGBUS; the model returns -EFAULT for both, as it does for any CPU store that
 * cannot complete. The device then runs the job for the queue whose doorbell page it is — the
 * queue of whoever mapped it, bound to that opener's PASID, whichever process stores.
 *
 * <p>An address that maps something other than a doorbell is -EFAULT in the model as well (a
 * real store there would land in memory and ring nothing).
 */
public final class UacceDoorbell {

    /** The outcome of {@link #submit}: 0 with the job's fence, or a negative errno without one. */
    public record Submit(int ret, DmaFence fence) {
    }

    private UacceDoorbell() {
    }

    /**
     * {@code submit DB op=copy src= dst= size=} by {@code task}. Under {@code accel=kernel-submit}
     * there is no doorbell and DB is the queue's fd: the submission system call ({@link
     * UacceQueue#submitIoctl}; -EBADF for an fd not open, -ENOTTY for a file that is not a
     * queue's). In every other design it rings the doorbell mapped at {@code doorbell}.
     */
    public static Submit submit(Task task, long doorbell, long srcVa, long dstVa, long sizeBytes) {
        if (task.kernel().designs().get(AccelDesign.class) == AccelDesign.KERNEL_SUBMIT) {
            return submitIoctl(task, doorbell, srcVa, dstVa, sizeBytes);
        }
        return ring(task, doorbell, srcVa, dstVa, sizeBytes);
    }

    private static Submit submitIoctl(Task task, long fd, long srcVa, long dstVa, long sizeBytes) {
        task.kernel().sim().costs().count(Cost.SYSCALL);
        File file = fd == (int) fd ? task.fget((int) fd) : null;
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

    private static Submit ring(Task task, long doorbell, long srcVa, long dstVa, long sizeBytes) {
        task.kernel().sim().preemptionPoint("doorbell store " + task.name());
        UacceQueue q = queueAt(task.mm(), doorbell);
        if (q == null) {
            return new Submit(Errno.EFAULT.neg(), null);
        }
        return new Submit(0, q.ring(srcVa, dstVa, sizeBytes).fence());
    }

    /**
     * The queue whose doorbell page is mapped writable at {@code address} of {@code mm}; else
     * null. A doorbell VMA without its PTE faults: under {@code accel=pin-notifier} the region's
     * fault handler pins again and maps the page ({@link UacceQueue#doorbellFault}); uacce itself
     * has no fault handler (SIGBUS).
     */
    private static UacceQueue queueAt(MmStruct mm, long address) {
        Vma vma = address >= 0 && address < MmStruct.TASK_SIZE ? mm.findVma(address) : null;
        if (vma == null || !vma.has(VmFlag.WRITE) || !(vma.ops() instanceof UacceRegion r) || r.type() != UacceQfrt.MMIO) {
            return null;
        }
        Pte pte = mm.pageTable().lookup(address & ~(long) (PageFrame.PAGE_SIZE - 1));
        if (pte != null && pte.isPresent()) {
            return r.queue();
        }
        boolean faulted = r.queue().device().accelDesign() == AccelDesign.PIN_NOTIFIER && r.queue().doorbellFault(vma);
        return faulted ? r.queue() : null;
    }
}
