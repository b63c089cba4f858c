package accelmm.debug;

import accelmm.debug.XeEudebugEvent.Flag;
import accelmm.debug.XeEudebugResources.Type;
import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFile;
import accelmm.drm.EudebugHooks;
import accelmm.drm.ExecQueue;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Kernel;
import accelmm.mm.FileOperations;
import accelmm.mm.Task;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import accelmm.sim.WaitQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The xe EU debugger of one GPU device, in its first interface (E1, connect by pid: patch
 * series v1-v3 and the backport branches). Where those versions differ, the model follows the
 * v3 posting (Dec 2024): its discovery replays no binds, which later backport branches do
 * (VM_BIND / VM_BIND_OP events; KERNEL-SEMANTICS EUD-07). {@code DRM_IOCTL_XE_EUDEBUG_CONNECT}
 * ({@code xe_eudebug_connect}) gives the debugger an anonymous file {@code [xe_eudebug]} that
 * is one {@link Connection} to one target process. The device keeps at most one connection
 * per target thread group; closing the connection's last file reference ends it.
 *
 * <p>Design note. Making one installs it in the device as its {@link EudebugHooks}: the xe
 * paths then tell it about every drm file, VM, exec queue and bind, and it queues an event
 * ({@link XeEudebugEvent}) to the connection whose target is the thread group that opened the
 * file ({@code xe_eudebug_get}: {@code same_thread_group} of the file's {@code pid} and the
 * target), with the connection's own handles ({@link XeEudebugResources}). A connect starts
 * discovery ({@code discovery_work_fn}) in a worker actor: holding the device's discovery
 * lock for writing, it replays OPEN, VM and EXEC_QUEUE CREATE events for what the target
 * already has. The debuggee's VM, bind and exec-queue ioctls, its opens and closes, and
 * connects take that lock for reading, so they wait while discovery runs; and a connection
 * whose discovery is not done yet gets no event from them ({@code completion_done}), because
 * discovery will find what they made. So nothing is lost or sent twice.
 *
 * <p>Abstracted: the event FIFO has no bound (the driver's holds 64 and blocks the debuggee up
 * to 25 s when full, EUD-05); every VM counts as a long-running one ({@code
 * xe_vm_in_lr_mode}) and every exec queue as a render or compute one, which are the only ones
 * the driver reports; a hook that finds no handle for the client or VM it needs (the driver
 * would disconnect) sends nothing, since the model cannot get there.
 */
public final class XeEudebug implements EudebugHooks {

    private final Kernel kernel;
    private final DrmDevice device;
    /** The ptrace links of the run, for the ptrace-based debugger ({@link DebuggerDesign#PTRACE}); null when it has none. */
    private final Ptrace ptrace;
    /** The live connections by the target's pid (its tgid): ordered, so nothing depends on hashing. */
    private final Map<Integer, Connection> byTarget = new TreeMap<>();
    /** {@code xe->clients.list}: the device's drm files in the order they were opened, for discovery. */
    private final List<DrmFile> clients = new ArrayList<>();
    /** {@code vm->eudebug}: the events of the bind in progress on a VM, sent when it ends well. */
    private final Map<GpuVm, PendingBind> binds = new LinkedHashMap<>();
    /** The connections by target, the clients and the binds in progress. */
    private final Shared shared;

    /** The debugger of {@code device}, installed as its hooks (before the run opens any file), without ptrace. */
    public XeEudebug(DrmDevice device) {
        this(device, null);
    }

    /**
     * The debugger of {@code device}, installed as its hooks (before the run opens any file),
     * which under {@link DebuggerDesign#PTRACE} also traces its targets through {@code ptrace}.
     */
    public XeEudebug(DrmDevice device, Ptrace ptrace) {
        this.kernel = device.kernel();
        this.device = device;
        this.ptrace = ptrace;
        this.shared = kernel.sim().shared("xe eudebug");
        device.installEudebug(this);
    }

