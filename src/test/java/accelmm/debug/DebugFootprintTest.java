package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmDevice;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import accelmm.sim.PhaseFootprints;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Observed footprints of the debuggers' state. eudebug: reads of two connections' event queues
 * commute (each {@code xe_eudebug} has its own), the target's new client queues an event its
 * connection's read takes (EUD-07's hooks). ptrace: two checks of who traces whom commute, an
 * attach conflicts with them ({@code ptrace_attach} links the tracee, kernel/ptrace.c).
 */
class DebugFootprintTest {

    private static final Set<String> EUDEBUG = Set.of("xe eudebug", "eudebug connection", "eudebug resources");
    private static final Set<String> PTRACE = Set.of("ptrace");

    private static XeEudebug.Connection connect(XeEudebug eudebug, Task debugger, Task target) {
        long fd = eudebug.connect(debugger, false, target, true);
        assertThat(fd).isNotNegative();
        return (XeEudebug.Connection) debugger.fget((int) fd).privateData();
    }

    @Test
    void readEvent_ofTwoConnections_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.defaults());
        DrmDevice gpu = new DrmDevice(kernel, "gpu0");
        XeEudebug eudebug = new XeEudebug(gpu);
        for (String name : new String[] {"A", "B"}) {
            Task target = kernel.createProcess(name, 1000);
            Task debugger = kernel.createProcess("D" + name, 1000);
            rec.spawn(name, () -> {
                XeEudebug.Connection d = connect(eudebug, debugger, target);
                assertThat(gpu.open(target, false)).isNotNegative();
                rec.phase("read_event " + name, () -> assertThat(d.readEvent().event()).isNotNull());
            });
        }

        rec.run();

        Footprint a = rec.of("read_event A", EUDEBUG);
        assertThat(a.accesses()).as("the read takes an event of its connection").isNotEmpty();
        assertThat(a.conflictsWith(rec.of("read_event B", EUDEBUG))).isFalse();
    }

    /** EUD-07: the open's hook queues the client's CREATE event on the target's connection. */
    @Test
    void targetsOpen_andReadEventOfItsConnection_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.defaults());
        DrmDevice gpu = new DrmDevice(kernel, "gpu0");
        XeEudebug eudebug = new XeEudebug(gpu);
        Task target = kernel.createProcess("A", 1000);
        Task debugger = kernel.createProcess("D", 1000);
        rec.spawn("A", () -> {
            XeEudebug.Connection d = connect(eudebug, debugger, target);
            rec.phase("open", () -> assertThat(gpu.open(target, false)).isNotNegative());
            rec.phase("read_event", () -> assertThat(d.readEvent().event()).isNotNull());
        });

        rec.run();

        assertThat(rec.of("open", EUDEBUG).conflictsWith(rec.of("read_event", EUDEBUG))).isTrue();
    }

    @Test
    void stoppedChecks_commute_andAttachConflictsWithThem() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.defaults());
        Ptrace ptrace = new Ptrace(rec.sim(), () -> { });
        Task tracer = kernel.createProcess("T", 1000);
        Task tracee = tracer.fork("C");
        rec.spawn("T", () -> {
            rec.phase("stopped 1", () -> assertThat(ptrace.stopped(tracee)).isFalse());
            rec.phase("stopped 2", () -> assertThat(ptrace.stopped(tracee)).isFalse());
            rec.phase("attach", () -> assertThat(ptrace.attach(tracer, false, tracee, true)).isZero());
        });

        rec.run();

        assertThat(rec.of("stopped 1", PTRACE).accesses()).isNotEmpty();
        assertThat(rec.of("stopped 1", PTRACE).conflictsWith(rec.of("stopped 2", PTRACE))).isFalse();
        assertThat(rec.of("attach", PTRACE).conflictsWith(rec.of("stopped 1", PTRACE))).isTrue();
    }
}
