package accelmm.scenario;

import accelmm.check.ExpectationFailed;
import accelmm.debug.EudebugVmFile;
import accelmm.debug.XeEudebug;
import accelmm.debug.XeEudebugEvent;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The debugger statements: {@code debug_attach} connects through the eudebug interface of the
 * scenario's GPU, {@code debug_read_event} reads the connection's next event. The statements
 * name no device, so a scenario that uses them has exactly one {@code kind=gpu} device ({@link
 * ModelCoverage} refuses any other at load time). Only such a scenario makes its GPU
 * debuggable (the driver's hooks and discovery lock); every other keeps its schedules.
 */
final class DebugStatements {

    private final World world;
    /** The GPU's debugger, or null when the scenario uses no debugger statement. */
    private final XeEudebug eudebug;

    /** {@code usesDebugger}: what {@link #usesDebugger(Scenario)} says of the world's scenario. */
    DebugStatements(World world, boolean usesDebugger) {
        this.world = world;
        this.eudebug = usesDebugger ? debuggableGpu(world) : null;
    }

    private static XeEudebug debuggableGpu(World world) {
        var gpus = world.scenario.devices().stream().filter(d -> d.kind() == Device.Kind.GPU).toList();
        return gpus.size() == 1 ? new XeEudebug(world.devices.gpu(gpus.get(0).name()), world.ptrace) : null;
    }

    /** The statements that need a debuggable GPU. */
    private static final Set<Operation> DEBUGGER_OPERATIONS = EnumSet.of(Operation.DEBUG_ATTACH,
            Operation.DEBUG_READ_EVENT, Operation.DEBUG_VM_OPEN, Operation.DEBUG_VM_READ, Operation.DEBUG_VM_WRITE);

    /** Whether {@code scenario} has a debugger statement (worked out once per scenario model). */
    static boolean usesDebugger(Scenario scenario) {
        return scenario.threads().stream().flatMap(t -> t.body().stream())
                .anyMatch(st -> st instanceof Statement.Call c && DEBUGGER_OPERATIONS.contains(c.operation()));
    }

    /**
     * {@code DBG = debug_attach PROC} on behalf of {@code self}: the connection's fd. The target
     * is looked up by its pid as the statement runs: a process forked later is waited for; one
     * that has been reaped ({@link ProcessState#reaped}) is gone, so the lookup fails with ENOENT;
     * a zombie still resolves, and the connect goes on (xe_eudebug_attach pins the task, not its
     * address space). Under {@code debugger=ptrace} the attach is ptrace's first ({@link
     * XeEudebug#debugAttach}): the target's capabilities must be within the debugger's, or the
     * debugger holds CAP_SYS_PTRACE.
     */
    long attach(ProcessState self, String target) {
        world.changes.await(() -> "process " + target + " to exist", () -> world.process(target) != null,
                Topic.exists(target));
        ProcessState t = world.process(target);
        if (t.isKernel()) {
            throw new IllegalStateException("debug_attach of the kernel; the load checks refuse it as an unknown process");
        }
        return debugger().debugAttach(self.task, self.caps.contains(ProcessDecl.Capability.SYS_PTRACE),
                t.reaped() ? null : t.task, self.caps.containsAll(t.caps));
    }

    /**
     * {@code E = debug_read_event DBG}: the READ_EVENT ioctl on fd {@code fd} of {@code self}
     * ({@code vfs_ioctl}: EBADF when not open, ENOTTY for a file that is no connection, EINVAL for a
     * uacce queue's, {@link Devices#unknownIoctl}). The
     * event's fields are {@code type}, {@code flags} and {@code seqno}, and those of its body
     * ({@link #fields}); no event within the timeout is ENOENT, an ended connection ENOTCONN.
     */
    ThreadInterpreter.Result readEvent(ProcessState self, int fd) {
        debugger();
        XeEudebug.ReadEvent[] read = new XeEudebug.ReadEvent[1];
        long ret = Devices.vfsIoctl(self.task, fd,
                f -> f.privateData() instanceof XeEudebug.Connection c ? c : null,
                c -> {
                    read[0] = c.readEvent();
                    return read[0].ret();
                });
        if (ret < 0) {
            return ThreadInterpreter.Result.of(ret);
        }
        return new ThreadInterpreter.Result(0, fields(read[0].event()));
    }

    /**
     * {@code V = debug_vm_open DBG vm=VALUE}: the VM_OPEN ioctl on connection fd {@code fd} of
     * {@code self} for the connection's VM handle {@code vmHandle} ({@link
     * XeEudebug.Connection#vmOpen}): the fd of the new {@code [xe_eudebug.vm]} file.
     */
    long vmOpen(ProcessState self, int fd, long vmHandle) {
        return Devices.vfsIoctl(self.task, fd,
                f -> f.privateData() instanceof XeEudebug.Connection c ? c : null, c -> c.vmOpen(vmHandle));
    }

    /**
     * {@code X = debug_vm_read V va=ADDR size=VALUE}: {@code pread} of {@code size} bytes at GPU
     * VA {@code va} on fd {@code fd} of {@code self}. X is bound as {@code read} binds: the bytes
     * read (fewer when the read stopped short), none on an error. A size is a number the scenario
     * may take from an event ({@code size=op.size}); one larger than the 64M a statement moves at
     * once is the scenario's mistake, an expectation failure, as a misused name is.
     */
    ThreadInterpreter.Result vmRead(ProcessState self, int fd, long va, long size) {
        if (size < 0 || size > Values.MAX_BYTES) {
            throw new ExpectationFailed("debug_vm_read size " + size + " is more than the 64M bytes one statement"
                    + " reads at once; read a large range in pieces");
        }
        byte[] out = new byte[(int) size];
        long ret = EudebugVmFile.pread(self.task, fd, va, out);
        return new ThreadInterpreter.Result(ret, new Bound.Bytes(ret > 0 ? Arrays.copyOf(out, (int) ret) : new byte[0]));
    }

    /** {@code debug_vm_write V va=ADDR data=DATA}: {@code pwrite} of the bytes (with their secret labels). */
    long vmWrite(ProcessState self, int fd, long va, Evaluator.DataBytes data) {
        return EudebugVmFile.pwrite(self.task, fd, va, data.bytes(), data.labels());
    }

    /**
     * The fields of an event: {@code type} (open, vm, exec_queue, vm_bind, vm_bind_op), {@code
     * flags} (create, destroy, state_change), {@code seqno}; {@code client} and {@code vm} where
     * the event names them; {@code handle} for the object an open, vm or exec_queue event is
     * about; {@code binds} of a vm_bind; {@code va}, {@code size} and {@code bind} (its vm_bind's
     * seqno) of a vm_bind_op.
     */
    static Bound.Fields fields(XeEudebugEvent event) {
        Map<String, Bound> f = new LinkedHashMap<>();
        f.put("type", new Bound.Word(event.type().word()));
        f.put("flags", new Bound.Word(event.flags().word()));
        f.put("seqno", new Bound.Num(event.seqno()));
        switch (event) {
            case XeEudebugEvent.Open e -> {
                f.put("client", new Bound.Num(e.client()));
                f.put("handle", new Bound.Num(e.client()));
            }
            case XeEudebugEvent.Vm e -> {
                f.put("client", new Bound.Num(e.client()));
                f.put("vm", new Bound.Num(e.vm()));
                f.put("handle", new Bound.Num(e.vm()));
            }
            case XeEudebugEvent.ExecQueue e -> {
                f.put("client", new Bound.Num(e.client()));
                f.put("vm", new Bound.Num(e.vm()));
                f.put("handle", new Bound.Num(e.queue()));
            }
            case XeEudebugEvent.VmBind e -> {
                f.put("client", new Bound.Num(e.client()));
                f.put("vm", new Bound.Num(e.vm()));
                f.put("binds", new Bound.Num(e.numBinds()));
            }
            case XeEudebugEvent.VmBindOp e -> {
                f.put("vm", new Bound.Num(e.vm()));
                f.put("va", new Bound.Num(e.addr()));
                f.put("size", new Bound.Num(e.range()));
                f.put("bind", new Bound.Num(e.bindSeqno()));
            }
        }
        return new Bound.Fields("a " + event.type().word() + " event", f);
    }

    /** Every field some event has, for the load checks. */
    static final Set<String> EVENT_FIELDS =
            Set.of("type", "flags", "seqno", "client", "vm", "handle", "binds", "va", "size", "bind");

    private XeEudebug debugger() {
        if (eudebug == null) {
            throw new IllegalStateException("a debugger statement ran without a single gpu device; the load checks refuse that");
        }
        return eudebug;
    }
}