    /**
     * What a GPU debugger does to attach to {@code target} (null when the pid names no process)
     * on behalf of {@code debugger}: under {@code debugger=eudebug} and {@code eudebug-no-retry}
     * the {@link #connect} alone. Under {@code debugger=ptrace} it first attaches to the CPU
     * process, as a debugger does ({@code PTRACE_ATTACH}, {@link Ptrace#attach}: -ESRCH, -EPERM;
     * {@code targetCapsWithinDebuggers}: every capability of the target is the debugger's too),
     * which stops every thread of the target, then connects to the GPU; a refused connect
     * detaches again, so a refusal leaves neither. The connection's release detaches (the last
     * close of its file, or the debugger's exit, which detaches anyway). Returns the connection's
     * fd or a negative errno.
     */
    public long debugAttach(Task debugger, boolean debuggerCapSysPtrace, Task target, boolean targetCapsWithinDebuggers) {
        if (kernel.designs().get(DebuggerDesign.class) != DebuggerDesign.PTRACE) {
            return connect(debugger, debuggerCapSysPtrace, target, targetCapsWithinDebuggers);
        }
        if (ptrace == null) {
            throw new IllegalStateException("debugger=ptrace on a debugger made without the run's ptrace");
        }
        int err = ptrace.attach(debugger, debuggerCapSysPtrace, target, targetCapsWithinDebuggers);
        if (err < 0) {
            return err;
        }
        long fd = connect(debugger, debuggerCapSysPtrace, target, targetCapsWithinDebuggers);
        if (fd < 0) {
            ptrace.detach(debugger, target);
        } else {
            shared.read();
            Connection connection = byTarget.get(target.pid());
            connection.shared.write();
            connection.traced = true;
        }
        return fd;
    }

    /**
     * {@code xe_eudebug_connect} on behalf of {@code debugger}: the new connection's fd in the
     * debugger's file table (installed without O_CLOEXEC, as the driver does), or a negative errno.
     * {@code target} is null when the pid names no process any more (it exited and was reaped):
     * -ENOENT, as the pid lookup ({@code find_get_task_by_vpid}) fails. A refused {@link
     * #ptraceMayAccessReadRealcreds} ({@code targetCapsWithinDebuggers}: every capability the
     * target holds, the debugger holds too) is -EACCES; a target that already has a debugger on this
     * device is -EBUSY ({@code xe_eudebug_attach} finds its tgid among the device's sessions).
     * The ioctl runs under the discovery lock for reading; a new connection's discovery worker
     * starts once it has returned.
     */
    public long connect(Task debugger, boolean debuggerCapSysPtrace, Task target, boolean targetCapsWithinDebuggers) {
        RwSemaphore discoveryLock = device.discoveryLock();
        discoveryLock.downRead();
        try {
            return connectLocked(debugger, debuggerCapSysPtrace, target, targetCapsWithinDebuggers);
        } finally {
            discoveryLock.upRead();
        }
    }

    private long connectLocked(Task debugger, boolean debuggerCapSysPtrace, Task target,
            boolean targetCapsWithinDebuggers) {
        if (target == null) {
            return Errno.ENOENT.neg();
        }
        if (!ptraceMayAccessReadRealcreds(debugger, debuggerCapSysPtrace, target, targetCapsWithinDebuggers)) {
            return Errno.EACCES.neg();
        }
        if (attached(target)) {
            return Errno.EBUSY.neg();
        }
        Connection connection = new Connection(debugger, target);
        File file = kernel.openFile(connection, true, true, connection);
        int fd = debugger.installFile(file, false);
        if (fd >= 0) {
            shared.write();
            byTarget.put(target.pid(), connection);
            startDiscovery(connection);
        }
        return fd;
    }

    /**
     * {@code queue_work(xe->eudebug.ordered_wq, &d->discovery_work)}: the worker actor. A target
     * with no drm file on the device has nothing to discover: the model marks discovery done at
     * once instead of running a worker that would find nothing. That changes nothing a scenario
     * can see: a file the target opens after this point is reported by its open's hook, and an
     * open in progress holds the discovery lock for reading, as this connect does, so it has
     * either listed its file already (and the worker runs) or reports to this connection.
     */
    private void startDiscovery(Connection connection) {
        shared.read();
        connection.shared.write();
        boolean targetHasFiles = clients.stream().anyMatch(f -> f.pid() == connection.target.pid());
        if (!targetHasFiles) {
            connection.discoveryDone = true;
            return;
        }
        kernel.sim().spawn(device.name() + " eudebug discovery " + connection.target.name(),
                () -> discover(connection));
    }

