package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Through;
import accelmm.sim.RwSemaphore;

/**
 * The xe side of the EU debugger's VM file (EUD-09..11): a read or write of a GPU VA range of
 * one VM, as the debugger's {@code pread}/{@code pwrite} on {@code [xe_eudebug.vm]} make it. It
 * lives here, not with the debugger, because these are xe's functions ({@code
 * xe_eudebug_vm_access} and {@code xe_eudebug_vma_access} in xe_eudebug.c, {@code
 * xe_vm_userptr_access} in xe_vm.c, {@code ttm_bo_access} in ttm_bo_vm.c), working on the VM's
 * mappings and locks.
 *
 * <p>One {@link #access} goes on from mapping to mapping as {@code __xe_eudebug_vm_access}
 * does: each step takes {@code vm->lock} for writing, finds the mapping at the address and
 * accesses at most the rest of it; a step that fails or finds nothing ends the access, whose
 * result is the bytes done if any, else that step's error. So an access starting in a hole (or
 * at a NULL / sparse mapping) is -EINVAL, one running into a hole stops short.
 *
 * <p>An object is reached through the object ({@link #ttmBoAccess}): its reservation lock,
 * then its pages — kmap for system memory, the driver's {@code access_memory} for VRAM, which
 * xe has, so both read. As in the driver, the offset into the object is the offset into the
 * mapping: the mapping's own offset into the object is not added.
 *
 * <p>A userptr range is reached through the pages its last {@code hmm_range_fault} found, under
 * {@code notifier_lock} held for reading all through the copy, so an invalidation waits for it
 * ({@link #userptrAccess}). How it checks those pages first is the caller's {@link
 * UserptrCheck}: the v3 patch checks the notifier sequence and faults the range in again when it
 * moved; {@link UserptrCheck#NONE} copies through whatever pages were found last, which after
 * an munmap may be freed frames, maybe reused by another process. Every byte goes to the access
 * observer as {@link MemoryAccess.Via#DEBUGGER} with the debugger as principal; a copy through
 * pages an invalidation has since taken away says so ({@link GpuPte#invalidated}).
 *
 * <p>Abstracted: the 64 MiB bounce buffer (the model's objects and ranges are smaller, so one
 * chunk per mapping), the copy to or from the debugger's user buffer (never faults here).
 */
public final class EudebugVmAccess {

    /** The mapping kind of the debugger's accesses ({@link Through#kind()}). */
    public static final String THROUGH = "eudebug gpu va";

    /** How a userptr range's pages are checked before the copy. */
    public enum UserptrCheck {
        /**
         * {@code xe_vma_userptr_check_repin} under {@code notifier_lock}: when an invalidation
         * moved the range's notifier sequence, drop the lock, take the range off the VM's
         * invalidated list and get its pages again ({@code xe_vma_userptr_pin_pages}), then
         * check again.
         */
        SEQUENCE,
        /** No check: copy through the pages found last, however stale. */
        NONE
    }

    private EudebugVmAccess() {
    }

    /**
     * {@code __xe_eudebug_vm_access} (with {@code __vm_read_write} per step) on behalf of {@code
     * debugger}: reads {@code buf.length} bytes at GPU VA {@code va} of {@code vm} into {@code
     * buf}, or writes them from {@code buf} with their secret {@code labels} (null: none).
     * Returns the bytes done, or a negative errno when none were.
     */
    public static long access(GpuVm vm, long va, byte[] buf, int[] labels, boolean write, Principal debugger,
            UserptrCheck check) {
        int copied = 0;
        long ret = 0;
        while (copied < buf.length) {
            ret = vmAccess(vm, va + copied, buf, labels, copied, buf.length - copied, write, debugger, check);
            if (ret <= 0) {
                break;
            }
            copied += (int) ret;
        }
        return copied > 0 ? copied : ret;
    }

    /**
     * {@code xe_eudebug_vm_access}: under {@code vm->lock} for writing, the mapping overlapping
     * {@code [va, va + len)} must start at or below {@code va}, else -EINVAL (as when none does).
     */
    private static long vmAccess(GpuVm vm, long va, byte[] buf, int[] labels, int at, int len, boolean write,
            Principal debugger, UserptrCheck check) {
        if (!vm.rangeValid(va, len)) {
            return Errno.EINVAL.neg(); // beyond the VA space: no mapping overlaps there
        }
        RwSemaphore lock = vm.lock();
        lock.downWrite();
        try {
            GpuVa<GpuVaBacking> vma = vm.gpuvm().findFirst(va, len);
            if (vma == null || va < vma.addr()) {
                return Errno.EINVAL.neg();
            }
            return vmaAccess(vma, va - vma.addr(), buf, labels, at, len, write, debugger, check);
        } finally {
            lock.upWrite();
        }
    }

