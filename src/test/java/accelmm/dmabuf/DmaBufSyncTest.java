package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code DMA_BUF_IOCTL_SYNC} (drivers/dma-buf/dma-buf.c {@code dma_buf_ioctl}, {@code
 * dma_buf_begin_cpu_access}, {@code dma_buf_end_cpu_access}; KERNEL-SEMANTICS §13.5): the flag
 * rules (PM-11), the exporter's callbacks with the direction, and START's wait for the buffer's
 * implicit-sync fences (PV-6).
 */
class DmaBufSyncTest {

    private static final long PAGE = 4096;

    private final Simulation sim = new Simulation(new RandomChoiceSource(5));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final DmaResv resv = new DmaResv();
    private final Exporter exporter = new Exporter();
    private final DmaBuf buf = DmaBuf.export(kernel, exporter, resv, PAGE, true);

    /** An exporter that records its CPU-access callbacks. */
    private static final class Exporter implements DmaBufOps {
        final List<String> calls = new ArrayList<>();
        int beginResult;

        @Override
        public int beginCpuAccess(DmaBuf buf, DmaDataDirection direction) {
            calls.add("begin " + direction);
            return beginResult;
        }

        @Override
        public int endCpuAccess(DmaBuf buf, DmaDataDirection direction) {
            calls.add("end " + direction);
            return 0;
        }

        @Override
        public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
            throw new AssertionError("not mapped");
        }

        @Override
        public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
            throw new AssertionError("not mapped");
        }

        @Override
        public void release(DmaBuf buf) {
        }

        @Override
        public String exporterName() {
            return "test exporter";
        }
    }

    /** Runs {@code flags} on the buffer in an actor of its own; what it returned, once it did. */
    private List<Integer> syncInActor(long flags, List<String> order) {
        List<Integer> ret = new ArrayList<>();
        sim.spawn("cpu", () -> {
            ret.add(buf.ioctlSync(flags));
            order.add("synced");
        });
        return ret;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, DmaBuf.SYNC_END, 8, DmaBuf.SYNC_RW | 8, 1L << 40})
    void ioctlSync_noDirectionOrUnknownBit_einvalWithoutTheExporter(long flags) {
        assertThat(buf.ioctlSync(flags)).as("PM-11").isEqualTo(Errno.EINVAL.neg());
        assertThat(exporter.calls).isEmpty();
    }

    @Test
    void ioctlSync_directionBits_exporterGetsDmaDataDirection() {
        assertThat(buf.ioctlSync(DmaBuf.SYNC_START | DmaBuf.SYNC_READ)).isZero();
        assertThat(buf.ioctlSync(DmaBuf.SYNC_START | DmaBuf.SYNC_WRITE)).isZero();
        assertThat(buf.ioctlSync(DmaBuf.SYNC_END | DmaBuf.SYNC_RW)).isZero();

        assertThat(exporter.calls).containsExactly("begin FROM_DEVICE", "begin TO_DEVICE", "end BIDIRECTIONAL");
    }

    @Test
    void syncStartRead_pendingWriter_waitsForItsFence() {
        DmaFence writer = new DmaFence(sim, "writer");
        resv.addFence(writer, DmaResv.Usage.WRITE);
        List<String> order = new ArrayList<>();
        List<Integer> ret = syncInActor(DmaBuf.SYNC_START | DmaBuf.SYNC_READ, order);
        sim.spawn("gpu", () -> {
            order.add("writer signals");
            writer.signal();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());

        assertThat(order).as("PV-6: a CPU reader waits for the writers").containsExactly("writer signals", "synced");
        assertThat(ret).containsExactly(0);
    }

    /**
     * Runs the sync of {@code spec} ("PENDING PHASE ACCESS": the usage of the one unsignalled
     * fence, start or end, READ, WRITE or RW) in an actor with nobody to signal that fence.
     */
    private Outcome syncWithFenceNeverSignalled(String spec) {
        String[] s = spec.split(" ");
        resv.addFence(new DmaFence(sim, "job"), DmaResv.Usage.valueOf(s[0]));
        long access = switch (s[2]) {
            case "READ" -> DmaBuf.SYNC_READ;
            case "WRITE" -> DmaBuf.SYNC_WRITE;
            default -> DmaBuf.SYNC_RW;
        };
        syncInActor((s[1].equals("end") ? DmaBuf.SYNC_END : DmaBuf.SYNC_START) | access, new ArrayList<>());
        return sim.run();
    }

    @ParameterizedTest
    @ValueSource(strings = {"WRITE start READ", "WRITE start WRITE", "READ start RW", "READ start WRITE"})
    void syncStart_fenceItMustFollowNeverSignals_blocks(String spec) {
        assertThat(syncWithFenceNeverSignalled(spec)).as("PV-6: %s", spec).isInstanceOf(Outcome.Deadlock.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"READ start READ", "WRITE end RW", "READ end WRITE"})
    void sync_readerPendingOrEnd_returnsWithoutWaiting(String spec) {
        assertThat(syncWithFenceNeverSignalled(spec))
                .as("%s: dma_resv_usage_rw(false) is WRITE, readers are not waited for; END waits for nothing", spec)
                .isEqualTo(new Outcome.Completed());
    }

    @ParameterizedTest
    @ValueSource(longs = {DmaBuf.SYNC_WRITE, DmaBuf.SYNC_RW})
    void syncStartWrite_pendingReaderAndWriter_waitsForBoth(long access) {
        DmaFence reader = new DmaFence(sim, "reader");
        DmaFence writer = new DmaFence(sim, "writer");
        resv.addFence(writer, DmaResv.Usage.WRITE);
        resv.addFence(reader, DmaResv.Usage.READ);
        List<String> order = new ArrayList<>();
        List<Integer> ret = syncInActor(DmaBuf.SYNC_START | access, order);
        sim.spawn("gpu", () -> {
            order.add("writer signals");
            writer.signal();
            order.add("reader signals");
            reader.signal();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());

        assertThat(order).as("PV-6: a CPU writer waits for every fence")
                .containsExactly("writer signals", "reader signals", "synced");
        assertThat(ret).containsExactly(0);
    }

    @Test
    void syncStart_exporterFails_errnoAndNoWait() {
        exporter.beginResult = Errno.EIO.neg();
        resv.addFence(new DmaFence(sim, "writer"), DmaResv.Usage.WRITE);

        assertThat(buf.ioctlSync(DmaBuf.SYNC_START | DmaBuf.SYNC_READ)).isEqualTo(Errno.EIO.neg());
    }
}
