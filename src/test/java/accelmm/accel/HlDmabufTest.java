package accelmm.accel;

import static accelmm.accel.AccelFixture.PAGE;
import static accelmm.accel.AccelFixture.alloc;
import static accelmm.accel.AccelFixture.dmabuf;
import static accelmm.accel.AccelFixture.export;
import static accelmm.accel.AccelFixture.fpriv;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.DmaDevice;
import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.dmabuf.SgTable;
import accelmm.mm.Errno;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Outcome;
import org.junit.jupiter.api.Test;

/**
 * The dma-buf of device memory: {@code export_dmabuf_from_addr} and {@code habanalabs_dmabuf_ops}
 * (memory.c, KERNEL-SEMANTICS HL-05..07), and what the buffer holds of the device under each
 * {@link DmabufExportDesign}, with the revoke of RVK-02/03.
 */
class HlDmabufTest {

    private record Nic(String name, boolean peerToPeer) implements DmaDevice {
    }

    /**
     * A dynamic importer that keeps one mapping; with the callback it drops it when told, as an
     * RDMA memory region over a dma-buf does (mlx5_ib_dmabuf_invalidate_cb), without it it is a
     * pinned region that cannot be revoked (RMR-05).
     */
    private static final class Importer implements DmaBufImporterOps {
        final boolean callback;
        /** What the importer does once told to drop its mapping, after it dropped it. */
        Runnable afterInvalidate = () -> {
        };
        DmaBufAttachment attach;
        SgTable sgt;

        Importer(boolean callback) {
            this.callback = callback;
        }

        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public boolean invalidatesMappings() {
            return callback;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment a) {
            a.dmabuf().unmapAttachment(a, sgt, DmaDataDirection.BIDIRECTIONAL);
            sgt = null;
            afterInvalidate.run();
        }

        /** Attaches to {@code buf} from a peer-to-peer NIC and maps it: 0, or the attach's or the map's errno. */
        int attachAndMap(DmaBuf buf) {
            return attachAndMap(buf, new Nic("rdma0", true));
        }

        int attachAndMap(DmaBuf buf, Nic nic) {
            DmaBuf.Attach made = buf.dynamicAttach(nic, this);
            if (made.attachment() == null) {
                return made.errno();
            }
            attach = made.attachment();
            buf.resv().lock();
            DmaBuf.Mapped mapped = buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            buf.resv().unlock();
            sgt = mapped.sgt();
            return mapped.errno();
        }

        void detach() {
            attach.dmabuf().detach(attach);
        }
    }

    private AccelFixture f = new AccelFixture();
    private Task a = f.process("A");
    private Task b = f.process("B");

    private void designs(DmabufExportDesign design) {
        f = new AccelFixture(design);
        a = f.process("A");
        b = f.process("B");
    }

    @Test
    void memExport_unknownHandle_EINVAL_HL05() {
        f.run(() -> {
            int fd = f.open(a);

            assertThat(fpriv(a, fd).memExport(a, 1, true)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void memExport_flags_rdwrMakesTheFileWritable_HL05() {
        f.run(() -> {
            int fd = f.open(a);
            long h = alloc(a, fd, 2);

            DmaBuf rw = dmabuf(a, export(a, fd, h));
            DmaBuf ro = dmabuf(a, fpriv(a, fd).memExport(a, h, false));

            assertThat(rw.writable()).isTrue();
            assertThat(ro.writable()).isFalse();
            assertThat(rw.sizeBytes()).isEqualTo(2L * PAGE);
            assertThat(fpriv(a, fd).ctx().node(h).exportCount()).isEqualTo(2);
        });
    }

    @Test
    void dmabufMmap_exporterHasNoMmap_EINVAL_HL06() {
        // dma_buf_mmap_internal refuses a buffer whose exporter has no ->mmap with -EINVAL.
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));

            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, db, 0)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void dmabufMmap_revokedBufferWithoutMmap_EINVALNotENODEV_HL06() {
        // dma_buf_mmap_internal looks for ->mmap before anything else: revoked or not, EINVAL.
        designs(DmabufExportDesign.REVOKE);
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));
            a.close(fd);
            assertThat(dmabuf(a, db).isRevoked()).isTrue();

            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, db, 0)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void map_importerThatCannotReachTheDevice_peer2peerClearedAndEPERM_HL06() {
        f.run(() -> {
            int fd = f.open(a);
            DmaBuf buf = dmabuf(a, export(a, fd, alloc(a, fd, 1)));
            Importer mr = new Importer(true);

            assertThat(mr.attachAndMap(buf, new Nic("nic-without-p2p", false))).isEqualTo(Errno.EPERM.neg());
            assertThat(mr.attach).as("hl_dmabuf_attach accepts it").isNotNull();
            assertThat(mr.attach.peer2peer()).as("cleared by the exporter").isFalse();
            mr.detach();
        });
    }

    @Test
    void map_peerImporter_getsTheDevicePagesAsBusAddresses_HL06() {
        f.run(() -> {
            int fd = f.open(a);
            long h = alloc(a, fd, 2);
            DmaBuf buf = dmabuf(a, export(a, fd, h));
            Importer mr = new Importer(true);

            assertThat(mr.attachAndMap(buf)).isZero();

            assertThat(mr.sgt.peerToPeer()).isTrue();
            assertThat(mr.sgt.pages()).containsExactlyElementsOf(fpriv(a, fd).ctx().node(h).pack().frameRefs());
            assertThat(mr.sgt.page(0).frame().zone().device()).isTrue();
        });
    }

