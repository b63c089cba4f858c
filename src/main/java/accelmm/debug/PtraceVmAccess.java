package accelmm.debug;

import accelmm.drm.GpuVaToCpu;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.MmStruct;
import accelmm.mm.Task;
import java.util.Arrays;

/**
 * The VM file's read and write under {@code debugger=ptrace}: the GPU debugger the review
 * proposes reaches a GPU VA of the debuggee through the debuggee's CPU address space. It asks
 * where the process maps the same memory ({@link GpuVaToCpu}, standing for the user-space
 * driver's answer) and moves the bytes with {@code PTRACE_PEEKDATA} / {@code PTRACE_POKEDATA},
 * that is {@code ptrace_access_vm} ({@link Ptrace#ptraceAccessVm}): GUP with FOLL_FORCE, or the
 * VMA's access hook for a GEM or dma-buf mmap ({@code ttm_bo_vm_access}, VRAM included). Each
 * access is the caller's, the tracer's ({@code Via.PTRACE}).
 *
 * <p>An access goes from GPU mapping to GPU mapping (and CPU mapping to CPU mapping) as the
 * eudebug one does, and its result is the bytes moved if any, else the first failure, as {@code
 * ptrace_readdata} / {@code ptrace_writedata} (kernel/ptrace.c) count a run of words: -EINVAL
 * where no GPU mapping is, -EIO where the memory has no CPU mapping (GPU-only memory, an object
 * never mmapped) or where nothing could be moved at the CPU address (it was unmapped since, as
 * {@code PTRACE_PEEKDATA} answers a short word); -ESRCH when the caller does not trace the
 * target ({@code ptrace_check_attach}: the fd was passed to another process, or the tracer
 * detached). Abstracted: the word-sized requests a debugger would loop over, the target's
 * registers and its stop (the model takes it as done at attach).
 */
final class PtraceVmAccess {

    private PtraceVmAccess() {
    }

    /**
     * On behalf of {@code caller}: moves {@code buf.length} bytes at GPU VA {@code va} of {@code
     * target}'s VM {@code vm} (to {@code buf} for a read, from it with its secret {@code labels},
     * null for none, for a write). Returns the bytes moved, or a negative errno when none were.
     */
    static long access(Ptrace ptrace, Task caller, Task target, GpuVm vm, long va, byte[] buf, int[] labels,
            boolean write) {
        if (ptrace.tracer(target) != caller) {
            return Errno.ESRCH.neg();
        }
        MmStruct mm = target.getTaskMm();
        try {
            int done = 0;
            while (done < buf.length) {
                Step step = step(ptrace, caller, target, mm, vm, va + done, buf, labels, done, write);
                if (step.ret() <= 0) {
                    return done > 0 ? done : step.ret();
                }
                done += (int) step.ret();
                if (step.shortened()) {
                    break;
                }
            }
            return done;
        } finally {
            if (mm != null) {
                mm.mmput();
            }
        }
    }

    /** What one step did: the bytes moved or an errno, and whether it moved fewer than it tried. */
    private record Step(long ret, boolean shortened) {
    }

    /** One GPU mapping's part from {@code buf[at]}. */
    private static Step step(Ptrace ptrace, Task caller, Task target, MmStruct mm, GpuVm vm, long va, byte[] buf,
            int[] labels, int at, boolean write) {
        return switch (GpuVaToCpu.translate(vm, va, buf.length - at, mm)) {
            case GpuVaToCpu.Unreachable(Errno errno) -> new Step(errno.neg(), true);
            case GpuVaToCpu.Mapped(long cpuAddress, int length) -> {
                byte[] chunk = Arrays.copyOfRange(buf, at, at + length);
                int[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, at, at + length);
                int moved = ptrace.ptraceAccessVm(caller, target, cpuAddress, chunk, chunkLabels, write);
                if (!write) {
                    System.arraycopy(chunk, 0, buf, at, moved);
                }
                yield new Step(moved > 0 ? moved : Errno.EIO.neg(), moved < length);
            }
        };
    }
}
