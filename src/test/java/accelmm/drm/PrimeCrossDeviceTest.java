package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.DmaResv;
import accelmm.dmabuf.SgTable;
import accelmm.mm.PageFrame;
import accelmm.mm.Errno;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;

/**
 * PRIME between two devices (KERNEL-SEMANTICS section 9): the exporting device's own object on
 * a self-import (DBM-1), an object of the importing device over the exporter's pages otherwise,
 * and the exporter's refusal of importers that cannot reach a VRAM-only object (DBM-2).
 */
class PrimeCrossDeviceTest {

    private final DrmFixture fx = new DrmFixture(Designs.defaults());

    @Test
    void fdToHandle_otherDevice_newObjectOverTheExportersPages() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int bo = f0.gemCreate(2 * PAGE);
            GemObject exporter = f0.object(bo);
            int fd = f0.primeHandleToFd(a, bo, false, false);
            int gpu1Fd = gpu1.open(a, false);
            DrmFile f1 = DrmFixture.file(a, gpu1Fd);

            int h = f1.primeFdToHandle(a, fd);

            GemObject imported = f1.object(h);
            assertThat(imported).isNotSameAs(exporter);
            assertThat(imported.sizeBytes()).isEqualTo(2 * PAGE);
            assertThat(imported.pageRef(1).frame()).isSameAs(exporter.pageRef(1).frame());
            assertThat(imported.importedFrom()).isSameAs(a.files().lookup(fd).privateData());
            assertThat(f1.primeFdToHandle(a, fd)).as("dedup on the importing file too").isEqualTo(h);
        });
    }

    /**
     * {@code ttm_bo_vm_reserve} refuses to fault a buffer object whose {@code ttm_tt} is
     * {@code TTM_TT_FLAG_EXTERNAL} without {@code _MAPPABLE}: xe makes an import a
     * {@code ttm_bo_type_sg} object ({@code xe_dma_buf_init_obj}), which {@code ttm_tt_create}
     * flags so. The GEM mmap itself succeeds ({@code drm_gem_mmap_obj} does not forward an
     * import to {@code dma_buf_mmap}, only the shmem helpers do), but its first fault is SIGBUS,
     * EFAULT for a read or write of it; the exporter's pages stay as they were.
     */
    @Test
    void gemMmap_ofAnImport_everyFaultIsSigbus_ttmBoVmReserve() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd0 = fx.gpu.open(a, false);
            DrmFile f0 = DrmFixture.file(a, fd0);
            int bo = f0.gemCreate(2 * PAGE);
            GemObject exporter = f0.object(bo);
            DrmFixture.write(a, DrmFixture.mmapBo(a, fd0, f0, bo, 2), "exported");
            int fd = f0.primeHandleToFd(a, bo, false, true);
            int gpu1Fd = gpu1.open(a, false);
            DrmFile f1 = DrmFixture.file(a, gpu1Fd);
            int h = f1.primeFdToHandle(a, fd);

            long m = DrmFixture.mmapBo(a, gpu1Fd, f1, h, 2);

            assertThat(a.read(m, new byte[8])).as("load").isEqualTo(Errno.EFAULT.neg());
            assertThat(a.write(m, DrmFixture.bytes("via gpu1"), null)).as("store").isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.boContents(exporter, 0, 8)).isEqualTo("exported");
        });
    }

    @Test
    void fdToHandle_twoFilesOfTheImportingDevice_oneObjectEach() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int fd = f0.primeHandleToFd(a, f0.gemCreate(PAGE), false, false);
            DrmFile f1 = DrmFixture.file(a, gpu1.open(a, false));
            DrmFile f2 = DrmFixture.file(a, gpu1.open(a, false));

            GemObject o1 = f1.object(f1.primeFdToHandle(a, fd));
            GemObject o2 = f2.object(f2.primeFdToHandle(a, fd));

            assertThat(o1).isNotSameAs(o2);
            assertThat(o1.pageRef(0).frame()).isSameAs(o2.pageRef(0).frame());
        });
    }

    @Test
    void importedObject_holdsTheDmaBuf_exporterLivesUntilItIsFreed() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int bo = f0.gemCreate(PAGE);
            GemObject exporter = f0.object(bo);
            int fd = f0.primeHandleToFd(a, bo, false, false);
            DrmFile f1 = DrmFixture.file(a, gpu1.open(a, false));
            int h = f1.primeFdToHandle(a, fd);
            GemObject imported = f1.object(h);

            f0.gemClose(bo);
            a.close(fd);
            assertThat(exporter.isFreed()).as("the import holds the dma-buf").isFalse();
            int reExport = f1.primeHandleToFd(a, h, false, false);
            assertThat(a.files().lookup(reExport).privateData()).as("re-export of an import: the original dma-buf")
                    .isSameAs(imported.importedFrom());
            a.close(reExport);

            f1.gemClose(h);

            assertThat(imported.isFreed()).isTrue();
            assertThat(exporter.isFreed()).isTrue();
            assertThat(gpu1.liveObjects()).isEmpty();
            a.exit();
        });
        fx.assertNothingLeft();
    }

    @Test
    void dmaBufMmap_ofAnImport_mapsTheExportersPages() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int bo = f0.gemCreate(PAGE);
            int fd = f0.primeHandleToFd(a, bo, false, true);
            DrmFile f1 = DrmFixture.file(a, gpu1.open(a, false));
            int h = f1.primeFdToHandle(a, fd);
            int again = f1.primeHandleToFd(a, h, false, true);

            long m = a.mmap(0, PAGE, Prot.READ_WRITE, true, false, again, 0);
            DrmFixture.write(a, m, "one buffer");

            assertThat(fx.boContents(f0.object(bo), 0, 10)).isEqualTo("one buffer");
        });
    }

    @Test
    void attachCheck_vramOnly_unreachablePeer_eopnotsupp_DBM2() {
        assertThat(PrimeExport.attachCheck(true, false)).as("DBM-2").isEqualTo(Errno.EOPNOTSUPP.neg());
        assertThat(PrimeExport.attachCheck(true, true)).as("DBM-3: peer to peer").isZero();
        assertThat(PrimeExport.attachCheck(false, false)).as("DBM-4..6: may move to system memory").isZero();
        assertThat(PrimeExport.attachCheck(false, true)).isZero();
    }

    /**
     * xe_gem_prime_import attaches with allow_peer2peer, and xe_dma_buf_attach clears the
     * attachment's peer2peer when pci_p2pdma_distance says the devices cannot reach each other;
     * the model's distance is both devices' p2p flag (DBM-2, DBM-3).
     */
    @Test
    void fdToHandle_otherDevice_attachesWithPeer2peerOnlyWhenBothDevicesAreP2p() {
        DrmDevice p2pExporter = new DrmDevice(fx.kernel, "gpu1", true);
        DrmDevice p2pImporter = new DrmDevice(fx.kernel, "gpu2", true);
        DrmDevice plain = new DrmDevice(fx.kernel, "gpu3", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = DrmFixture.file(a, p2pExporter.open(a, false));
            int fd = f.primeHandleToFd(a, f.gemCreate(PAGE), false, false);
            DmaBuf buf = DmaBuf.ofFile(a.files().lookup(fd));

            assertThat(DrmFixture.file(a, p2pImporter.open(a, false)).primeFdToHandle(a, fd)).isPositive();
            assertThat(DrmFixture.file(a, plain.open(a, false)).primeFdToHandle(a, fd))
                    .as("DBM-6: system memory, any importer").isPositive();

            assertThat(buf.attachments()).extracting(at -> at.dev().name(), DmaBufAttachment::peer2peer)
                    .containsExactly(tuple("gpu3", false), tuple("gpu2", true));
            assertThat(buf.attachments()).allSatisfy(at -> assertThat(at.importerOps()).isInstanceOf(PrimeImport.class));
        });
    }

    /** DBM-1: an import on the exporting device names the exporter's own object, with no attachment. */
    @Test
    void fdToHandle_sameDevice_sameObjectNoAttachment_DBM1() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int fd = f0.primeHandleToFd(a, f0.gemCreate(PAGE), false, false);
            DrmFile f1 = fx.open(a);

            assertThat(f1.primeFdToHandle(a, fd)).isPositive();

            assertThat(DmaBuf.ofFile(a.files().lookup(fd)).attachments()).isEmpty();
        });
    }

    /** drm_prime_gem_destroy (from xe_ttm_bo_destroy): dma_buf_detach, then dma_buf_put. */
    @Test
    void importedObject_freed_detachesFromTheBuffer() {
        DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", false);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int fd = f0.primeHandleToFd(a, f0.gemCreate(PAGE), false, false);
            DmaBuf buf = DmaBuf.ofFile(a.files().lookup(fd));
            DrmFile f1 = DrmFixture.file(a, gpu1.open(a, false));
            int h = f1.primeFdToHandle(a, fd);
            DmaBufAttachment attach = buf.attachments().get(0);
            int refsWhileImported = buf.refCount();

            assertThat(f1.gemClose(h)).isZero();

            assertThat(buf.attachments()).isEmpty();
            assertThat(attach.isDetached()).isTrue();
            assertThat(buf.refCount()).as("the imported object's, its obj->dma_buf's and its prime cache entry's went")
                    .isEqualTo(refsWhileImported - 3);
        });
    }

    /**
     * Another driver's static exporter of memory the importer reaches peer to peer (as the
     * accelerator's), with a reservation object of its own and a map that can be made to fail.
     */
    private static final class ForeignExporter implements DmaBufOps {
        final PageFrame[] frames;
        int mapResult;

        ForeignExporter(DrmFixture fx, int pages) {
            frames = new PageFrame[pages];
            for (int i = 0; i < pages; i++) {
                frames[i] = fx.kernel.physicalMemory().allocPage();
            }
        }

        @Override
        public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
            return mapResult != 0 ? DmaBuf.Mapped.error(mapResult) : DmaBuf.Mapped.of(SgTable.of(frames, true));
        }

        @Override
        public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        }

        @Override
        public void release(DmaBuf buf) {
        }

        @Override
        public String exporterName() {
            return "foreign exporter";
        }
    }

    /**
     * xe_gem_prime_import of a buffer drm_prime.c did not export: an sg object of this device
     * over the exporter's pages, sharing the buffer's reservation object (xe_dma_buf_init_obj
     * passes dma_buf->resv), attached dynamically with xe's importer ops.
     */
    @Test
    void fdToHandle_bufferOfAnotherDriver_objectOverItsPagesSharingItsResv() {
        Task a = fx.process("A");
        ForeignExporter exporter = new ForeignExporter(fx, 2);
        fx.run(() -> {
            DmaBuf buf = DmaBuf.export(fx.kernel, exporter, new DmaResv(fx.kernel, "foreign"), 2 * PAGE, true);
            int fd = buf.fd(a, false);
            DrmFile f = fx.open(a);

            int h = f.primeFdToHandle(a, fd);

            GemObject imported = f.object(h);
            assertThat(imported.resv()).isSameAs(buf.resv());
            assertThat(imported.pageRef(1).frame()).isSameAs(exporter.frames[1]);
            assertThat(buf.attachments()).singleElement()
                    .satisfies(at -> assertThat(at.importerOps()).isInstanceOf(PrimeImport.class));
        });
    }

    /**
     * The exporter's map is called at import (ttm_bo_validate of the new sg object reaches
     * xe_bo_move_dmabuf), so its refusal is the ioctl's errno, and nothing stays attached.
     */
    @Test
    void fdToHandle_anotherDriverRefusesTheMap_itsErrnoAndNoAttachment() {
        Task a = fx.process("A");
        ForeignExporter exporter = new ForeignExporter(fx, 1);
        exporter.mapResult = Errno.EPERM.neg();
        fx.run(() -> {
            DmaBuf buf = DmaBuf.export(fx.kernel, exporter, new DmaResv(fx.kernel, "foreign"), PAGE, true);
            int fd = buf.fd(a, false);
            int refs = buf.refCount();
            DrmFile f = fx.open(a);

            assertThat(f.primeFdToHandle(a, fd)).isEqualTo(Errno.EPERM.neg());

            assertThat(buf.attachments()).isEmpty();
            assertThat(buf.refCount()).as("the failed import dropped what it took").isEqualTo(refs);
        });
    }
}
