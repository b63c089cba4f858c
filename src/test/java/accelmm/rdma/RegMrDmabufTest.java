package accelmm.rdma;

import static accelmm.rdma.RdmaFixture.PAGE;
import static accelmm.rdma.RdmaFixture.bytes;
import static accelmm.rdma.RdmaFixture.mmapAnon;
import static accelmm.rdma.RdmaFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.ImporterDesign;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;

/**
 * {@code reg_mr dmabuf=} (KERNEL-SEMANTICS 18, RMR-02..05, RMR-07): a dynamic importer under
 * {@code importer=dynamic}, whose translation an exporter's move zaps and the next NIC access
 * maps again; a pinned one under {@code importer=pinned}.
 */
class RegMrDmabufTest {

    private static RdmaFixture fixture(ImporterDesign design) {
        return new RdmaFixture(Designs.of(design));
    }

    /** A buffer of {@code pages} from a new exporter, installed as an fd of {@code task}. */
    private static int export(Task task, MovingExporter exporter) {
        DmaBuf buf = exporter.export();
        int fd = buf.fd(task, false);
        assertThat(fd).isNotNegative();
        return fd;
    }

    /** RMR-02: ib_umem_dmabuf_get attaches dynamically, with an invalidate callback; mlx5 then maps once. */
    @Test
    void regMr_dmabufDynamic_attachesRevocablyAndMapsOnce_RMR02() {
        RdmaFixture fx = fixture(ImporterDesign.DYNAMIC);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 2);
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            int db = export(a, exporter);

            assertThat(f.regMrDmabuf(a, db)).isEqualTo(1);