    /**
     * {@code ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS)} ({@code __ptrace_may_access} in
     * kernel/ptrace.c): a thread of the target's own thread group may; otherwise the caller's real
     * uid (and gid) must equal the target's real, effective and saved ids, or the caller holds
     * CAP_SYS_PTRACE; then commoncap's {@code cap_ptrace_access_check} (security/commoncap.c),
     * which runs in every mode: the target's permitted capabilities must be a subset of the
     * caller's permitted ones ({@code targetCapsWithinCallers}; the effective ones only in FSCREDS
     * modes), or the caller holds CAP_SYS_PTRACE. A model process has one uid standing for all
     * its ids and its gid, and one capability set standing for permitted and effective; every
     * address space of the model is dumpable and no other LSM is loaded (Yama only acts on
     * ATTACH modes), so nothing else refuses.
     */
    static boolean ptraceMayAccessReadRealcreds(Task caller, boolean callerCapSysPtrace, Task target,
            boolean targetCapsWithinCallers) {
        if (caller == target) {
            return true;
        }
        return (caller.uid() == target.uid() || callerCapSysPtrace) && (targetCapsWithinCallers || callerCapSysPtrace);
    }

    /** The targets with a connection, by pid, for tests and traces. */
    public boolean attached(Task target) {
        shared.read();
        return byTarget.containsKey(target.pid());
    }

    // ---- discovery -----------------------------------------------------------------------------

    /**
     * {@code discovery_work_fn}: under the discovery lock for writing, replays every client of
     * the target (in the order the files were opened) with its VMs and exec queues, then marks
     * discovery done. A connection closed before the worker ran discovers nothing.
     */
    private void discover(Connection d) {
        d.shared.write();
        if (d.detached) {
            d.discoveryDone = true;
            return;
        }
        RwSemaphore discoveryLock = device.discoveryLock();
        discoveryLock.downWrite();
        try {
            shared.read();
            d.shared.write();
            for (DrmFile file : List.copyOf(clients)) {
                if (d.detached) {
                    break;
                }
                if (file.pid() == d.target.pid()) {
                    discoverClient(d, file);
                }
            }
            d.discoveryDone = true;
        } finally {
            discoveryLock.upWrite();
        }
    }

    /** {@code discover_client}: the client, then its VMs, then its exec queues, each by ID. */
    private void discoverClient(Connection d, DrmFile file) {
        clientCreateEvent(d, file);
        for (GpuVm vm : file.ownVms()) {
            vmCreateEvent(d, file, vm);
        }
        for (ExecQueue q : file.ownQueues()) {
            execQueueEvent(d, q, Flag.CREATE);
        }
    }

    // ---- the hooks -----------------------------------------------------------------------------

    /**
     * {@code xe_eudebug_get}: the connection debugging the thread group that opened {@code file},
     * if it is attached and its discovery is done; otherwise null (discovery will report it).
     */
    private Connection connectionOf(DrmFile file) {
        shared.read();
        Connection d = byTarget.get(file.pid());
        if (d != null) {
            d.shared.read();
        }
        return d != null && !d.detached && d.discoveryDone ? d : null;
    }

    @Override
    public void fileOpen(DrmFile file) {
        shared.write();
        clients.add(file);
        Connection d = connectionOf(file);
        if (d != null) {
            clientCreateEvent(d, file);
        }
    }

    @Override
    public void fileClose(DrmFile file) {
        Connection d = connectionOf(file);
        if (d != null) {
            int client = d.resources.remove(Type.CLIENT, file);
            if (client != 0) {
                d.queueEvent(new XeEudebugEvent.Open(d.nextSeqno(), Flag.DESTROY, client));
            }
        }
        shared.write();
        clients.remove(file);
    }

