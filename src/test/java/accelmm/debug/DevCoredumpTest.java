package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.drm.JobSpec;
import accelmm.drm.Submission;
import accelmm.drm.VmSnapshot;
import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code xe_devcoredump} of one device: when it dumps (DCD-01, DCD-02) and its two phases (DCD-04). */
class DevCoredumpTest {

    private static final int PAGE = PageFrame.PAGE_SIZE;
    private static final long UVA = 0x100000;
    private static final long BVA = 0x200000;

    private final Simulation sim = new Simulation(new RandomChoiceSource(1), true, 200_000);
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final DrmDevice gpu = new DrmDevice(kernel, "gpu0");
    private final Task a = kernel.createProcess("A", 1000);

    /** A file with a VM: a dumpable userptr page holding "user" and a dumpable object page. */
    private record Setup(DrmFile file, int vm, long cpu) {
    }

    private Setup setup() {
        int fd = gpu.open(a, false);
        DrmFile f = ((DrmFd.Open) DrmFd.lookup(a, fd)).file();
        int vm = f.vmCreate();
        long p = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(a.write(p, "user".getBytes(StandardCharsets.ISO_8859_1), null)).isZero();
        assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE, true)).isZero();
        assertThat(f.vmBindMap(vm, f.gemCreate(PAGE), 0, BVA, PAGE, true)).isZero();
        return new Setup(f, vm, p);
    }

    private void execAndWait(Setup s) {
        int q = s.file().execQueueCreate(a, s.vm());
        Submission sub = s.file().exec(q, new JobSpec.Copy(UVA, BVA, PAGE));
        assertThat(sub).isInstanceOf(Submission.Queued.class);
        ((Submission.Queued) sub).fence().waitSignaled();
    }

    private void run(Runnable body) {
        sim.spawn("test", body);
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void dcd01_noQueueWithAJob_takesNoDump() {
        run(() -> {
            Setup s = setup();
            s.file().execQueueCreate(a, s.vm());
            DevCoredump dump = new DevCoredump(gpu, CoredumpDesign.INCLUDE_USERPTR);

            assertThat(dump.jobTimedOut()).isFalse();
            assertThat(dump.captured()).isFalse();
            assertThat(dump.read()).isNull();
        });
    }

    @Test
    void dcd02_secondHangWhileADumpIsThere_isIgnoredUntilDeleted() {
        run(() -> {
            Setup s = setup();
            execAndWait(s);
            DevCoredump dump = new DevCoredump(gpu, CoredumpDesign.INCLUDE_USERPTR);

            assertThat(dump.jobTimedOut()).isTrue();
            VmSnapshot first = dump.read();
            assertThat(dump.jobTimedOut()).as("only the first snapshot is taken").isFalse();
            assertThat(dump.read()).isSameAs(first);
            dump.delete();
            assertThat(dump.captured()).isFalse();
            assertThat(dump.jobTimedOut()).as("after the node is freed").isTrue();
        });
    }

    @Test
    void dcd04_contentsAreReadByAWorker_andReadWaitsForIt() {
        run(() -> {
            Setup s = setup();
            execAndWait(s);
            DevCoredump dump = new DevCoredump(gpu, CoredumpDesign.INCLUDE_USERPTR);

            assertThat(dump.jobTimedOut()).isTrue();
            assertThat(a.write(s.cpu(), "late".getBytes(StandardCharsets.ISO_8859_1), null)).isZero();
            VmSnapshot snap = dump.read(); // flushes the worker

            assertThat(snap.entries()).extracting(VmSnapshot.Entry::va).containsExactly(UVA, BVA);
            assertThat(new String(snap.entries().get(0).data(), 0, 4, StandardCharsets.ISO_8859_1))
                    .as("the worker ran after the store: it copies what the process maps then")
                    .isEqualTo("late");
        });
        assertThat(sim.actors()).extracting(actor -> actor.name()).contains("gpu0 devcoredump worker");
    }

    /**
     * DCD-09: xe_vm_snapshot_capture_delayed records ERR_PTR(-ENOMEM) for an entry whose
     * kvmalloc(len) fails (the kernel refuses more than INT_MAX; the model stops at a lower
     * bound); the other entries are still read.
     */
    @Test
    void dcd09_entryTooLargeForKvmalloc_recordsEnomem() {
        long big = 4L << 30;
        long bigVa = 1L << 32;
        run(() -> {
            Setup s = setup();
            assertThat(s.file().vmBindMap(s.vm(), s.file().gemCreate(big), 0, bigVa, big, true)).isZero();
            execAndWait(s);
            DevCoredump dump = new DevCoredump(gpu, CoredumpDesign.INCLUDE_USERPTR);

            assertThat(dump.jobTimedOut()).isTrue();
            VmSnapshot snap = dump.read();

            assertThat(snap.entries()).extracting(VmSnapshot.Entry::va).containsExactly(UVA, BVA, bigVa);
            VmSnapshot.Entry entry = snap.entries().get(2);
            assertThat(entry.length()).isEqualTo(big);
            assertThat(entry.error()).isEqualTo(Errno.ENOMEM.neg());
            assertThat(entry.data()).isNull();
            assertThat(snap.entries().get(1).data()).hasSize(PAGE);
        });
    }
}
