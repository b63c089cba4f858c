package accelmm.rdma;

import static accelmm.rdma.RdmaFixture.PAGE;
import static accelmm.rdma.RdmaFixture.bytes;
import static accelmm.rdma.RdmaFixture.mmapAnon;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.ImporterDesign;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import accelmm.sim.PhaseFootprints;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Observed footprints of the RDMA layer's state: the NIC's accesses through two regions commute
 * (each mkey has its own translation, mlx5's {@code mlx5_ib_mr}), an access through a region
 * conflicts with what changes that region's translation — its deregistration ({@code
 * mlx5_ib_dereg_mr} revokes the mkey) and, for a dma-buf region, the exporter's move ({@code
 * mlx5_ib_dmabuf_invalidate_cb} zaps it).
 */
class RdmaFootprintTest {

    private static final Set<String> RDMA = Set.of("ib device", "uverbs file", "ib mr", "ib umem", "ib umem dmabuf");

    @Test
    void rdmaWrite_regionsOfTwoFiles_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        RdmaFixture fx = new RdmaFixture(rec.sim(), Designs.of());
        for (String name : new String[] {"A", "B"}) {
            Task task = fx.process(name);
            rec.spawn(name, () -> {
                IbUverbsFile f = fx.openFile(task);
                long mr = f.regMrUser(task, mmapAnon(task, 1), PAGE);
                rec.phase("rdma_write " + name, () -> assertThat(f.rdmaWrite(mr, 0, bytes("x"), null)).isZero());
            });
        }

        rec.run();

        Footprint a = rec.of("rdma_write A", RDMA);
        Footprint b = rec.of("rdma_write B", RDMA);
        assertThat(a.accesses()).as("the write reads its region's translation").isNotEmpty();
        assertThat(a.conflictsWith(b)).isFalse();
    }

    /** RMR-07: closing the file deregisters the region, which the NIC's access reads. */
    @Test
    void rdmaWrite_andCloseOfTheRegionsFile_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        RdmaFixture fx = new RdmaFixture(rec.sim(), Designs.of());
        Task task = fx.process("A");
        rec.spawn("A", () -> {
            int fd = fx.open(task);
            IbUverbsFile f = RdmaFixture.file(task, fd);
            long mr = f.regMrUser(task, mmapAnon(task, 1), PAGE);
            rec.phase("rdma_write", () -> assertThat(f.rdmaWrite(mr, 0, bytes("x"), null)).isZero());
            rec.phase("close", () -> assertThat(task.close(fd)).isZero());
        });

        rec.run();

        assertThat(rec.of("rdma_write", RDMA).conflictsWith(rec.of("close", RDMA))).isTrue();
    }

    /** RMR-04: the exporter's move zaps the translation the NIC's next access reads (and refills). */
    @Test
    void exporterMove_andRdmaWriteThroughDmabufRegion_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        RdmaFixture fx = new RdmaFixture(rec.sim(), Designs.of(ImporterDesign.DYNAMIC));
        Task task = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        rec.spawn("A", () -> {
            IbUverbsFile f = fx.openFile(task);
            long mr = f.regMrDmabuf(task, exporter.export().fd(task, false));
            rec.phase("rdma_write", () -> assertThat(f.rdmaWrite(mr, 0, bytes("x"), null)).isZero());
            rec.phase("move", () -> assertThat(exporter.move()).isZero());
        });

        rec.run();

        Footprint move = rec.of("move", RDMA);
        assertThat(move.accesses()).extracting(Object::toString).anyMatch(s -> s.startsWith("write ib mr"));
        assertThat(rec.of("rdma_write", RDMA).conflictsWith(move)).isTrue();
    }
}