    @Override
    public void vmCreate(GpuVm vm) {
        Connection d = connectionOf(vm.creator());
        if (d != null) {
            vmCreateEvent(d, vm.creator(), vm);
        }
    }

    @Override
    public void vmDestroy(GpuVm vm) {
        Connection d = connectionOf(vm.creator());
        int client = d == null ? 0 : d.resources.find(Type.CLIENT, vm.creator());
        if (client == 0) {
            return;
        }
        int handle = d.resources.remove(Type.VM, vm);
        if (handle != 0) {
            d.queueEvent(new XeEudebugEvent.Vm(d.nextSeqno(), Flag.DESTROY, client, handle));
        }
    }

    @Override
    public void execQueueCreate(ExecQueue queue) {
        Connection d = connectionOf(queue.creator());
        if (d != null) {
            execQueueEvent(d, queue, Flag.CREATE);
        }
    }

    @Override
    public void execQueueDestroy(ExecQueue queue) {
        Connection d = connectionOf(queue.creator());
        if (d != null) {
            execQueueEvent(d, queue, Flag.DESTROY);
        }
    }

    /**
     * {@code xe_eudebug_vm_bind_start}: the bind's VM_BIND takes its seqno now; it and its ops
     * wait on the VM until the bind ends.
     */
    @Override
    public void vmBindStart(GpuVm vm) {
        Connection d = connectionOf(vm.creator());
        if (d == null) {
            return;
        }
        int client = d.resources.find(Type.CLIENT, vm.creator());
        int handle = d.resources.find(Type.VM, vm);
        if (client != 0 && handle != 0) {
            shared.write();
            binds.put(vm, new PendingBind(d, d.nextSeqno(), client, handle, new ArrayList<>()));
        }
    }

    /** {@code xe_eudebug_vm_bind_op_add}: a map is a CREATE op, an unmap a DESTROY op. */
    @Override
    public void vmBindOpAdd(GpuVm vm, BindOp op, long addr, long range) {
        shared.write(); // the bind's list of ops grows
        PendingBind bind = binds.get(vm);
        if (bind == null || connectionOf(vm.creator()) != bind.connection) {
            return;
        }
        Flag flag = op == BindOp.UNMAP ? Flag.DESTROY : Flag.CREATE;
        bind.ops.add(new XeEudebugEvent.VmBindOp(bind.connection.nextSeqno(), flag, bind.seqno, bind.vm, addr, range));
    }

    /**
     * {@code xe_eudebug_vm_bind_end}: a bind that succeeded with at least one op sends VM_BIND
     * {num_binds} then its ops, in order; a failed one sends nothing (its seqnos stay unused).
     */
    @Override
    public void vmBindEnd(GpuVm vm, int err) {
        shared.write();
        PendingBind bind = binds.remove(vm);
        if (bind == null || err != 0 || bind.ops.isEmpty() || connectionOf(vm.creator()) != bind.connection) {
            return;
        }
        Connection d = bind.connection;
        d.queueEvent(new XeEudebugEvent.VmBind(bind.seqno, bind.client, bind.vm, bind.ops.size()));
        bind.ops.forEach(d::queueEvent);
    }

    /** The events of a bind in progress ({@code vm->eudebug.events} and {@code ref_seqno}). */
    private record PendingBind(Connection connection, long seqno, long client, long vm,
            List<XeEudebugEvent.VmBindOp> ops) {
    }

    // ---- events --------------------------------------------------------------------------------

    /** {@code client_create_event}: a new client handle, and its OPEN CREATE; nothing if it had one. */
    private static void clientCreateEvent(Connection d, DrmFile file) {
        int client = d.resources.add(Type.CLIENT, file);
        if (client != 0) {
            d.queueEvent(new XeEudebugEvent.Open(d.nextSeqno(), Flag.CREATE, client));
        }
    }

