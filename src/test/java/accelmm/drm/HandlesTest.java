package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;

/**
 * ID numbering under both {@link HandlesDesign}s, and the errno of an ioctl that names an
 * object of another file: per-file, such an ID is simply unknown.
 */
class HandlesTest {

    private static final long VA = 0x200000;

    private final DrmFixture perFile = new DrmFixture(Designs.of(HandlesDesign.PER_FILE));
    private final DrmFixture global = new DrmFixture(Designs.of(HandlesDesign.DEVICE_GLOBAL));

    @Test
    void gemCreate_perFile_lowestFreeHandleFromOneInEachFile() {
        Task a = perFile.process("A");
        perFile.run(() -> {
            DrmFile f1 = perFile.open(a);
            DrmFile f2 = perFile.open(a);

            assertThat(f1.gemCreate(PAGE)).isEqualTo(1);
            assertThat(f1.gemCreate(PAGE)).isEqualTo(2);
            assertThat(f2.gemCreate(PAGE)).isEqualTo(1);
            assertThat(f1.gemClose(1)).isZero();
            assertThat(f1.gemCreate(PAGE)).as("the lowest free handle is reused").isEqualTo(1);
            assertThat(f1.gemCreate(PAGE)).isEqualTo(3);
        });
    }

    @Test
    void gemCreate_deviceGlobal_filesShareOneNumberSpace() {
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            DrmFile fa = global.open(a);
            DrmFile fb = global.open(b);

            assertThat(fa.gemCreate(PAGE)).isEqualTo(1);
            assertThat(fb.gemCreate(PAGE)).isEqualTo(2);
            assertThat(fa.gemCreate(PAGE)).isEqualTo(3);
            assertThat(fb.object(1)).as("B's lookup of 1 finds A's object").isSameAs(fa.object(1));
        });
    }

    @Test
    void vmAndQueueCreate_deviceGlobal_shareNumbersAcrossFiles() {
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            DrmFile fa = global.open(a);
            DrmFile fb = global.open(b);

            assertThat(fa.vmCreate()).isEqualTo(1);
            assertThat(fb.vmCreate()).isEqualTo(2);
            assertThat(fb.execQueueCreate(b, 2)).isEqualTo(1);
            assertThat(fa.execQueueCreate(a, 1)).isEqualTo(2);
        });
    }

    @Test
    void gemClose_deviceGlobal_freedNumberIsReusedByAnotherFile() {
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            DrmFile fa = global.open(a);
            DrmFile fb = global.open(b);
            assertThat(fa.gemCreate(PAGE)).isEqualTo(1);
            assertThat(fb.gemCreate(PAGE)).isEqualTo(2);

            assertThat(fa.gemClose(1)).isZero();

            assertThat(fb.gemCreate(2 * PAGE)).isEqualTo(1);
            assertThat(fa.object(1).sizeBytes()).as("A's number 1 now names B's new object").isEqualTo(2 * PAGE);
        });
    }

    @Test
    void gemClose_deviceGlobal_anotherFilesHandle_succeedsAndItsOwnerLosesIt() {
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            DrmFile fa = global.open(a);
            DrmFile fb = global.open(b);
            int bo = fa.gemCreate(PAGE);
            GemObject obj = fa.object(bo);

            assertThat(fb.gemClose(bo)).as("nothing stops B without the checker").isZero();

            assertThat(obj.isFreed()).isTrue();
            assertThat(fa.gemClose(bo)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void close_deviceGlobal_dropsOnlyTheIdsTheFileAllocated() {
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            int fdA = global.gpu.open(a, false);
            DrmFile fa = DrmFixture.file(a, fdA);
            DrmFile fb = global.open(b);
            fa.gemCreate(PAGE);
            int bBo = fb.gemCreate(PAGE);
            int bVm = fb.vmCreate();

            assertThat(a.close(fdA)).isZero();

            assertThat(fb.object(bBo).isFreed()).isFalse();
            assertThat(fb.vm(bVm).isClosed()).isFalse();
            assertThat(global.gpu.liveObjects()).containsExactly(
                    "gpu0 gem object 2 (4K) held by handle 2 of gpu0 file 2",
                    "gpu0 vm 1 held by vm id 1 of gpu0 file 2");
        });
    }

    @Test
    void ioctls_perFile_anotherFilesIds_areUnknownWithEachIoctlsErrno() {
        Task a = perFile.process("A");
        Task b = perFile.process("B");
        perFile.run(() -> {
            DrmFile fa = perFile.open(a);
            DrmFile fb = perFile.open(b);
            int vm = fa.vmCreate();
            int bo = DrmFixture.boundBo(fa, vm, VA, 1);
            int q = fa.execQueueCreate(a, vm);
            int bVm = fb.vmCreate() + 1; // B has a VM 1 of its own; A's VM is not B's 2

            assertThat(fb.gemClose(bo)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fb.gemMmapOffset(bo)).isEqualTo(Errno.ENOENT.neg());
            assertThat(fb.vmBindMap(1, bo, 0, VA, PAGE)).as("unknown object").isEqualTo(Errno.ENOENT.neg());
            assertThat(fb.vmBindMap(bVm, 1, 0, VA, PAGE)).as("unknown VM").isEqualTo(Errno.EINVAL.neg());
            assertThat(fb.vmDestroy(bVm)).isEqualTo(Errno.ENOENT.neg());
            assertThat(fb.execQueueCreate(b, bVm)).isEqualTo(Errno.ENOENT.neg());
            assertThat(fb.exec(q, new JobSpec.Fill(VA, PAGE, (byte) 1)))
                    .isEqualTo(new Submission.Refused(Errno.ENOENT.neg()));
            assertThat(fb.execQueueDestroy(q)).isEqualTo(Errno.ENOENT.neg());
            assertThat(fa.object(bo).isFreed()).isFalse();
            assertThat(fa.vm(vm).isClosed()).isFalse();
        });
    }

    @Test
    void gemClose_twice_isEinvalTheSecondTime() {
        Task a = global.process("A");
        global.run(() -> {
            DrmFile f = global.open(a);
            int bo = f.gemCreate(PAGE);

            assertThat(f.gemClose(bo)).isZero();
            assertThat(f.gemClose(bo)).isEqualTo(Errno.EINVAL.neg());
        });
    }
}
