package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dma_buf_mmap_internal}'s checks in their order (drivers/dma-buf/dma-buf.c): an exporter
 * without {@code ->mmap} is -EINVAL, then a range past the end of the buffer is -EINVAL, and
 * only then does the exporter answer — a revoked buffer's being -ENODEV (the revoking exporter's
 * own check, as VFIO's dma-buf mmap makes it).
 */
class DmaBufMmapTest {

    private static final long PAGE = 4096;

    private final Simulation sim = new Simulation(new RandomChoiceSource(1));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final TestExporter exporter = new TestExporter(kernel, 2, false);
    private final DmaBuf buf = DmaBuf.export(kernel, exporter, new DmaResv(kernel, "test"), 2 * PAGE, true);
    private final Task task = kernel.createProcess("A", 1000);

    /** {@code mmap} of {@code pages} pages of the buffer from page {@code pgoff}, after {@code before}. */
    private long mmap(Runnable before, long pages, long pgoff) {
        List<Long> ret = new ArrayList<>();
        sim.spawn("A", () -> {
            before.run();
            int fd = buf.fd(task, false);
            ret.add(task.mmap(0, pages * PAGE, Prot.READ_WRITE, true, false, fd, pgoff * PAGE));
        });
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        return ret.getFirst();
    }

    @Test
    void mmap_exporterWithoutMmap_EINVAL() {
        exporter.mmapOp = null;

        assertThat(mmap(() -> { }, 1, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(exporter.calls).doesNotContain("mmap");
    }

    @Test
    void mmap_exporterWithoutMmapRevoked_EINVALBeforeTheRevokedCheck() {
        // habanalabs_dmabuf_ops has no ->mmap: a revoked buffer of it still says EINVAL, not ENODEV.
        exporter.mmapOp = null;

        assertThat(mmap(buf::revoke, 1, 0)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void mmap_rangePastTheEndRevoked_EINVALBeforeTheRevokedCheck() {
        assertThat(mmap(buf::revoke, 2, 1)).isEqualTo(Errno.EINVAL.neg());
        assertThat(exporter.calls).doesNotContain("mmap");
    }

    @Test
    void mmap_inRangeRevoked_ENODEVWithoutAskingTheExporter() {
        assertThat(mmap(buf::revoke, 2, 0)).isEqualTo(Errno.ENODEV.neg());
        assertThat(exporter.calls).doesNotContain("mmap");
    }

    @Test
    void mmap_inRange_theExportersAnswer() {
        assertThat(mmap(() -> { }, 1, 1)).as("TestExporter's mmap refuses").isEqualTo(Errno.EINVAL.neg());
        assertThat(exporter.calls).contains("mmap");
    }

    @Test
    void mmap_exporterGivingAnMmapOp_theOpAnswersForItsBufferFromThePageOffset() {
        // ->mmap is one optional op: giving it is having it (no separate "has mmap" to forget).
        List<String> seen = new ArrayList<>();
        exporter.mmapOp = (b, setup) -> {
            seen.add(b + " pgoff " + setup.pgoff());
            return Errno.EACCES.neg();
        };

        assertThat(mmap(() -> { }, 1, 1)).isEqualTo(Errno.EACCES.neg());
        assertThat(seen).containsExactly(buf + " pgoff 1");
    }
}