            assertThat(exporter.calls).containsExactly("attach nic0 revocable", "map BIDIRECTIONAL");
            assertThat(fx.nic.liveObjects()).containsExactly("nic0 mr 1 (8K of dma-buf 2) held by uverbs file 1");
        });
    }

    /**
     * RMR-04: the exporter's move invalidates the region (mlx5_ib_dmabuf_invalidate_cb zaps the
     * translation and unmaps); the next NIC access faults, maps again under the reservation lock
     * and reaches the new pages, never the freed old ones.
     */
    @Test
    void move_dynamicMr_zapsTranslationAndNextAccessReachesNewPages_RMR04() {
        RdmaFixture fx = fixture(ImporterDesign.DYNAMIC);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long local = mmapAnon(a, 1);
            long mr = f.regMrDmabuf(a, export(a, exporter));
            assertThat(f.rdmaWrite(mr, 0, bytes("before"), null)).isZero();

            assertThat(exporter.move()).isZero();

            assertThat(exporter.calls).containsSubsequence("map BIDIRECTIONAL", "unmap", "move");
            assertThat(f.rdmaRead(a, mr, 0, 6, local)).isZero();
            assertThat(read(a, local, 6)).isEqualTo("before");
            assertThat(exporter.calls).endsWith("move", "map BIDIRECTIONAL");
            assertThat(fx.nicAccesses.getLast().frame()).isSameAs(exporter.frame(0));
            assertThat(fx.staleNicAccesses).as("use-after-free").isEmpty();
            assertThat(fx.nicAccesses).noneMatch(x -> x.invalidatedMapping());
        });
    }

    /**
     * RMR-03: after the exporter revokes the buffer, the page fault's map fails (the core's
     * -ENODEV for a revoked buffer) and the NIC's work request fails: EIO. The region lives on.
     */
    @Test
    void rdmaRead_afterRevoke_dynamicMr_isEio_RMR03() {
        RdmaFixture fx = fixture(ImporterDesign.DYNAMIC);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long local = mmapAnon(a, 1);
            int db = export(a, exporter);
            long mr = f.regMrDmabuf(a, db);

            DmaBuf.ofFile(a.files().lookup(db)).revoke();

            assertThat(f.rdmaRead(a, mr, 0, 1, local)).isEqualTo(Errno.EIO.neg());
            assertThat(fx.nic.liveObjects()).hasSize(1);
        });
    }

    /**
     * RMR-05: ib_umem_dmabuf_get_pinned attaches without an invalidate callback (not revocable
     * since 7.1), pins and maps once; the exporter cannot move the buffer while the region lives.
     */
    @Test
    void regMr_dmabufPinned_pinsAndIsNotRevocable_RMR05() {
        RdmaFixture fx = fixture(ImporterDesign.PINNED);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long mr = f.regMrDmabuf(a, export(a, exporter));

            assertThat(mr).isPositive();
            assertThat(exporter.calls).containsExactly("attach nic0", "pin", "map BIDIRECTIONAL");
            assertThat(exporter.move()).isEqualTo(Errno.EBUSY.neg());
            assertThat(f.rdmaWrite(mr, 0, bytes("x"), null)).isZero();
        });
    }

    /**
     * RMR-07: closing the uverbs file deregisters the region: unmap, unpin, detach and the
     * region's dma_buf_put, here the buffer's last reference, so the exporter releases it.
     */
    @Test
    void close_dmabufMr_unmapsUnpinsDetachesAndDropsLastReference_RMR07() {
        RdmaFixture fx = fixture(ImporterDesign.PINNED);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        fx.run(() -> {
            int nic = fx.open(a);
            int db = export(a, exporter);
            RdmaFixture.file(a, nic).regMrDmabuf(a, db);
            assertThat(a.close(db)).isZero();
            assertThat(exporter.released).as("the region holds the buffer").isFalse();

            assertThat(a.close(nic)).isZero();

            assertThat(exporter.calls).endsWith("unmap", "unpin", "detach", "release");
            assertThat(fx.nic.liveObjects()).isEmpty();
        });
    }

    /** ib_umem_dmabuf_get: dma_buf_get's errors; nothing is attached. */
    @Test
    void regMr_dmabufFdNotADmabuf_isDmaBufGetsErrno_RMR02() {
        RdmaFixture fx = fixture(ImporterDesign.DYNAMIC);
        Task a = fx.process("A");
        fx.run(() -> {
            int nic = fx.open(a);
            IbUverbsFile f = RdmaFixture.file(a, nic);

            assertThat(f.regMrDmabuf(a, nic)).as("a uverbs fd").isEqualTo(Errno.EINVAL.neg());
            assertThat(f.regMrDmabuf(a, 42)).as("not open").isEqualTo(Errno.EBADF.neg());
            assertThat(fx.nic.liveObjects()).isEmpty();
        });
    }

    /**
     * RVK-02 with RMR-05/RMR-06: a pinned region has no invalidate callback, so an exporter's
     * revoke marks the buffer and then waits for an unmap that only the region's
     * deregistration brings: it ends when the uverbs file closes, not before.
     */
    @Test
    void revoke_pinnedMr_waitsUntilTheUverbsFileCloses_RMR06_RVK02() {
        RdmaFixture fx = fixture(ImporterDesign.PINNED);
        Task a = fx.process("A");
        MovingExporter exporter = new MovingExporter(fx.kernel, 1);
        boolean[] revoked = new boolean[1];
        fx.run(() -> {
            int nic = fx.open(a);
            int db = export(a, exporter);
            DmaBuf buf = DmaBuf.ofFile(a.files().lookup(db));
            assertThat(RdmaFixture.file(a, nic).regMrDmabuf(a, db)).isPositive();
            fx.sim.spawn("revoker", () -> {
                buf.revoke();
                revoked[0] = true;
            });
            while (!buf.isRevoked()) {
                fx.sim.preemptionPoint("wait for the revoke to start");
            }
            for (int i = 0; i < 20; i++) {
                fx.sim.preemptionPoint("let the revoker run");
            }

            assertThat(revoked[0]).as("revoke ended before the region went").isFalse();
            assertThat(a.close(nic)).isZero();
        });
        assertThat(revoked[0]).as("revoke ended after the close").isTrue();
    }
}
