package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;

/**
 * One machine with one GPU ({@code gpu0}) and its EU debugger for a debug test. Model code
 * blocks, so test bodies run as actors of the simulation ({@link #run}).
 */
final class EudebugFixture {

    static final int UID = 1000;

    final Simulation sim = new Simulation(new RandomChoiceSource(1), true, 200_000);
    final Kernel kernel = new Kernel(sim, Designs.defaults());
    final DrmDevice gpu = new DrmDevice(kernel, "gpu0");
    final XeEudebug eudebug = new XeEudebug(gpu);

    Task process(String name) {
        return kernel.createProcess(name, UID);
    }

    /** Opens gpu0 in {@code task} and returns the DRM file behind the new fd. */
    DrmFile open(Task task) {
        int fd = gpu.open(task, false);
        assertThat(fd).as("open gpu0").isNotNegative();
        return ((DrmFd.Open) DrmFd.lookup(task, fd)).file();
    }

    /** Runs {@code body} as the one actor of the simulation; rethrows what made it fail. */
    void run(Runnable body) {
        sim.spawn("test", body);
        assertCompleted(sim.run());
    }

    static void assertCompleted(Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            if (failed.cause() instanceof Error e) {
                throw e;
            }
            if (failed.cause() instanceof RuntimeException e) {
                throw e;
            }
            throw new AssertionError("actor " + failed.actor() + " failed", failed.cause());
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }
}
