package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine with one GPU ({@code gpu0}) for a DRM test, plus the calls tests make
 * over and over. Model code blocks (locks, fences), so a test body runs as an actor of the
 * simulation with {@link #run}; a failed assertion inside it is rethrown as it is.
 *
 * <p>Every device access is recorded; {@link #staleDeviceAccesses} keeps those made through a
 * reference to a frame that had been freed (and maybe reused) since the reference was taken.
 */
final class DrmFixture {

    static final int PAGE = PageFrame.PAGE_SIZE;
    static final int UID = 1000;

    final Simulation sim;
    final Kernel kernel;
    final DrmDevice gpu;
    final List<MemoryAccess> deviceAccesses = new ArrayList<>();
    /** Device accesses that were stale when they happened (staleness is judged at that moment). */
    final List<MemoryAccess> staleDeviceAccesses = new ArrayList<>();

    DrmFixture(UserptrDesign design) {
        this(design, new RandomChoiceSource(1), true);
    }

    DrmFixture(UserptrDesign design, ChoiceSource choices, boolean recordTrace) {
        this(Designs.of(design), choices, recordTrace);
    }

    /** A machine under {@code designs} (e.g. {@code Designs.of(TeardownDesign.REFCOUNT_ONLY)}). */
    DrmFixture(Designs designs) {
        this(designs, new RandomChoiceSource(1), true);
    }

    DrmFixture(Designs designs, ChoiceSource choices, boolean recordTrace) {
        sim = new Simulation(choices, recordTrace, 200_000);
        kernel = new Kernel(sim, designs);
        gpu = new DrmDevice(kernel, "gpu0");
        kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.DEVICE) {
                deviceAccesses.add(access);
                if (access.staleReference()) {
                    staleDeviceAccesses.add(access);
                }
            }
        });
    }

    Task process(String name) {
        return kernel.createProcess(name, UID);
    }

    /**
     * Runs {@code body} as the one user actor of the simulation; rethrows whatever made it fail.
     * The run must also keep every lock order acyclic.
     */
    void run(Runnable body) {
        sim.spawn("test", body);
        assertCompleted(sim.run());
        assertThat(sim.lockDep().violations()).as("lock order cycles").isEmpty();
    }

    /** Fails with the actor's own throwable when the run failed; otherwise the run must have completed. */
    static void assertCompleted(Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            Throwable cause = failed.cause();
            if (cause instanceof Error e) {
                throw e;
            }
            if (cause instanceof RuntimeException e) {
                throw e;
            }
            throw new AssertionError("actor " + failed.actor() + " failed", cause);
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    /** After every process exited: no frame allocated, no file open, nothing of the device alive. */
    void assertNothingLeft() {
        assertThat(gpu.liveObjects()).as("live objects of gpu0").isEmpty();
        assertThat(kernel.openFiles()).as("open files").isEmpty();
        assertThat(kernel.physicalMemory().allocatedCount()).as("allocated frames").isZero();
    }

    // ---- process side ------------------------------------------------------------------------

    /** Opens gpu0 in {@code task} and returns the DRM file behind the new fd. */
    DrmFile open(Task task) {
        int fd = gpu.open(task, false);
        assertThat(fd).as("open gpu0").isNotNegative();
        return file(task, fd);
    }

    static DrmFile file(Task task, int fd) {
        DrmFd lookup = DrmFd.lookup(task, fd);
        assertThat(lookup).isInstanceOf(DrmFd.Open.class);
        return ((DrmFd.Open) lookup).file();
    }

    static long mmapAnon(Task task, int pages) {
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(addr).as("mmap of %d anon pages", pages).isPositive();
        return addr;
    }

    static void write(Task task, long addr, String text) {
        assertThat(task.write(addr, bytes(text), null)).as("store at 0x%x", addr).isZero();
    }

    static String read(Task task, long addr, int length) {
        byte[] out = new byte[length];
        assertThat(task.read(addr, out)).as("load at 0x%x", addr).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first {@code length} bytes of {@code bo}'s page {@code index}, read as the kernel would. */
    String boContents(GemObject bo, int index, int length) {
        byte[] data = kernel.physicalMemory().read(Principal.KERNEL, MemoryAccess.Via.KERNEL, bo.pageRef(index), 0,
                length, "test");
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    // ---- device side -------------------------------------------------------------------------

    /** A new GEM object of {@code pages} pages, bound at {@code va} of {@code vm}; returns its handle. */
    static int boundBo(DrmFile f, int vm, long va, int pages) {
        int bo = f.gemCreate((long) pages * PAGE);
        assertThat(bo).as("gem_create").isPositive();
        assertThat(f.vmBindMap(vm, bo, 0, va, (long) pages * PAGE)).as("vm_bind map").isZero();
        return bo;
    }

    /** Submits {@code spec}, which must be queued, waits for it and returns its fence. */
    static DmaFence execAndWait(DrmFile f, int queue, JobSpec spec) {
        Submission s = f.exec(queue, spec);
        assertThat(s).as("exec").isInstanceOf(Submission.Queued.class);
        DmaFence fence = ((Submission.Queued) s).fence();
        fence.waitSignaled();
        return fence;
    }

    /** A CPU mapping of the whole object {@code handle} of {@code f}, opened as {@code fd} in {@code task}. */
    static long mmapBo(Task task, int fd, DrmFile f, int handle, int pages) {
        long offset = f.gemMmapOffset(handle);
        assertThat(offset).as("gem_mmap_offset").isPositive();
        long addr = task.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, true, false, fd, offset);
        assertThat(addr).as("mmap of bo %d", handle).isPositive();
        return addr;
    }
}