    /** {@code vm_create_event}: a new VM handle under the client's, and its VM CREATE. */
    private static void vmCreateEvent(Connection d, DrmFile file, GpuVm vm) {
        int client = d.resources.find(Type.CLIENT, file);
        if (client == 0) {
            return;
        }
        int handle = d.resources.add(Type.VM, vm);
        if (handle != 0) {
            d.queueEvent(new XeEudebugEvent.Vm(d.nextSeqno(), Flag.CREATE, client, handle));
        }
    }

    /**
     * {@code exec_queue_create_event} / {@code _destroy_event}: the queue's handle added or
     * removed, with its client's and VM's handles.
     */
    private static void execQueueEvent(Connection d, ExecQueue q, Flag flag) {
        int client = d.resources.find(Type.CLIENT, q.creator());
        int vm = d.resources.find(Type.VM, q.vm());
        if (client == 0 || vm == 0) {
            return;
        }
        int handle = flag == Flag.CREATE ? d.resources.add(Type.EXEC_QUEUE, q) : d.resources.remove(Type.EXEC_QUEUE, q);
        if (handle != 0) {
            d.queueEvent(new XeEudebugEvent.ExecQueue(d.nextSeqno(), flag, client, vm, handle));
        }
    }

    /**
     * One debugger connection ({@code struct xe_eudebug}): the file's private data and its
     * operations. Its release ({@code xe_eudebug_release}) detaches it from the device.
     */
    public final class Connection implements FileOperations {

        private final Task debugger;
        private final Task target;
        /** The events, the seqno and the flags; the resources report their own. */
        private final Shared shared = kernel.sim().shared("eudebug connection");
        private final XeEudebugResources resources = new XeEudebugResources(kernel.sim().shared("eudebug resources"));
        /** {@code d->events.fifo}, unbounded in the model. */
        private final ArrayDeque<XeEudebugEvent> events = new ArrayDeque<>();
        /** {@code d->events.write_done}: readers wait here for an event. */
        private final WaitQueue writeDone;
        /** {@code d->events.seqno}: the last seqno given. */
        private long seqno;
        /** {@code completion_done(&d->discovery)}. */
        private boolean discoveryDone;
        /** The connection status is no longer CONNECTED: the file was released. */
        private boolean detached;
        /** The debugger ptrace-attached the target with this connection ({@link #debugAttach}): its release detaches. */
        private boolean traced;

        @Override
        public String toString() {
            return "eudebug connection of " + debugger + " to " + target;
        }

        Connection(Task debugger, Task target) {
            this.debugger = debugger;
            this.target = target;
            this.writeDone = new WaitQueue(kernel.sim(), "xe_eudebug write_done ", target.name());
        }

        /** The debugging process: the principal of the accesses made through this connection. */
        public Task debugger() {
            return debugger;
        }

        public Task target() {
            return target;
        }

        /** The run's ptrace links, for the VM files of {@code debugger=ptrace}. */
        Ptrace ptrace() {
            return ptrace;
        }

        /** The connection's handles for the debuggee's objects ({@code d->res}). */
        XeEudebugResources resources() {
            return resources;
        }

        /**
         * Whether discovery has replayed the target's resources ({@code
         * completion_done(&d->discovery)}). Until then every ioctl of the connection but
         * READ_EVENT is -EBUSY ({@code xe_eudebug_ioctl}).
         */
        public boolean discoveryDone() {
            shared.read();
            return discoveryDone;
        }

        /** Whether the connection has ended ({@code xe_eudebug_detached}): its file was released. */
        public boolean detached() {
            shared.read();
            return detached;
        }

        /**
         * The VM the connection's VM handle {@code vmHandle} names, or null when no VM has that
         * handle: never given, or removed when the debuggee destroyed the VM (its DESTROY event
         * removes the handle), or a VM closed since.
         */
        public GpuVm findVm(long vmHandle) {
            GpuVm vm = resources.lookup(Type.VM, GpuVm.class, vmHandle);
            return vm == null || vm.isClosed() ? null : vm;
        }

        /**
         * The debuggee's drm file the connection's client handle {@code clientHandle} names, or
         * null when none has it (never given, or removed when the file was closed).
         */
        public DrmFile findClient(long clientHandle) {
            DrmFile file = resources.lookup(Type.CLIENT, DrmFile.class, clientHandle);
            return file == null || file.isReleased() ? null : file;
        }

