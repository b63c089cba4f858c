package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.mm.Errno;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory types of GEM objects: the PTE TTM's fault handler installs ({@code ttm_bo_vm_fault} →
 * {@code vmf_insert_pfn_prot} with {@code ttm_io_prot}), the type the object's frames have of
 * their own, and the map info its PRIME export states (the never-merged {@code
 * DMA_BUF_IOCTL_INFO}, KERNEL-SEMANTICS DBI-02).
 */
class GemCacheModeTest {

    private final DrmFixture fx = new DrmFixture(Designs.of(UserptrDesign.HMM));
    private final Task a = fx.process("A");
    /** An integrated GPU: no VRAM, so {@code xe_ttm_tt_create} applies the object's caching. */
    private final DrmDevice igpu = new DrmDevice(fx.kernel, "igpu0", 0);

    /** One page of a new object of {@code dev}, written through a GEM mmap: the PTE the fault installed. */
    private Pte faultedPte(DrmDevice dev, GemPlacement placement, GemCaching caching) {
        int fd = dev.open(a, false);
        DrmFile f = DrmFixture.file(a, fd);
        long cpu = DrmFixture.mmapBo(a, fd, f, f.gemCreate(PAGE, placement, caching), 1);
        DrmFixture.write(a, cpu, "x");
        return a.mm().pageTable().lookup(cpu);
    }

    /**
     * One page of a new VRAM-capable (so WC) object of the discrete GPU, written through a GEM mmap while
     * in VRAM (the PTE WC), evicted and read again: the PTE the refault installed.
     */
    private Pte refaultedAfterEviction() {
        int fd = fx.gpu.open(a, false);
        DrmFile f = DrmFixture.file(a, fd);
        int bo = f.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
        long cpu = DrmFixture.mmapBo(a, fd, f, bo, 1);
        DrmFixture.write(a, cpu, "moved");
        assertThat(a.mm().pageTable().lookup(cpu).cacheMode()).isEqualTo(PageCacheMode.WC);

        assertThat(fx.gpu.evict(f.object(bo))).isZero();
        assertThat(DrmFixture.read(a, cpu, 5)).isEqualTo("moved");

        Pte pte = a.mm().pageTable().lookup(cpu);
        assertThat(pte.frame().zone().device()).isFalse();
        return pte;
    }

    /**
     * {@code ttm_bo_mmap_obj} leaves {@code vm_page_prot} at its cacheable default and chooses
     * each PTE's caching at fault time: a VRAM object's VMA is write-back while its PTE is WC
     * (what arm64's {@code kvm_vma_is_cacheable} reads is the VMA's).
     */
    @Test
    void gemMmap_ttm_vmPageProtCacheable() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(a, fd, f, bo, 1);
            DrmFixture.write(a, cpu, "x");

