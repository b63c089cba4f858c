package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Kernel;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import accelmm.sim.Simulation;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What steps on fences, reservation objects, dma-bufs and their attachments touch, as the
 * explorer observes it ({@link Simulation#observeFootprints}): operations on different objects
 * commute, operations on the same object where one changes it conflict.
 */
class DmaBufFootprintTest {

    private static final long PAGE = 4096;

    private final FootprintLog log = new FootprintLog();
    private final Simulation sim = new Simulation(log);
    private final Kernel kernel = new Kernel(sim, Designs.defaults());

    {
        sim.observeFootprints(true);
    }

    private record Device(String name) implements DmaDevice {
        @Override
        public boolean peerToPeer() {
            return true;
        }
    }

    private Footprint[] footprints(Runnable a, Runnable b) {
        return log.run(sim, () -> { }, a, b);
    }

    private static void assertCommute(Footprint[] steps) {
        assertThat(FootprintLog.conflicts(steps[0], steps[1])).isEmpty();
    }

    private static void assertConflict(Footprint[] steps) {
        assertThat(steps[0].conflictsWith(steps[1])).as("%s vs %s", steps[0], steps[1]).isTrue();
    }

    @Test
    void signal_andStatusOfAnotherFence_commute() {
        DmaFence one = new DmaFence(sim, "one");
        DmaFence other = new DmaFence(sim, "other");

        assertCommute(footprints(one::signal, other::status));
    }

    @Test
    void signal_andIsSignaledOfTheSameFence_conflict() {
        // dma_fence_signal sets DMA_FENCE_FLAG_SIGNALED_BIT, which dma_fence_is_signaled tests.
        DmaFence fence = new DmaFence(sim, "f");

        assertConflict(footprints(fence::signal, fence::isSignaled));
    }

    @Test
    void addFence_andTestOfAnotherResv_commute() {
        DmaResv one = new DmaResv(kernel, "one");
        DmaResv other = new DmaResv(kernel, "other");
        DmaFence fence = new DmaFence(sim, "f");

        assertCommute(footprints(() -> one.addFence(fence, DmaResv.Usage.WRITE),
                () -> other.testSignaled(DmaResv.Usage.BOOKKEEP)));
    }

    @Test
    void addFence_andTestOfTheSameResv_conflict() {
        // dma_resv_add_fence changes the fence list dma_resv_test_signaled walks.
        DmaResv resv = new DmaResv(kernel, "r");
        DmaFence fence = new DmaFence(sim, "f");

        assertConflict(footprints(() -> resv.addFence(fence, DmaResv.Usage.WRITE),
                () -> resv.testSignaled(DmaResv.Usage.BOOKKEEP)));
    }

    @Test
    void mapAttachment_ofTwoDmaBufs_commute() {
        DmaBufAttachment[] attach = {attached(), attached()};

        Consumer<DmaBufAttachment> map = a -> a.dmabuf().mapAttachmentUnlocked(a, DmaDataDirection.BIDIRECTIONAL);
        assertCommute(footprints(() -> map.accept(attach[0]), () -> map.accept(attach[1])));
    }

    @Test
    void revoke_andMapOfTheSameDmaBuf_conflict() {
        // dma_buf_revoke (as vfio's) marks the buffer revoked, which dma_buf_map_attachment
        // checks; the map counts on the attachment the revoke waits for.
        DmaBufAttachment attach = attached();
        DmaBuf buf = attach.dmabuf();

        Footprint[] steps = footprints(buf::revoke,
                () -> buf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL));

        assertConflict(steps);
    }

    @Test
    void detach_andIsDetachedOfTheAttachment_conflict() {
        DmaBufAttachment attach = attached();

        assertConflict(footprints(() -> attach.dmabuf().detach(attach), attach::isDetached));
    }

    /** A static attachment of a new one-page dma-buf with its own reservation object. */
    private DmaBufAttachment attached() {
        DmaBuf buf = DmaBuf.export(kernel, new TestExporter(kernel, 1, false), new DmaResv(kernel, "buf"), PAGE, true);
        return buf.attach(new Device("dev")).attachment();
    }
}
