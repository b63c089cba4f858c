package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What ioctls report to {@link HandleLookupObserver}s: each object found by ID, and whether the caller obtained it. */
class LookupObserverTest {

    private static final long VA = 0x200000;

    private final List<String> seen = new ArrayList<>();

    private DrmFixture fixture(HandlesDesign design) {
        DrmFixture fx = new DrmFixture(Designs.of(design));
        fx.gpu.addLookupObserver((caller, object, obtained, ioctl) -> seen.add(
                ioctl + ": " + caller + " -> " + object.label() + (obtained ? " obtained" : " NOT obtained")));
        return fx;
    }

    @Test
    void gemClose_ownHandle_reportedAsObtainedWithTheIoctlName() {
        DrmFixture fx = fixture(HandlesDesign.PER_FILE);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);

            f.gemClose(f.gemCreate(PAGE));

            assertThat(seen).containsExactly("gem_close: gpu0 file 1 -> gem object 1 (4K) obtained");
        });
    }

    @Test
    void ioctls_unknownIds_reportNothing() {
        DrmFixture fx = fixture(HandlesDesign.PER_FILE);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);

            f.gemClose(7);
            f.vmDestroy(7);
            f.gemMmapOffset(7);
            f.execQueueCreate(a, 7);

            assertThat(seen).isEmpty();
        });
    }

    @Test
    void vmBindAndExec_reportEveryObjectTheyLookUp_vmBeforeObject() {
        DrmFixture fx = fixture(HandlesDesign.PER_FILE);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 1);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(VA, PAGE, (byte) 1));

            assertThat(seen).containsExactly(
                    "vm_bind: gpu0 file 1 -> vm 1 obtained",
                    "vm_bind: gpu0 file 1 -> gem object 1 (4K) obtained",
                    "exec_queue_create: gpu0 file 1 -> vm 1 obtained",
                    "exec: gpu0 file 1 -> exec queue 1 obtained");
        });
    }

    @Test
    void gemMmapOffset_deviceGlobal_anotherFilesObject_reportedAsNotObtained() {
        DrmFixture fx = fixture(HandlesDesign.DEVICE_GLOBAL);
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            DrmFile fb = fx.open(b);
            int bo = fa.gemCreate(PAGE);

            fb.gemMmapOffset(bo);

            assertThat(seen).containsExactly("gem_mmap_offset: gpu0 file 2 -> gem object 1 (4K) NOT obtained");
            assertThat(fb.obtained(fa.object(bo))).isFalse();
        });
    }

    @Test
    void gemClose_deviceGlobal_fileSharedByFork_reportedAsObtained() {
        DrmFixture fx = fixture(HandlesDesign.DEVICE_GLOBAL);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE);
            Task child = a.fork("child");

            DrmFixture.file(child, fd).gemClose(bo);

            assertThat(seen).containsExactly("gem_close: gpu0 file 1 -> gem object 1 (4K) obtained");
        });
    }

    @Test
    void handleCreate_import_makesTheObjectObtainedByTheImporter() {
        DrmFixture fx = fixture(HandlesDesign.DEVICE_GLOBAL);
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            DrmFile fb = fx.open(b);
            int bo = fa.gemCreate(PAGE);
            GemObject obj = fa.object(bo);
            obj.get();
            int imported = fb.handleCreate(obj);

            fb.gemMmapOffset(bo);

            assertThat(imported).isEqualTo(2);
            assertThat(seen).containsExactly("gem_mmap_offset: gpu0 file 2 -> gem object 1 (4K) obtained");
        });
    }
}
