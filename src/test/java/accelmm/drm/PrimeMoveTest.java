package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;
import accelmm.dmabuf.DmaDevice;
import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.ImporterDesign;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A PRIME export imported by another GPU while the exporter moves it (KERNEL-SEMANTICS §9,
 * xe_dma_buf.c, xe_bo.c): a peer keeps the object in VRAM (DBM-3), an eviction tells the
 * dynamic importer ({@code dma_buf_invalidate_mappings}, DBM-7), which maps the new place at its
 * next exec, and waits for the importer's jobs through the shared reservation object; a static
 * importer pins the object in system memory (DBM-5).
 */
class PrimeMoveTest {

    private static final long VA = 0x100000;
    private static final long DST_VA = 0x200000;

    /** Two peer GPUs: gpu1 exports, gpu2 imports, under one importer design. */
    private static final class Rig {
        private final DrmFixture fx;
        private final DrmDevice exporter;
        private final DrmDevice importer;
        private final Task a;
        private DrmFile f0;
        private DrmFile f1;
        private GemObject exported;
        private GemObject imported;
        private int importHandle;
        private int dst;
        private int vm;
        private int queue;

        Rig(ImporterDesign design) {
            this(design, true);
        }

        /** As {@link #Rig(ImporterDesign)}, with gpu2 reaching gpu1 peer to peer only if {@code importerP2p}. */
        Rig(ImporterDesign design, boolean importerP2p) {
            fx = new DrmFixture(Designs.of(design));
            exporter = new DrmDevice(fx.kernel, "gpu1", true);
            importer = new DrmDevice(fx.kernel, "gpu2", importerP2p);
            a = fx.process("A");
        }

        /**
         * A one-page {@code placement} object of gpu1 holding {@code text}, exported and imported on
         * gpu2; gpu2's VM maps the import at {@link #VA} and a page of its own at {@link #DST_VA}.
         * Returns the import's errno, or 0.
         */
        private int setUp(GemPlacement placement, String text) {
            int fd0 = exporter.open(a, false);
            f0 = DrmFixture.file(a, fd0);
            int bo = f0.gemCreate(PAGE, placement, GemCaching.WC);
            exported = f0.object(bo);
            DrmFixture.write(a, DrmFixture.mmapBo(a, fd0, f0, bo, 1), text);
            f1 = DrmFixture.file(a, importer.open(a, false));
            int h = f1.primeFdToHandle(a, f0.primeHandleToFd(a, bo, false, false));
            if (h < 0) {
                return h;
            }
            importHandle = h;
            imported = f1.object(h);
            vm = f1.vmCreate();
            assertThat(f1.vmBindMap(vm, h, 0, VA, PAGE)).isZero();
            dst = DrmFixture.boundBo(f1, vm, DST_VA, 1);
            queue = f1.execQueueCreate(a, vm);
            return 0;
        }

        private String copiedByImporter(int length) {
            DmaFence done = DrmFixture.execAndWait(f1, queue, new JobSpec.Copy(VA, DST_VA, PAGE));
            assertThat(done.status()).isEqualTo(1);
            return fx.boContents(f1.object(dst), 0, length);
        }
    }

    private final Rig rig = new Rig(ImporterDesign.DYNAMIC);

    // KERNEL-SEMANTICS §9's DBM-1..7 each have a test named after them: DBM-1 in
    // PrimeCrossDeviceTest (fdToHandle_sameDevice_sameObjectNoAttachment_DBM1) and PrimeTest,
    // DBM-2 there and below, DBM-3..7 below (DBM-7 also in EvictWalkTest). DBM-8, xe with
    // CONFIG_DMABUF_MOVE_NOTIFY=n, has no test: Linux 7.1 always builds the dma-buf core with
    // move notification ("dma-buf: Always build with DMABUF_MOVE_NOTIFY"), so that kernel is gone.

    @Test
    void import_peer_vramOnlyObjectStaysInVram_DBM3() {
        rig.fx.run(() -> {
            assertThat(rig.setUp(GemPlacement.VRAM, "peer")).isZero();

            assertThat(rig.exported.inVram()).isTrue();
            assertThat(rig.copiedByImporter(4)).isEqualTo("peer");
        });
    }