    @Test
    void close_holdFile_dmabufKeepsTheDeviceUntilItsRelease_HL07() {
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));

            a.close(fd);

            assertThat(f.acc.open(b, false)).as("the dma-buf holds A's file").isEqualTo(Errno.EBUSY.neg());
            assertThat(f.acc.liveObjects()).hasSize(2);

            a.close(db);

            assertThat(f.acc.liveObjects()).as("the dma-buf's release released the file").isEmpty();
            assertThat(f.acc.open(b, false)).isNotNegative();
        });
    }

    @Test
    void close_holdFile_importerKeepsTheDmabufAndSoTheDevice_HL10() {
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));
            Importer mr = new Importer(false);
            assertThat(mr.attachAndMap(dmabuf(a, db))).isZero();
            mr.attach.dmabuf().get();
            a.close(db);
            a.close(fd);

            assertThat(f.acc.open(b, false)).isEqualTo(Errno.EBUSY.neg());
            assertThat(mr.sgt.page(0).generation()).as("A's memory is still A's")
                    .isEqualTo(mr.sgt.page(0).frame().generation());
        });
    }

    @Test
    void close_noHold_freesTheExportedMemory_nextUserGetsItsFrames() {
        designs(DmabufExportDesign.NO_HOLD);
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));
            Importer mr = new Importer(false);
            assertThat(mr.attachAndMap(dmabuf(a, db))).isZero();

            a.close(fd);
            int fdB = f.open(b);
            long hB = alloc(b, fdB, 1);

            var reused = fpriv(b, fdB).ctx().node(hB).pack().frameRefs().get(0);
            assertThat(reused.frame()).as("B's page is the one A's importer maps").isSameAs(mr.sgt.page(0).frame());
            assertThat(mr.sgt.page(0).generation()).isNotEqualTo(reused.generation());
        });
    }

    @Test
    void close_revoke_cutsOffTheImporterThenReleasesTheDevice_RVK02() {
        designs(DmabufExportDesign.REVOKE);
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));
            DmaBuf buf = dmabuf(a, db);
            Importer mr = new Importer(true);
            assertThat(mr.attachAndMap(buf)).isZero();

            a.close(fd);

            assertThat(buf.isRevoked()).isTrue();
            assertThat(mr.sgt).as("the importer unmapped when told").isNull();
            buf.resv().lock();
            assertThat(buf.mapAttachment(mr.attach, DmaDataDirection.BIDIRECTIONAL).errno()).isEqualTo(Errno.ENODEV.neg());
            buf.resv().unlock();
            assertThat(f.open(b)).as("the context went with the file").isNotNegative();
            mr.detach();
            a.close(db);
        });
    }

    @Test
    void revoke_lastReferenceDroppedDuringRevoke_detachedOnceAndEverythingReleased_RVK02() {
        // The fence wait of the revoke is a preemption point; the buffer's last fd goes there.
        // VFIO's vfio_pci_dma_buf_cleanup holds a reference (get_file_active) and unlinks the
        // buffer under the reservation lock before it waits, so its release finds it unlinked.
        designs(DmabufExportDesign.REVOKE);
        int[] fds = new int[2]; // the device's fd, the dma-buf's
        Importer mr = new Importer(true);
        DmaFence invalidated = new DmaFence(f.sim, "invalidated");
        DmaFence job = new DmaFence(f.sim, "job");
        f.sim.spawn("closer of the device", () -> {
            fds[0] = f.open(a);
            fds[1] = export(a, fds[0], alloc(a, fds[0], 1));
            DmaBuf buf = dmabuf(a, fds[1]);
            assertThat(mr.attachAndMap(buf)).isZero();
            buf.resv().addFence(job, DmaResv.Usage.BOOKKEEP);
            mr.afterInvalidate = invalidated::signal;

            a.close(fds[0]);
        });
        f.sim.spawn("closer of the dma-buf", () -> {
            invalidated.waitSignaled();
            mr.detach();
            a.close(fds[1]);
            job.signal();
        });

        assertThat(f.sim.run()).isEqualTo(new Outcome.Completed());
        f.assertNothingLeft();
    }

    @Test
    void attach_revoke_importerThatCannotBeRevoked_EOPNOTSUPP_RVK03() {
        designs(DmabufExportDesign.REVOKE);
        f.run(() -> {
            int fd = f.open(a);
            DmaBuf buf = dmabuf(a, export(a, fd, alloc(a, fd, 1)));

            assertThat(new Importer(false).attachAndMap(buf)).isEqualTo(Errno.EOPNOTSUPP.neg());
            assertThat(new Importer(true).attachAndMap(buf)).isZero();
        });
    }

    @Test
    void attach_revoke_revokedBuffer_ENODEV_RVK03() {
        designs(DmabufExportDesign.REVOKE);
        f.run(() -> {
            int fd = f.open(a);
            int db = export(a, fd, alloc(a, fd, 1));
            a.close(fd);

            assertThat(new Importer(true).attachAndMap(dmabuf(a, db))).isEqualTo(Errno.ENODEV.neg());
        });
    }

    @Test
    void attach_holdFile_importerThatCannotBeRevoked_accepted() {
        // habanalabs never revokes, so it takes every importer (HL-10).
        f.run(() -> {
            int fd = f.open(a);
            DmaBuf buf = dmabuf(a, export(a, fd, alloc(a, fd, 1)));

            assertThat(new Importer(false).attachAndMap(buf)).isZero();
        });
    }
}