        /**
         * {@code DRM_XE_EUDEBUG_IOCTL_READ_EVENT} on a blocking file ({@code
         * xe_eudebug_read_event}, with a valid READ header and a buffer large enough): the
         * oldest event, taken off the queue. It waits for one ({@code
         * wait_event_interruptible_timeout} on {@code write_done}, 5 s); when none came, -ENOENT,
         * or -ENOTCONN once the connection has ended. The model's timeout expires only when
         * nothing else can happen ({@link accelmm.sim.Simulation#scheduleTimeout}), that is when
         * no event can come any more. O_NONBLOCK (-EAGAIN), -EMSGSIZE and -EFAULT are not
         * modelled.
         */
        public ReadEvent readEvent() {
            kernel.sim().preemptionPoint("xe_eudebug read_event " + target.name());
            writeDone.waitEventTimeout(this::readable);
            shared.write();
            XeEudebugEvent event = events.poll();
            if (event != null) {
                return new ReadEvent(0, event);
            }
            return new ReadEvent(detached ? Errno.ENOTCONN.neg() : Errno.ENOENT.neg(), null);
        }

        /**
         * {@code DRM_XE_EUDEBUG_IOCTL_VM_OPEN} ({@code xe_eudebug_vm_open_ioctl}, EUD-08) of the VM
         * the connection's handle {@code vmHandle} names: the fd of a new {@code [xe_eudebug.vm]}
         * file in the debugger's table, installed with O_CLOEXEC and holding a VM reference; or
         * -EBUSY while discovery runs ({@code xe_eudebug_ioctl} lets only READ_EVENT through),
         * -ENOTCONN once the connection has ended, -EINVAL for a handle that names no VM.
         */
        public long vmOpen(long vmHandle) {
            shared.read();
            if (!discoveryDone) {
                return Errno.EBUSY.neg();
            }
            if (detached) {
                return Errno.ENOTCONN.neg();
            }
            GpuVm vm = findVm(vmHandle);
            if (vm == null) {
                return Errno.EINVAL.neg();
            }
            vm.get();
            EudebugVmFile vmFile = new EudebugVmFile(this, vmHandle, vm, kernel.designs().get(DebuggerDesign.class));
            File file = kernel.openFile(vmFile, true, true, vmFile);
            return debugger.installFile(file, true); // on failure it drops the file, and the file the VM reference
        }

        /** Whether a read of an event would not wait: one is queued, or the connection is gone. */
        private boolean readable() {
            shared.read();
            return detached || !events.isEmpty();
        }

        long nextSeqno() {
            shared.write();
            return ++seqno;
        }

        /** {@code xe_eudebug_queue_event}: appends and wakes the readers; dropped once detached. */
        void queueEvent(XeEudebugEvent event) {
            shared.write();
            if (detached) {
                return;
            }
            events.add(event);
            writeDone.wakeUpAll();
        }

        /** The events queued and not read yet, oldest first (for tests). */
        List<XeEudebugEvent> pendingEvents() {
            shared.read();
            return List.copyOf(events);
        }

        /**
         * {@code xe_eudebug_release}: the connection ends. Under {@code debugger=ptrace} the
         * debugger also detaches from the target ({@code PTRACE_DETACH}), which resumes it; when
         * the debugger has exited already, or another one traces the target now, there is
         * nothing left to detach (-ESRCH, ignored).
         */
        @Override
        public void release(File file) {
            shared.write();
            detached = true;
            XeEudebug.this.shared.write();
            byTarget.remove(target.pid(), this);
            writeDone.wakeUpAll();
            if (traced) {
                ptrace.detach(debugger, target);
            }
        }

        @Override
        public String name() {
            return "[xe_eudebug] " + device.name();
        }
    }

    /** What a READ_EVENT returns: 0 and the event, or a negative errno and no event. */
    public record ReadEvent(long ret, XeEudebugEvent event) {
    }
}
