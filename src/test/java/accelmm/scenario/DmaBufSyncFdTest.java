package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.accel.HlDevice;
import accelmm.drm.DrmDevice;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.rdma.IbDevice;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code ioctl DB dma_buf_sync} on an fd that is no dma-buf: the number goes to that file's own
 * handler ({@code vfs_ioctl}), so what it returns is that file's answer, not the dma-buf core's.
 */
class DmaBufSyncFdTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(1));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final Task task = kernel.createProcess("A", 1000);

    private long inActor(LongSupplier call) {
        List<Long> ret = new ArrayList<>();
        sim.spawn("t", () -> ret.add(call.getAsLong()));
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        return ret.getFirst();
    }

    @Test
    void dmaBufSync_fdNotOpen_ebadf() {
        assertThat(Devices.dmaBufSync(task, 7, "start", "read")).isEqualTo(Errno.EBADF.neg());
    }

    @Test
    void dmaBufSync_fileWithoutIoctl_enotty() {
        File plain = kernel.openFile(new FileOperations() {
            @Override
            public void release(File file) {
            }

            @Override
            public String name() {
                return "plain file";
            }
        }, true, true, "plain");
        int fd = task.installFile(plain, false);

        assertThat(Devices.dmaBufSync(task, fd, "start", "rw")).as("vfs_ioctl: no unlocked_ioctl")
                .isEqualTo(Errno.ENOTTY.neg());
    }

    /**
     * drm_ioctl refuses a number whose type is not DRM's before it decodes the number (Linux 5.14,
     * commit 3abab27c322e "drm: Return -ENOTTY for non-drm ioctls"): DMA_BUF_IOCTL_SYNC is of type
     * 'b', so it never reaches DRM_IOCTL_VERSION, whose number it shares.
     */
    @Test
    void dmaBufSync_gpuRenderNode_enotty() {
        DrmDevice gpu = new DrmDevice(kernel, "gpu0");

        long ret = inActor(() -> Devices.dmaBufSync(task, gpu.open(task, false), "start", "read"));

        assertThat(ret).as("drm_ioctl: type 'b' is not DRM_IOCTL_BASE").isEqualTo(Errno.ENOTTY.neg());
    }

    /** The accelerator's file is a DRM accel node, its ioctl drm_ioctl too: the same ENOTTY. */
    @Test
    void dmaBufSync_accelNode_enotty() {
        HlDevice acc = new HlDevice(kernel, "acc0", 1 << 20, true);

        long ret = inActor(() -> Devices.dmaBufSync(task, acc.open(task, false), "start", "read"));

        assertThat(ret).as("drm_ioctl on an accel node: type 'b' is not DRM_IOCTL_BASE")
                .isEqualTo(Errno.ENOTTY.neg());
    }

    /** ib_uverbs_ioctl knows RDMA_VERBS_IOCTL only; vfs_ioctl turns its ENOIOCTLCMD into ENOTTY. */
    @Test
    void dmaBufSync_uverbsFile_enotty() {
        IbDevice nic = new IbDevice(kernel, "nic0", true);

        long ret = inActor(() -> Devices.dmaBufSync(task, nic.open(task, false), "end", "rw"));

        assertThat(ret).isEqualTo(Errno.ENOTTY.neg());
    }
}
