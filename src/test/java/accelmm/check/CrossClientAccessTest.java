package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.drm.GemObject;
import accelmm.drm.HandlesDesign;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/** {@code cross-client-access}: judged on every ioctl lookup, ending the run at the first one that offends. */
class CrossClientAccessTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(1));
    private final Kernel kernel = new Kernel(sim, Designs.of(HandlesDesign.DEVICE_GLOBAL));
    private final DrmDevice gpu = new DrmDevice(kernel, "gpu0");
    private final Task a = kernel.createProcess("A", 1000);
    private final Task b = kernel.createProcess("B", 1000);

    private DrmFile open(Task task) {
        return ((DrmFd.Open) DrmFd.lookup(task, gpu.open(task, false))).file();
    }

    @Test
    void check_objectTheCallerObtained_isNothing() {
        sim.spawn("t", () -> {
            DrmFile fa = open(a);
            GemObject obj = fa.object(fa.gemCreate(4096));

            assertThat(new CrossClientAccess().check(fa, obj, true, "gem_close")).isNull();
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void check_objectTheCallerNeverObtained_namesCallerObjectAndOwner() {
        sim.spawn("t", () -> {
            DrmFile fa = open(a);
            DrmFile fb = open(b);
            GemObject obj = fa.object(fa.gemCreate(16384));

            String problem = new CrossClientAccess().check(fb, obj, false, "gem_close");

            assertThat(problem).isEqualTo("ioctl gem_close on gpu0 file 2 (opened by B) acted on gem object 1 (16K) "
                    + "of gpu0 file 1 (opened by A), which the caller never obtained");
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void onLookup_guessedHandleOfAnotherFile_throwsBeforeTheIoctlActs() {
        gpu.addLookupObserver(new LookupChecks(sim));
        GemObject[] obj = new GemObject[1];
        sim.spawn("B.main", () -> {
            DrmFile fa = open(a);
            DrmFile fb = open(b);
            obj[0] = fa.object(fa.gemCreate(4096));

            fb.gemClose(1);
        });

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        Violation v = RunVerdicts.judge(sim, kernel, outcome, gpu.liveObjects());
        assertThat(v.invariant()).isEqualTo(InvariantKind.CROSS_CLIENT_ACCESS);
        assertThat(v.actor()).isEqualTo("B.main");
        assertThat(v.message()).startsWith("ioctl gem_close on gpu0 file 2 (opened by B) acted on gem object 1");
        assertThat(v.details()).containsExactly(entry("ioctl", "gem_close"), entry("file", "gpu0 file 2"),
                entry("openedBy", "B"), entry("object", "gem object 1 (4K)"), entry("creatorFile", "gpu0 file 1"),
                entry("creatorOpenedBy", "A"));
        assertThat(obj[0].isFreed()).as("the close never happened").isFalse();
    }

    @Test
    void onLookup_ownObjects_throwNothing() {
        gpu.addLookupObserver(new LookupChecks(sim));
        sim.spawn("A.main", () -> {
            DrmFile fa = open(a);
            open(b).gemCreate(4096);
            int bo = fa.gemCreate(4096);

            assertThat(fa.gemMmapOffset(bo)).isPositive();
            assertThat(fa.gemClose(bo)).isZero();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void kind_scenarioName_isCrossClientAccess() {
        assertThat(new CrossClientAccess().kind()).isEqualTo(InvariantKind.CROSS_CLIENT_ACCESS);
        assertThat(InvariantKind.CROSS_CLIENT_ACCESS.scenarioName()).isEqualTo("cross-client-access");
        assertThatThrownBy(() -> {
            throw new InvariantBroken(new Violation(InvariantKind.CROSS_CLIENT_ACCESS, 3, "B.main", "x"));
        }).hasMessage("cross-client-access at step 3 (B.main): x");
    }
}
