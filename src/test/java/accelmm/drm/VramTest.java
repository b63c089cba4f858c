package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/** VRAM: placement of GEM objects, fallback, exhaustion, freeing, CPU mmap of device frames (eviction to make room: {@link EvictWalkTest}). */
class VramTest {

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    @Test
    void device_defaultVram_is256MAllFree() {
        assertThat(fx.gpu.vramSizeBytes()).isEqualTo(256L << 20);
        assertThat(fx.gpu.vramAvailableBytes()).isEqualTo(256L << 20);
    }

    @Test
    void gemCreate_vramPlacement_livesInDeviceFramesAndTakesBuddySpace() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int h = f.gemCreate(4L * PAGE, GemPlacement.VRAM, GemCaching.WC);

            GemObject bo = f.object(h);
            assertThat(bo.inVram()).isTrue();
            assertThat(bo.placement()).isEqualTo(GemPlacement.VRAM);
            assertThat(bo.caching()).isEqualTo(GemCaching.WC);
            for (int i = 0; i < 4; i++) {
                assertThat(bo.page(i).zone().device()).isTrue();
                assertThat(bo.page(i).zone().name()).isEqualTo("gpu0 vram");
            }
            assertThat(fx.gpu.vramAvailableBytes()).isEqualTo((256L << 20) - 4L * PAGE);
        });
    }

    /** Allocation is accounting (the buddy's blocks); a page gets its frame when first touched. */
    @Test
    void gemCreate_backsNoPageUntilOneIsTouched_butTakesItsVramAtOnce() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            GemObject inVram = f.object(f.gemCreate(64L * PAGE, GemPlacement.VRAM, GemCaching.WC));
            GemObject inSystem = f.object(f.gemCreate(4L << 30));

            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("frames").isZero();
            assertThat(fx.gpu.vramAvailableBytes()).isEqualTo((256L << 20) - 64L * PAGE);

            assertThat(inVram.page(5).zone().device()).isTrue();
            assertThat(inSystem.page(1 << 19).zone().device()).isFalse();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("frames").isEqualTo(2);
            assertThat(inSystem.page(1 << 19)).as("the same frame again").isSameAs(inSystem.page(1 << 19));
        });
    }

    @Test
    void gemCreate_systemPlacement_usesNoVram() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            GemObject bo = f.object(f.gemCreate(2L * PAGE));

            assertThat(bo.inVram()).isFalse();
            assertThat(bo.page(0).zone().device()).isFalse();
            assertThat(bo.caching()).isEqualTo(GemCaching.WB);
            assertThat(fx.gpu.vramAvailableBytes()).isEqualTo(256L << 20);
        });
    }

    @Test
    void gemCreate_vramOnlyBeyondFreeVram_nothingEvictable_isEnospcAndLeavesNothing() {
        DrmDevice small = new DrmDevice(fx.kernel, "gpu1", 4L * PAGE);
        fx.run(() -> {
            DrmFile f = DrmFixture.file(a, small.open(a, false));
            f.object(f.gemCreate(3L * PAGE, GemPlacement.VRAM, GemCaching.WC)).pin();

            assertThat(f.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC)).isEqualTo(Errno.ENOSPC.neg());
            assertThat(small.vramAvailableBytes()).isEqualTo(PAGE);
            assertThat(small.liveObjects()).hasSize(1);
        });
    }

    @Test
    void gemCreate_vramSystemWhenNothingCanBeEvicted_fallsBackToSystem() {
        DrmDevice small = new DrmDevice(fx.kernel, "gpu1", 2L * PAGE);
        fx.run(() -> {
            DrmFile f = DrmFixture.file(a, small.open(a, false));
            GemObject first = f.object(f.gemCreate(2L * PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC));
            first.pin();
            GemObject second = f.object(f.gemCreate(2L * PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC));

            assertThat(first.inVram()).isTrue();
            assertThat(second.inVram()).isFalse();
            assertThat(second.page(0).zone().device()).isFalse();
        });
    }

    @Test
    void gemCreate_vramOnDeviceWithoutVram_isEinval() {
        DrmDevice none = new DrmDevice(fx.kernel, "gpu1", 0);
        fx.run(() -> {
            DrmFile f = DrmFixture.file(a, none.open(a, false));

            assertThat(f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemCreate(PAGE, GemPlacement.SYSTEM, GemCaching.WB)).isPositive();
        });
    }

    @Test
    void gemClose_lastReference_freesBuddyBlocksAndFrames() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int h = f.gemCreate(3L * PAGE, GemPlacement.VRAM, GemCaching.WC);
            GemObject bo = f.object(h);
            PageFrame frame = bo.page(0);

            assertThat(f.gemClose(h)).isZero();

            assertThat(bo.isFreed()).isTrue();
            assertThat(frame.isFree()).isTrue();
            assertThat(fx.gpu.vramAvailableBytes()).isEqualTo(fx.gpu.vramSizeBytes());
        });
    }

    @Test
    void freedVram_isReusedByTheNextVramObject() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int h = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            PageFrame frame = f.object(h).page(0);
            long generation = frame.generation();
            f.gemClose(h);

            GemObject next = f.object(f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC));

            assertThat(next.page(0)).isSameAs(frame);
            assertThat(frame.generation()).isGreaterThan(generation);
        });
    }

    @Test
    void cpuMmap_ofVramObject_mapsDeviceFramesThroughTheFaultHandler() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int h = f.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(a, fd, f, h, 2);

            DrmFixture.write(a, cpu + PAGE + 3, "in vram");

            Pte pte = a.mm().pageTable().lookup(cpu + PAGE);
            assertThat(pte.special()).isTrue();
            assertThat(pte.frame()).isSameAs(f.object(h).page(1));
            assertThat(fx.boContents(f.object(h), 1, 10)).isEqualTo("\0\0\0in vram");
        });
    }

    @Test
    void exit_everyProcess_leavesVramFullyFree() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int h = f.gemCreate(4L * PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
            assertThat(f.vmBindMap(vm, h, 0, 0x100000, 4L * PAGE)).isZero();
            DrmFixture.mmapBo(a, fd, f, h, 4);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(0x100000, 4L * PAGE, (byte) 1));
            assertThat(fx.gpu.evict(f.object(h))).isZero();
            f.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC);

            a.exit();
        });

        fx.assertNothingLeft();
        assertThat(fx.gpu.vramAvailableBytes()).isEqualTo(fx.gpu.vramSizeBytes());
    }
}
