package accelmm.debug;

import accelmm.drm.EudebugVmAccess;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Task;
import java.util.function.ToLongFunction;

/**
 * The debugger's file {@code [xe_eudebug.vm]} on one VM of the debuggee ({@code struct
 * vm_file} of the "vm open/pread/pwrite" patch): what {@code DRM_XE_EUDEBUG_IOCTL_VM_OPEN}
 * returns (EUD-08). It keeps the VM handle it was opened with and a reference on the VM; {@code
 * pread} and {@code pwrite} take the offset as the GPU VA and look the handle up again on every
 * access ({@code find_vm_get}): once the debuggee destroyed the VM (its handle went with the
 * DESTROY event), or the handle now names another VM, the access is -EINVAL. Its release drops
 * the VM reference.
 *
 * <p>{@link #access} is where the {@link DebuggerDesign} decides how the access reaches memory.
 * Abstracted: the file position and {@code lseek} (each access names its VA), {@code fsync}
 * (the EU cache flush), the client handle of the ioctl (the VM handle names the VM).
 */
public final class EudebugVmFile implements FileOperations {

    private final XeEudebug.Connection connection;
    private final long vmHandle;
    private final GpuVm vm;
    private final DebuggerDesign design;

    @Override
    public String toString() {
        return "eudebug vm file of vm handle " + vmHandle + " (" + connection + ")";
    }

    /** Takes over a VM reference the caller took for the file. */
    EudebugVmFile(XeEudebug.Connection connection, long vmHandle, GpuVm vm, DebuggerDesign design) {
        this.connection = connection;
        this.vmHandle = vmHandle;
        this.vm = vm;
        this.design = design;
    }

    /**
     * {@code pread(fd, out, out.length, va)} by {@code task} ({@code ksys_pread64}): -EBADF for
     * an fd that is not open; -ESPIPE for a file that is no VM file (the model's other files are
     * anonymous-inode files, opened without FMODE_PREAD; the DRM file's own read is not
     * modelled); else the VM file's read.
     */
    public static long pread(Task task, int fd, long va, byte[] out) {
        return onVmFile(task, fd, vmFile -> vmFile.read(task, va, out));
    }

    /** {@code pwrite(fd, data, data.length, va)} by {@code task}, as {@link #pread}. */
    public static long pwrite(Task task, int fd, long va, byte[] data, int[] labels) {
        return onVmFile(task, fd, vmFile -> vmFile.write(task, va, data, labels));
    }

    private static long onVmFile(Task task, int fd, ToLongFunction<EudebugVmFile> op) {
        File file = task.fget(fd);
        if (file == null) {
            return Errno.EBADF.neg();
        }
        try {
            return file.privateData() instanceof EudebugVmFile vmFile ? op.applyAsLong(vmFile) : Errno.ESPIPE.neg();
        } finally {
            file.put();
        }
    }

    /**
     * {@code xe_eudebug_vm_read} by {@code caller} at GPU VA {@code va} into {@code out}: the bytes
     * read, or a negative errno.
     */
    long read(Task caller, long va, byte[] out) {
        return access(caller, va, out, null, false);
    }

    /**
     * {@code xe_eudebug_vm_write} by {@code caller} of {@code data} (with its secret {@code labels}, null for none)
     * at GPU VA {@code va}: the bytes written, or a negative errno.
     */
    long write(Task caller, long va, byte[] data, int[] labels) {
        return access(caller, va, data, labels, true);
    }

    /**
     * {@code __xe_eudebug_vm_access}: the handle must still name this file's VM; an empty access
     * is 0. Then the design's way to the memory: eudebug's, which copies into the caller's buffer
     * and never looks at who the caller is ({@code __xe_eudebug_vm_access}): whoever holds the file
     * (the debugger, a forked child, a process it was sent to) reads as itself; or, under {@code debugger=ptrace}, the caller's ptrace access
     * through the target's CPU address space ({@link PtraceVmAccess}).
     */
    private long access(Task caller, long va, byte[] buf, int[] labels, boolean write) {
        GpuVm now = connection.findVm(vmHandle);
        if (now == null || now != vm) {
            return Errno.EINVAL.neg();
        }
        if (buf.length == 0) {
            return 0;
        }
        return switch (design) {
            case EUDEBUG -> EudebugVmAccess.access(vm, va, buf, labels, write, caller.principal(),
                    EudebugVmAccess.UserptrCheck.SEQUENCE);
            case EUDEBUG_NO_RETRY -> EudebugVmAccess.access(vm, va, buf, labels, write, caller.principal(),
                    EudebugVmAccess.UserptrCheck.NONE);
            case PTRACE -> PtraceVmAccess.access(connection.ptrace(), caller, connection.target(), vm, va, buf, labels,
                    write);
        };
    }

    /** {@code xe_eudebug_vm_release}. */
    @Override
    public void release(File file) {
        vm.put();
    }

    @Override
    public String name() {
        return "[xe_eudebug.vm]";
    }
}
