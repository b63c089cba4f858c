package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.debug.XeEudebugEvent.Flag;
import accelmm.drm.DrmFile;
import accelmm.drm.GpuVm;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The eudebug event stream (EUD-04), READ_EVENT (EUD-06) and discovery (EUD-07), after
 * xe_eudebug.c of the eudebug series ("Introduce eudebug support", "Introduce discovery for
 * resources", "Introduce exec_queue events", "Add vm bind and vm bind ops").
 */
class XeEudebugEventsTest {

    private static final long VA = 0x100000;
    private static final long SIZE = 0x2000;

    private final EudebugFixture fx = new EudebugFixture();
    private final Task target = fx.process("A");
    private final Task debugger = fx.process("D");

    private XeEudebug.Connection connect() {
        long fd = fx.eudebug.connect(debugger, false, target, true);
        assertThat(fd).isNotNegative();
        return (XeEudebug.Connection) debugger.fget((int) fd).privateData();
    }

    /** Reads until a read fails; returns the events read and, last, the failing errno. */
    private static List<Object> drain(XeEudebug.Connection d) {
        List<Object> out = new ArrayList<>();
        while (true) {
            XeEudebug.ReadEvent r = d.readEvent();
            if (r.event() == null) {
                out.add(Errno.ofReturn(r.ret()));
                return out;
            }
            out.add(r.event());
        }
    }

    /** EUD-07: discovery replays the target's existing client and VM as CREATE events, handles from 1. */
    @Test
    void eud07_connect_existingFileAndVm_discoveryGivesOpenThenVm() {
        List<Object> read = new ArrayList<>();
        fx.run(() -> {
            DrmFile file = fx.open(target);
            file.vmCreate();
            read.addAll(drain(connect()));
        });

        assertThat(read).containsExactly(
                new XeEudebugEvent.Open(1, Flag.CREATE, 1),
                new XeEudebugEvent.Vm(2, Flag.CREATE, 1, 1),
                Errno.ENOENT);
    }

    /** EUD-07: another process's files are not the target's: discovery and the hooks skip them. */
    @Test
    void eud07_connect_otherProcessFile_noEvent() {
        Task other = fx.process("B");
        List<Object> read = new ArrayList<>();
        fx.run(() -> {
            fx.open(other).vmCreate();
            XeEudebug.Connection d = connect();
            fx.open(other).vmCreate();
            read.addAll(drain(d));
        });

        assertThat(read).containsExactly(Errno.ENOENT);
    }

    /**
     * EUD-04: after discovery the debuggee's own calls give events: a bind gives VM_BIND
     * {num_binds} (seqno taken at its start) then its op with va and size; a VM destroy gives VM
     * DESTROY and removes the handle.
     */
    @Test
    void eud04_bindAndDestroy_vmBindThenOpThenVmDestroy() {
        List<Object> read = new ArrayList<>();
        GpuVm[] vm = new GpuVm[1];
        XeEudebug.Connection[] conn = new XeEudebug.Connection[1];
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int vmId = file.vmCreate();
            vm[0] = file.vm(vmId);
            conn[0] = connect();
            drain(conn[0]);
            int bo = file.gemCreate(SIZE);
            assertThat(file.vmBindMap(vmId, bo, 0, VA, SIZE)).isZero();
            assertThat(conn[0].findVm(1)).isSameAs(vm[0]);
            assertThat(file.vmDestroy(vmId)).isZero();
            read.addAll(drain(conn[0]));
        });

        assertThat(read).containsExactly(
                new XeEudebugEvent.VmBind(3, 1, 1, 1),
                new XeEudebugEvent.VmBindOp(4, Flag.CREATE, 3, 1, VA, SIZE),
                new XeEudebugEvent.Vm(5, Flag.DESTROY, 1, 1),
                Errno.ENOENT);
        assertThat(conn[0].findVm(1)).isNull();
    }

    /** EUD-04: a bind that fails (an unknown object) sends nothing. */
    @Test
    void eud04_failedBind_noEvent() {
        List<Object> read = new ArrayList<>();
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int vmId = file.vmCreate();
            XeEudebug.Connection d = connect();
            drain(d);
            assertThat(file.vmBindMap(vmId, 99, 0, VA, SIZE)).isEqualTo(Errno.ENOENT.neg());
            read.addAll(drain(d));
        });

        assertThat(read).containsExactly(Errno.ENOENT);
    }

    /** EUD-04: exec queues are discovered and reported with their client's and VM's handles. */
    @Test
    void eud04_execQueueCreateDestroy_events() {
        List<Object> read = new ArrayList<>();
        fx.run(() -> {
            DrmFile file = fx.open(target);
            int vmId = file.vmCreate();
            file.execQueueCreate(target, vmId);
            XeEudebug.Connection d = connect();
            int q2 = file.execQueueCreate(target, vmId);
            file.execQueueDestroy(q2);
            read.addAll(drain(d));
        });

        assertThat(read).containsExactly(
                new XeEudebugEvent.Open(1, Flag.CREATE, 1),
                new XeEudebugEvent.Vm(2, Flag.CREATE, 1, 1),
                new XeEudebugEvent.ExecQueue(3, Flag.CREATE, 1, 1, 1),
                new XeEudebugEvent.ExecQueue(4, Flag.CREATE, 1, 1, 2),
                new XeEudebugEvent.ExecQueue(5, Flag.DESTROY, 1, 1, 2),
                Errno.ENOENT);
    }

    /**
     * EUD-07: a VM created while discovery runs waits for the discovery lock, and is reported once,
     * after the replay: nothing lost, nothing twice. Also: connection ioctls other than READ_EVENT
     * are refused until discovery is done.
     */
    @Test
    void eud07_vmCreateDuringDiscovery_reportedOnceAfterReplay() {
        List<Object> read = new ArrayList<>();
        boolean[] doneAtConnect = new boolean[1];
        fx.run(() -> {
            DrmFile file = fx.open(target);
            file.vmCreate();
            XeEudebug.Connection d = connect();
            doneAtConnect[0] = d.discoveryDone();
            // The worker has not run yet: this VM create takes the lock first, and is not reported
            // by its hook; discovery finds it.
            file.vmCreate();
            read.addAll(drain(d));
        });

        assertThat(doneAtConnect[0]).isFalse();
        assertThat(read).containsExactly(
                new XeEudebugEvent.Open(1, Flag.CREATE, 1),
                new XeEudebugEvent.Vm(2, Flag.CREATE, 1, 1),
                new XeEudebugEvent.Vm(3, Flag.CREATE, 1, 2),
                Errno.ENOENT);
    }

    /** EUD-07: during discovery the device's VM create waits on the discovery lock held for writing. */
    @Test
    void eud07_discoveryHoldsLock_otherClientsVmCreateWaits() {
        Task other = fx.process("B");
        List<String> order = new ArrayList<>();
        fx.run(() -> {
            DrmFile mine = fx.open(target);
            DrmFile theirs = fx.open(other);
            XeEudebug.Connection d = connect();
            fx.sim.spawn("B", () -> {
                order.add("B vm_create " + (d.discoveryDone() ? "after" : "before") + " discovery");
                theirs.vmCreate();
                order.add("B vm_create returned, discovery done: " + d.discoveryDone());
            });
            drain(d);
            mine.vmCreate();
        });

        assertThat(order).last().isEqualTo("B vm_create returned, discovery done: true");
    }

    /** EUD-06: a read on a connection whose file was released is -ENOTCONN (xe_eudebug_detached). */
    @Test
    void eud06_readEvent_detached_enotconn() {
        long[] ret = new long[1];
        fx.run(() -> {
            XeEudebug.Connection d = connect();
            drain(d);
            d.release(null);
            ret[0] = d.readEvent().ret();
        });

        assertThat(ret[0]).isEqualTo(Errno.ENOTCONN.neg());
    }

    /** EUD-06: a blocked read is woken by the debuggee's event, not by a timeout. */
    @Test
    void eud06_readEvent_blockedUntilDebuggeeOpens_getsOpen() {
        List<Object> read = new ArrayList<>();
        fx.run(() -> {
            XeEudebug.Connection d = connect();
            fx.sim.spawn("A", () -> fx.open(target));
            read.add(d.readEvent().event());
        });

        assertThat(read).containsExactly(new XeEudebugEvent.Open(1, Flag.CREATE, 1));
    }
}