    @Test
    void evict_peerImport_importerNextExecReadsTheNewPages_DBM7() {
        rig.fx.run(() -> {
            rig.setUp(GemPlacement.VRAM_SYSTEM, "before");
            assertThat(rig.copiedByImporter(6)).isEqualTo("before");

            assertThat(GemEvict.evict(rig.exported, GemEvict.Variant.FAITHFUL)).isZero();
            rig.f0.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC); // takes the freed VRAM frame

            assertThat(rig.exported.inVram()).isFalse();
            assertThat(rig.copiedByImporter(6)).isEqualTo("before");
            assertThat(rig.imported.pageIfBacked(0)).isSameAs(rig.exported.pageIfBacked(0));
        });
        assertThat(rig.fx.staleDeviceAccesses).isEmpty();
    }

    @Test
    void variantNoInvalidate_importerReadsFreedVram() {
        rig.fx.run(() -> {
            rig.setUp(GemPlacement.VRAM_SYSTEM, "before");
            assertThat(GemEvict.evict(rig.exported, GemEvict.Variant.NO_INVALIDATE)).isZero();
            rig.f0.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC); // reuses the VRAM frame

            DrmFixture.execAndWait(rig.f1, rig.queue, new JobSpec.Copy(VA, DST_VA, PAGE));
        });
        assertThat(rig.fx.staleDeviceAccesses).as("the importer's table outlived the move").isNotEmpty()
                .allMatch(access -> access.frame().zone().name().equals("gpu1 vram"));
    }

    @Test
    void evict_importerJobInFlight_moveWaitsForItsFence_DBM7() {
        rig.fx.run(() -> {
            rig.setUp(GemPlacement.VRAM_SYSTEM, "x");
            Submission s = rig.f1.exec(rig.queue, new JobSpec.Fill(VA, PAGE, (byte) 'y'));
            DmaFence fill = ((Submission.Queued) s).fence();
            rig.fx.sim.spawn("evictor",
                    () -> assertThat(GemEvict.evict(rig.exported, GemEvict.Variant.FAITHFUL)).isZero());
            fill.waitSignaled();
        });
        assertThat(rig.fx.boContents(rig.exported, 0, 1)).as("the importer's write reached the pages the object kept")
                .isEqualTo("y");
        assertThat(rig.fx.staleDeviceAccesses).isEmpty();
    }

    @Test
    void import_dynamicImporterWithoutP2p_migratesToSystemNotPinned_DBM4() {
        Rig plain = new Rig(ImporterDesign.DYNAMIC, false);
        plain.fx.run(() -> {
            assertThat(plain.setUp(GemPlacement.VRAM_SYSTEM, "moved")).isZero();

            assertThat(plain.exported.inVram()).as("xe_dma_buf_map: xe_bo_migrate to TT").isFalse();
            assertThat(plain.exported.isPinned()).isFalse();
            assertThat(plain.copiedByImporter(5)).isEqualTo("moved");
        });
    }

    @ParameterizedTest(name = "importer={0}, importer p2p={1}")
    @CsvSource({"DYNAMIC,true", "DYNAMIC,false", "PINNED,true", "PINNED,false"})
    void import_systemOnlyObject_anyImporter_staysInSystem_DBM6(ImporterDesign design, boolean importerP2p) {
        Rig any = new Rig(design, importerP2p);
        any.fx.run(() -> {
            assertThat(any.setUp(GemPlacement.SYSTEM, "system")).isZero();

            assertThat(any.exported.inVram()).isFalse();
            assertThat(any.copiedByImporter(6)).isEqualTo("system");
        });
    }

    @Test
    void import_staticImporter_pinsTheObjectInSystemMemory_DBM5() {
        Rig pinned = new Rig(ImporterDesign.PINNED);
        pinned.fx.run(() -> {
            assertThat(pinned.setUp(GemPlacement.VRAM_SYSTEM, "pinned")).isZero();

            assertThat(pinned.exported.isPinned()).isTrue();
            assertThat(pinned.exported.inVram()).isFalse();
            assertThat(GemEvict.evict(pinned.exported, GemEvict.Variant.FAITHFUL))
                    .as("nothing in VRAM to evict").isZero();
            assertThat(pinned.copiedByImporter(6)).isEqualTo("pinned");

            assertThat(pinned.f1.vmBindUnmap(pinned.vm, VA, PAGE)).isZero();
            assertThat(pinned.f1.gemClose(pinned.importHandle)).isZero();
            assertThat(pinned.exported.isPinned()).as("dma_buf_detach unpins").isFalse();
        });
    }

    @Test
    void import_staticImporterVramOnlyObject_eopnotsupp_DBM2() {
        Rig pinned = new Rig(ImporterDesign.PINNED);
        pinned.fx.run(() -> assertThat(pinned.setUp(GemPlacement.VRAM, "p2p"))
                .as("a static importer has no allow_peer2peer").isEqualTo(Errno.EOPNOTSUPP.neg()));
    }

    /**
     * The importer ops of a pinned RDMA region ({@code ib_umem_dmabuf_get_pinned}): peer to peer
     * allowed, no {@code invalidate_mappings}; rdma is not drm's to use, so the test plays it.
     */
    private static final DmaBufImporterOps PINNED_PEER = new DmaBufImporterOps() {
        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public boolean invalidatesMappings() {
            return false;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment attach) {
            throw new AssertionError("not called without the callback");
        }
    };

    /** A one-page {@code placement} object of gpu1, exported; the rig's {@code exported}. */
    private static DmaBuf exportOnly(Rig rig, GemPlacement placement) {
        rig.f0 = DrmFixture.file(rig.a, rig.exporter.open(rig.a, false));
        int bo = rig.f0.gemCreate(PAGE, placement, GemCaching.WC);
        rig.exported = rig.f0.object(bo);
        return DmaBuf.ofFile(rig.a.files().lookup(rig.f0.primeHandleToFd(rig.a, bo, false, false)));
    }

    /** {@code dma_buf_dynamic_attach} from {@code dev} as a pinned peer importer, then {@code dma_buf_pin}: its errno. */
    private static int attachPinned(DmaBuf buf, DmaDevice dev) {
        DmaBufAttachment attach = buf.dynamicAttach(dev, PINNED_PEER).attachment();
        buf.resv().lock();
        try {
            return buf.pin(attach);
        } finally {
            buf.resv().unlock();
        }
    }

    @Test
    void pin_allAttachmentsPeer2peer_pinsInVram_DBM5() {
        // xe_dma_buf_pin since "drm/xe/dma-buf: Allow pinning of p2p dma-buf": VRAM allowed.
        rig.fx.run(() -> {
            DmaBuf buf = exportOnly(rig, GemPlacement.VRAM_SYSTEM);

            assertThat(attachPinned(buf, rig.importer)).isZero();

            assertThat(rig.exported.isPinned()).isTrue();
            assertThat(rig.exported.inVram()).as("pinned where it is: every importer reaches VRAM").isTrue();
            assertThat(GemEvict.evict(rig.exported, GemEvict.Variant.FAITHFUL)).as("pinned in VRAM")
                    .isEqualTo(Errno.EBUSY.neg());
        });
    }

    @Test
    void pin_vramOnlyObjectAllAttachmentsPeer2peer_pinsInVram_DBM5() {
        rig.fx.run(() -> {
            DmaBuf buf = exportOnly(rig, GemPlacement.VRAM);

            assertThat(attachPinned(buf, rig.importer)).as("no migration needed").isZero();
            assertThat(rig.exported.inVram()).isTrue();
        });
    }

    @Test
    void pin_anAttachmentWithoutPeer2peer_migratesToSystem_DBM5() {
        rig.fx.run(() -> {
            DmaBuf buf = exportOnly(rig, GemPlacement.VRAM_SYSTEM);
            buf.dynamicAttach(new DrmDevice(rig.fx.kernel, "gpu3", false), PINNED_PEER); // p2p cleared at attach

            assertThat(attachPinned(buf, rig.importer)).isZero();

            assertThat(rig.exported.isPinned()).isTrue();
            assertThat(rig.exported.inVram()).as("one importer cannot reach VRAM: pinned in TT").isFalse();
        });
    }

    @Test
    void import_staticImporterOfObjectPinnedInVram_einval_DBM5() {
        // xe_dma_buf_pin: bo pinned outside TT and VRAM not allowed (the static importer has no
        // peer2peer) -> -EINVAL, from dma_buf_pin_on_map at the import's map.
        Rig pinned = new Rig(ImporterDesign.PINNED);
        pinned.fx.run(() -> {
            DmaBuf buf = exportOnly(pinned, GemPlacement.VRAM_SYSTEM);
            assertThat(attachPinned(buf, pinned.importer)).isZero();
            DrmFile f1 = DrmFixture.file(pinned.a, pinned.importer.open(pinned.a, false));
            buf.get(); // the reference the new fd holds
            int fd = buf.fd(pinned.a, false);

            assertThat(f1.primeFdToHandle(pinned.a, fd)).isEqualTo(Errno.EINVAL.neg());
            assertThat(pinned.exported.inVram()).as("the pin in VRAM stands").isTrue();
        });
    }
}