            assertThat(a.mm().findVma(cpu).pageProt()).isEqualTo(PageCacheMode.WB);
            assertThat(a.mm().pageTable().lookup(cpu).cacheMode()).isEqualTo(PageCacheMode.WC);
        });
    }

    /**
     * {@code xe_ttm_tt_create} on an integrated device: DRM_XE_GEM_CPU_CACHING_WC →
     * ttm_write_combined, mapped WC.
     */
    @Test
    void gemFault_integratedWcSystemObject_insertsWcPte() {
        fx.run(() -> {
            Pte pte = faultedPte(igpu, GemPlacement.SYSTEM, GemCaching.WC);

            assertThat(pte.cacheMode()).isEqualTo(PageCacheMode.WC);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.WC);
            assertThat(((GemObject) pte.frame().cacheModeOwner()).page(0)).isSameAs(pte.frame());
        });
    }

    @Test
    void gemFault_wbSystemObject_insertsWbPte() {
        fx.run(() -> {
            Pte pte = faultedPte(fx.gpu, GemPlacement.SYSTEM, GemCaching.WB);

            assertThat(pte.cacheMode()).isEqualTo(PageCacheMode.WB);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.WB);
        });
    }

    /** VRAM is mapped WC: the BAR's type ({@code xe_ttm_io_mem_reserve}; x86's PAT lookup). */
    @Test
    void gemFault_vramObject_insertsWcPte() {
        fx.run(() -> {
            Pte pte = faultedPte(fx.gpu, GemPlacement.VRAM, GemCaching.WC);

            assertThat(pte.frame().zone().device()).isTrue();
            assertThat(pte.cacheMode()).isEqualTo(PageCacheMode.WC);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.WC);
        });
    }

    /**
     * {@code xe_ttm_tt_create} applies {@code cpu_caching} only {@code if (!IS_DGFX(xe))}: on a
     * device with VRAM the system pages of an object are WB ({@code ttm_cached}) even when it
     * asked for WC, and {@code ttm_io_prot} maps them so.
     */
    @Test
    void gemFault_dgfxSystemPlacementWc_insertsWbPte() {
        fx.run(() -> {
            Pte pte = refaultedAfterEviction();

            assertThat(pte.cacheMode()).isEqualTo(PageCacheMode.WB);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.WB);
        });
    }

    @Test
    void gemFault_dgfxWcSystemObject_insertsWbPte() {
        fx.run(() -> {
            Pte pte = faultedPte(fx.gpu, GemPlacement.SYSTEM, GemCaching.WC);

            assertThat(pte.cacheMode()).isEqualTo(PageCacheMode.WB);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.WB);
        });
    }


    /** TTM's pool sets a page back to WB before the page allocator gets it ({@code ttm_pool_free_page}). */
    @Test
    void frameCacheMode_afterFree_isWb() {
        fx.run(() -> {
            int fd = igpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE, GemPlacement.SYSTEM, GemCaching.WC);
            PageFrame frame = f.object(bo).page(0);
            assertThat(frame.cacheMode()).isEqualTo(PageCacheMode.WC);

            assertThat(f.gemClose(bo)).isZero();

            assertThat(frame.isFree()).isTrue();
            assertThat(frame.cacheMode()).isEqualTo(PageCacheMode.WB);
            assertThat(frame.cacheModeOwner()).isNull();
        });
    }

    private DmaBuf exported(DrmFile f, int bo) {
        return DmaBuf.ofFile(a.files().lookup(f.primeHandleToFd(a, bo, false, false)));
    }

    private DmaBufMapInfo infoOf(GemPlacement placement, GemCaching caching) {
        int fd = fx.gpu.open(a, false);
        return infoOf(fd, placement, caching);
    }

    private DmaBufMapInfo infoOf(int fd, GemPlacement placement, GemCaching caching) {
        DrmFile f = DrmFixture.file(a, fd);
        DmaBuf.Info info = exported(f, f.gemCreate(PAGE, placement, caching)).ioctlInfo();
        assertThat(info.errno()).isZero();
        return info.mapInfo();
    }

    /** DBI-02: a write-combined object (of an integrated device) is coherent through WC mappings. */
    @Test
    void dmaBufInfo_wcObject_coherentWc() {
        fx.run(() -> assertThat(infoOf(igpu.open(a, false), GemPlacement.SYSTEM, GemCaching.WC))
                .isEqualTo(DmaBufMapInfo.COHERENT_WC));
    }

    @Test
    void dmaBufInfo_wbSystemObject_coherentCached() {
        fx.run(() -> assertThat(infoOf(GemPlacement.SYSTEM, GemCaching.WB))
                .isEqualTo(DmaBufMapInfo.COHERENT_CACHED));
    }

    /** v2 has no uncached value: an uncached object is stated INCOHERENT (the model's choice). */
    @Test
    void dmaBufInfo_ucObject_incoherent() {
        fx.run(() -> assertThat(infoOf(GemPlacement.SYSTEM, GemCaching.UC)).isEqualTo(DmaBufMapInfo.INCOHERENT));
    }

    /** An object that may live in VRAM is WC (xe accepts no other caching for it), mapped WC there. */
    @Test
    void dmaBufInfo_vramCapableObject_coherentWc() {
        fx.run(() -> assertThat(infoOf(GemPlacement.VRAM_SYSTEM, GemCaching.WC))
                .isEqualTo(DmaBufMapInfo.COHERENT_WC));
    }

    /**
     * TE-6: {@code xe_gem_create_ioctl} refuses a placement that includes VRAM with any caching
     * but WC, before it allocates anything.
     */
    @Test
    void gemCreate_vramPlacementWithoutWc_isEinvalAndAllocatesNothing_TE6() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long free = fx.gpu.vramAvailableBytes();
            for (GemPlacement placement : List.of(GemPlacement.VRAM, GemPlacement.VRAM_SYSTEM)) {
                for (GemCaching caching : List.of(GemCaching.WB, GemCaching.UC)) {
                    assertThat(f.gemCreate(PAGE, placement, caching)).as("%s %s", placement, caching)
                            .isEqualTo(Errno.EINVAL.neg());
                }
                assertThat(f.gemCreate(PAGE, placement, GemCaching.WC)).as("%s wc", placement).isPositive();
            }
            assertThat(fx.gpu.vramAvailableBytes()).isEqualTo(free - 2 * PAGE);
            assertThat(f.gemCreate(PAGE, GemPlacement.SYSTEM, GemCaching.WB)).isPositive();
            assertThat(GemCaching.defaultFor(GemPlacement.VRAM)).isEqualTo(GemCaching.WC);
            assertThat(GemCaching.defaultFor(GemPlacement.SYSTEM)).isEqualTo(GemCaching.WB);
        });
    }

    /**
     * DBI-02 fixes the value at export, and DBI-03 objects to it: eviction leaves the value as
     * it was, and it stops describing the memory once a dGPU's object moves to system memory,
     * whose pages are WB ({@code xe_ttm_tt_create} on {@code IS_DGFX}) while the info says WC.
     */
    @Test
    void dmaBufInfo_vramSystemObjectAfterEviction_infoNoLongerMatchesFrames() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
            DmaBuf buf = exported(f, bo);
            assertThat(f.object(bo).page(0).cacheMode()).isEqualTo(PageCacheMode.WC);

            assertThat(fx.gpu.evict(f.object(bo))).isZero();

            assertThat(f.object(bo).inVram()).isFalse();
            assertThat(buf.ioctlInfo()).isEqualTo(new DmaBuf.Info(0, DmaBufMapInfo.COHERENT_WC));
            assertThat(f.object(bo).page(0).cacheMode()).isEqualTo(PageCacheMode.WB);
        });
    }
}