    /**
     * {@code xe_eudebug_vma_access}: clips the access to the mapping, then goes through its
     * object or its userptr range; anything else (a NULL / sparse mapping) is -EINVAL.
     */
    private static long vmaAccess(GpuVa<GpuVaBacking> vma, long offsetInVma, byte[] buf, int[] labels, int at,
            int len, boolean write, Principal debugger, UserptrCheck check) {
        int bytes = (int) Math.min(len, vma.range() - offsetInVma);
        return switch (vma.obj()) {
            case GpuVaBacking.Bo(GemObject bo) -> {
                bo.get();
                try {
                    yield ttmBoAccess(bo, offsetInVma, buf, labels, at, bytes, write, debugger);
                } finally {
                    bo.put();
                }
            }
            case GpuVaBacking.UserptrRange(Userptr u) ->
                    userptrAccess(u, vma.offset() + offsetInVma, buf, labels, at, bytes, write, debugger, check);
            case null -> Errno.EINVAL.neg();
        };
    }

    /**
     * {@code ttm_bo_access} for the debugger: {@link GemObject#ttmBoAccess} (the object's
     * reservation lock; -EIO when the range is empty or runs past the object's end), reported
     * as the debugger's access. Returns {@code len}.
     */
    static int ttmBoAccess(GemObject bo, long offset, byte[] buf, int[] labels, int at, int len, boolean write,
            Principal debugger) {
        return bo.ttmBoAccess(offset, buf, at, len, labels, write, debugger, MemoryAccess.Via.DEBUGGER);
    }

    /**
     * {@code xe_vm_userptr_access} (the v3 patch, EUD-11): {@code len} bytes from {@code offset}
     * of the range's CPU pages, copied page by page holding {@code notifier_lock} for reading.
     * Under {@link UserptrCheck#SEQUENCE} a moved sequence makes it get the pages again first
     * (an error from that is returned as it is: -EFAULT once the CPU range is unmapped). A range
     * with no pages is -EINVAL. Returns {@code len}.
     */
    static int userptrAccess(Userptr u, long offset, byte[] buf, int[] labels, int at, int len, boolean write,
            Principal debugger, UserptrCheck check) {
        RwSemaphore notifierLock = u.vm().notifierLock();
        while (true) {
            notifierLock.downRead();
            if (check == UserptrCheck.NONE || !u.checkRepin()) {
                break;
            }
            u.takeOffInvalidated();
            notifierLock.upRead();
            int ret = u.getPages();
            if (ret < 0) {
                return ret;
            }
        }
        try {
            if (!u.hasPages()) {
                return Errno.EINVAL.neg();
            }
            int done = 0;
            while (done < len) {
                long pos = offset + done;
                int index = (int) (pos >>> PageFrame.PAGE_SHIFT);
                int inPage = (int) (pos % PageFrame.PAGE_SIZE);
                int chunk = Math.min(len - done, PageFrame.PAGE_SIZE - inPage);
                GpuPte page = u.page(index);
                copy(u.vm().device(), page.ref(), inPage, buf, labels, at + done, chunk, write, debugger,
                        new Through(THROUGH, u.vaOf(index)), page.invalidated());
                done += chunk;
            }
            return len;
        } finally {
            notifierLock.upRead();
        }
    }

    /** One reported load or store of part of a frame, as the debugger's. */
    private static void copy(DrmDevice device, PhysicalMemory.FrameRef ref, int inPage, byte[] buf, int[] labels,
            int at, int len, boolean write, Principal debugger, Through through, boolean invalidated) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        if (write) {
            memory.write(debugger, MemoryAccess.Via.DEBUGGER, ref, inPage, buf, at, len, labels, through, invalidated);
        } else {
            memory.read(debugger, MemoryAccess.Via.DEBUGGER, ref, inPage, buf, at, len, through, invalidated);
        }
    }
}
