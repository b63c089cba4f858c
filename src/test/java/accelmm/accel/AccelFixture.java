package accelmm.accel;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.DesignValue;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;

/**
 * One simulated machine with one exclusive accelerator ({@code acc0}, 1M of device memory,
 * peer-to-peer capable) for an accel test. A test body that may reach a preemption point runs
 * as the one actor of the simulation ({@link #run}).
 */
final class AccelFixture {

    static final int PAGE = PageFrame.PAGE_SIZE;

    final Simulation sim = new Simulation(new RandomChoiceSource(1), true, 100_000);
    final Kernel kernel;
    final HlDevice acc;

    AccelFixture(DesignValue... designs) {
        kernel = new Kernel(sim, Designs.of(designs));
        acc = new HlDevice(kernel, "acc0", 1L << 20, true);
    }

    Task process(String name) {
        return kernel.createProcess(name, 1000);
    }

    /** Runs {@code body} as the one actor; rethrows what made it fail. */
    void run(Runnable body) {
        sim.spawn("test", body);
        Outcome outcome = sim.run();
        if (outcome instanceof Outcome.Failed failed && failed.cause() instanceof RuntimeException e) {
            throw e;
        }
        if (outcome instanceof Outcome.Failed failed && failed.cause() instanceof Error e) {
            throw e;
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    /** Opens acc0 in {@code task}: the new fd, which must succeed. */
    int open(Task task) {
        int fd = acc.open(task, false);
        assertThat(fd).as("open acc0").isNotNegative();
        return fd;
    }

    static HlFpriv fpriv(Task task, int fd) {
        return (HlFpriv) task.files().lookup(fd).privateData();
    }

    /** Allocates {@code pages} pages through {@code fd}: the handle, which must succeed. */
    static long alloc(Task task, int fd, int pages) {
        long handle = fpriv(task, fd).memAlloc((long) pages * PAGE);
        assertThat(handle).as("mem_alloc").isPositive();
        return handle;
    }

    /** Exports the memory {@code handle} names: the dma-buf's fd, which must succeed. */
    static int export(Task task, int fd, long handle) {
        int dbFd = fpriv(task, fd).memExport(task, handle, true);
        assertThat(dbFd).as("mem_export").isNotNegative();
        return dbFd;
    }

    static DmaBuf dmabuf(Task task, int dbFd) {
        return DmaBuf.ofFile(task.files().lookup(dbFd));
    }

    /** After everything was closed: nothing of the device, no file, no frame left. */
    void assertNothingLeft() {
        assertThat(acc.liveObjects()).as("live objects of acc0").isEmpty();
        assertThat(kernel.openFiles()).as("open files").isEmpty();
        assertThat(kernel.physicalMemory().allocatedCount()).as("allocated frames").isZero();
    }
}
