package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.FootprintLog;
import accelmm.dmabuf.ImporterDesign;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import org.junit.jupiter.api.Test;

/**
 * What DRM steps touch, as the explorer observes it ({@link accelmm.sim.Simulation#observeFootprints}):
 * ioctls on the objects of different files commute; an ioctl and a memory-management event on
 * the same object conflict.
 */
class DrmFootprintTest {

    private static final long VA = 0x100000;
    private static final long DST_VA = 0x200000;

    private final FootprintLog log = new FootprintLog();

    private DrmFixture fixture(Designs designs) {
        DrmFixture fx = new DrmFixture(designs, log, false);
        fx.sim.observeFootprints(true);
        log.follow(fx.gpu.name() + " engine");
        return fx;
    }

    /** One process's file, VM and backed GEM object. */
    private static final class Client {
        DrmFile file;
        int vm;
        int bo;

        static Client of(DrmFixture fx, String name) {
            Client c = new Client();
            c.file = fx.open(fx.process(name));
            c.vm = c.file.vmCreate();
            c.bo = c.file.gemCreate(PAGE);
            c.file.object(c.bo).backedPages(); // the pages exist before the bind
            return c;
        }
    }

    @Test
    void vmBind_objectsOfTwoFiles_commute() {
        DrmFixture fx = fixture(Designs.defaults());
        Client[] c = new Client[2];

        Footprint[] steps = log.run(fx.sim, () -> {
            c[0] = Client.of(fx, "A");
            c[1] = Client.of(fx, "B");
        }, () -> c[0].file.vmBindMap(c[0].vm, c[0].bo, 0, VA, PAGE),
                () -> c[1].file.vmBindMap(c[1].vm, c[1].bo, 0, VA, PAGE));

        assertThat(FootprintLog.conflicts(steps[0], steps[1])).isEmpty();
    }

    @Test
    void gemCreate_inVramByTwoFiles_conflictOnTheAllocator() {
        // drm_buddy_alloc_blocks: which blocks an allocation gets depends on the ones before it.
        DrmFixture fx = fixture(Designs.defaults());
        Client[] c = new Client[2];

        Footprint[] steps = log.run(fx.sim, () -> {
            c[0] = Client.of(fx, "A");
            c[1] = Client.of(fx, "B");
        }, () -> c[0].file.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC),
                () -> c[1].file.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC));

        assertThat(FootprintLog.conflicts(steps[0], steps[1])).anyMatch(conflict -> conflict.startsWith("write vram"));
    }

    @Test
    void vmBind_andGemCloseOfTheSameObject_conflict() {
        // drm_gem_handle_delete drops the handle's reference, which the bind's vm_bo holds too.
        DrmFixture fx = fixture(Designs.defaults());
        Client[] c = new Client[1];

        Footprint[] steps = log.run(fx.sim, () -> c[0] = Client.of(fx, "A"),
                () -> c[0].file.vmBindMap(c[0].vm, c[0].bo, 0, VA, PAGE),
                () -> c[0].file.gemClose(c[0].bo));

        assertThat(steps[0].conflictsWith(steps[1])).isTrue();
    }

    @Test
    void munmap_andGpuCopyFromTheSameUserptr_conflict() {
        // The munmap's invalidation (vma_userptr_invalidate) zaps the userptr's PTEs that the
        // exec revalidates and the engine's copy reads.
        DrmFixture fx = fixture(Designs.of(UserptrDesign.HMM));
        Task[] a = new Task[1];
        long[] p = new long[1];
        DrmFile[] f = new DrmFile[1];
        int[] queue = new int[1];

        Footprint[] steps = log.run(fx.sim, () -> {
            a[0] = fx.process("A");
            f[0] = fx.open(a[0]);
            p[0] = DrmFixture.mmapAnon(a[0], 1);
            DrmFixture.write(a[0], p[0], "userptr");
            int vm = f[0].vmCreate();
            assertThat(f[0].vmBindUserptr(a[0], vm, p[0], VA, PAGE)).isZero();
            DrmFixture.boundBo(f[0], vm, DST_VA, 1);
            queue[0] = f[0].execQueueCreate(a[0], vm);
        }, () -> assertThat(a[0].munmap(p[0], PAGE)).isZero(),
                () -> DrmFixture.execAndWait(f[0], queue[0], new JobSpec.Copy(VA, DST_VA, PAGE)));
        Footprint gpu = log.of(fx.gpu.name() + " engine");

        assertThat(steps[0].conflictsWith(steps[1])).as("munmap vs exec").isTrue();
        assertThat(steps[0].conflictsWith(gpu)).as("munmap vs the engine's copy").isTrue();
    }

    @Test
    void evict_andImportersMapOfTheSameDmaBuf_conflict() {
        // xe_bo_move → dma_buf_move_notify: the importer's invalidate drops the mapping that its
        // revalidation (dma_buf_map_attachment under the same dma_resv) makes again.
        DrmFixture fx = fixture(Designs.of(ImporterDesign.DYNAMIC));
        DrmDevice exporter = new DrmDevice(fx.kernel, "gpu1", true); // peers: the object stays in VRAM
        DrmDevice importer = new DrmDevice(fx.kernel, "gpu2", true);
        GemObject[] objects = new GemObject[2];

        Footprint[] steps = log.run(fx.sim, () -> {
            Task a = fx.process("A");
            int fd0 = exporter.open(a, false);
            DrmFile f0 = DrmFixture.file(a, fd0);
            int bo = f0.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
            objects[0] = f0.object(bo);
            DrmFile f1 = DrmFixture.file(a, importer.open(a, false));
            objects[1] = f1.object(f1.primeFdToHandle(a, f0.primeHandleToFd(a, bo, false, false)));
            assertThat(objects[0].inVram()).isTrue();
        }, () -> assertThat(exporter.evict(objects[0])).isZero(),
                () -> {
                    objects[1].resv().lock();
                    try {
                        assertThat(objects[1].validateImport()).isZero();
                    } finally {
                        objects[1].resv().unlock();
                    }
                });

        assertThat(steps[0].conflictsWith(steps[1])).isTrue();
        assertThat(FootprintLog.conflicts(steps[0], steps[1])).anyMatch(c -> c.contains("prime import"));
    }
}
