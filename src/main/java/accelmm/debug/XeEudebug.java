package accelmm.debug;

import accelmm.drm.DrmFile;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import java.util.Map;
import java.util.TreeMap;

/**
 * The xe EU debugger of one GPU device, in its first interface (E1, patch series v1-v3: connect
 * by pid): {@code DRM_IOCTL_XE_EUDEBUG_CONNECT} ({@code xe_eudebug_connect}) gives the debugger
 * an anonymous file {@code [xe_eudebug]} that is one connection to one target process. The
 * device keeps at most one connection per target thread group; closing the connection's last
 * file reference ends it, and the target may be debugged again.
 *
 * <p>Only the connect is modelled: the event stream, discovery and VM access are not yet.
 */
public final class XeEudebug {

    private final Kernel kernel;
    private final String deviceName;
    /** The live connections by the target's pid (its tgid): ordered, so nothing depends on hashing. */
    private final Map<Integer, Connection> byTarget = new TreeMap<>();

    public XeEudebug(Kernel kernel, String deviceName) {
        this.kernel = kernel;
        this.deviceName = deviceName;
    }

    /**
     * {@code xe_eudebug_connect} on behalf of {@code debugger}: the new connection's fd in the
     * debugger's file table (installed without O_CLOEXEC, as the driver does), or a negative errno.
     * {@code target} is null when the pid names no process any more (it exited and was reaped):
     * -ENOENT, as the pid lookup ({@code find_get_task_by_vpid}) fails. A refused {@link
     * #ptraceMayAccessReadRealcreds} is -EACCES; a target that already has a debugger on this
     * device is -EBUSY ({@code xe_eudebug_attach} finds its tgid among the device's sessions).
     */
    public long connect(Task debugger, boolean debuggerCapSysPtrace, Task target) {
        if (target == null) {
            return Errno.ENOENT.neg();
        }
        if (!ptraceMayAccessReadRealcreds(debugger, debuggerCapSysPtrace, target)) {
            return Errno.EACCES.neg();
        }
        if (byTarget.containsKey(target.pid())) {
            return Errno.EBUSY.neg();
        }
        Connection connection = new Connection(debugger, target);
        File file = kernel.openFile(connection, true, true, connection);
        int fd = debugger.installFile(file, false);
        if (fd >= 0) {
            byTarget.put(target.pid(), connection);
        }
        return fd;
    }

    /**
     * {@code ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS)} ({@code __ptrace_may_access} in
     * kernel/ptrace.c): a thread of the target's own thread group may; otherwise the caller's real
     * uid (and gid) must equal the target's real, effective and saved ids, or the caller holds
     * CAP_SYS_PTRACE. A model process has one uid standing for all its ids and its gid; every
     * address space of the model is dumpable and no LSM is loaded, and Yama only acts on ATTACH
     * modes, so nothing else refuses.
     */
    static boolean ptraceMayAccessReadRealcreds(Task caller, boolean callerCapSysPtrace, Task target) {
        return caller == target || caller.uid() == target.uid() || callerCapSysPtrace;
    }

    /** The targets with a connection, by pid, for tests and traces. */
    public boolean attached(Task target) {
        return byTarget.containsKey(target.pid());
    }

    /**
     * One debugger connection ({@code struct xe_eudebug}): the file's private data and its
     * operations. Its release ({@code xe_eudebug_release}) ends the session on the device.
     */
    public final class Connection implements FileOperations {

        private final Task debugger;
        private final Task target;
        private final XeEudebugResources resources = new XeEudebugResources();

        Connection(Task debugger, Task target) {
            this.debugger = debugger;
            this.target = target;
        }

        /** The debugging process: the principal of the accesses made through this connection. */
        public Task debugger() {
            return debugger;
        }

        public Task target() {
            return target;
        }

        /** The connection's handles for the debuggee's objects ({@code d->res}). */
        XeEudebugResources resources() {
            return resources;
        }

        /**
         * The VM the connection's VM handle {@code vmHandle} names, or null when no VM has that
         * handle: never given, or removed when the debuggee destroyed the VM (its DESTROY event
         * removes the handle), or a VM closed since.
         */
        public GpuVm findVm(long vmHandle) {
            GpuVm vm = resources.lookup(XeEudebugResources.Type.VM, GpuVm.class, vmHandle);
            return vm == null || vm.isClosed() ? null : vm;
        }

        /**
         * The debuggee's drm file the connection's client handle {@code clientHandle} names, or
         * null when none has it (never given, or removed when the file was closed).
         */
        public DrmFile findClient(long clientHandle) {
            DrmFile file = resources.lookup(XeEudebugResources.Type.CLIENT, DrmFile.class, clientHandle);
            return file == null || file.isReleased() ? null : file;
        }

        @Override
        public void release(File file) {
            byTarget.remove(target.pid(), this);
        }

        @Override
        public String name() {
            return "[xe_eudebug] " + deviceName;
        }
    }
}
