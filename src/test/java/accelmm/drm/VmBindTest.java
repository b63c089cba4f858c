package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/** VM create/destroy and VM_BIND map/unmap of GEM objects: argument checks, replacement, splits. */
class VmBindTest {

    private static final long VA = 0x200000;

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    @Test
    void vmBind_unknownVm_isEinvalAsInXe() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);

            assertThat(f.vmBindMap(7, bo, 0, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindUserptr(a, 7, 0x10000000L, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindUnmap(7, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void vmBind_unalignedEmptyOrOutsideTheVaSpace_isEinval() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);

            assertThat(f.vmBindMap(vm, bo, 0, VA + 1, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 0, VA, PAGE + 8)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 0, VA, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 16, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 0, GpuVm.VA_SIZE - PAGE, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindUserptr(a, vm, 0x10000010L, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindUnmap(vm, VA, PAGE - 1)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vm(vm).boundPageCount()).isZero();
        });
    }

    @Test
    void vmBind_edgesOfTheVaSpaceAndTheObject_areCheckedAsInXe() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);

            assertThat(f.vmBindMap(vm, bo, 0, GpuVm.VA_SIZE - PAGE, PAGE)).as("last page").isZero();
            assertThat(f.vmBindMap(vm, bo, 0, GpuVm.VA_SIZE, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 0, -PAGE, PAGE)).as("u64 beyond vm->size").isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindUnmap(vm, GpuVm.VA_SIZE - PAGE, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 2 * PAGE, VA, PAGE)).as("offset at the end").isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, -PAGE, VA, PAGE)).as("u64 offset").isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, 9, 0, GpuVm.VA_SIZE, PAGE)).as("the range is checked before the object")
                    .isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vm(vm).boundPageCount()).isEqualTo(1);
        });
    }

    @Test
    void vmBindMap_unknownObject_isEnoent() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();

            assertThat(f.vmBindMap(vm, 5, 0, VA, PAGE)).isEqualTo(Errno.ENOENT.neg());
        });
    }

    @Test
    void vmBindMap_rangeBeyondTheObject_isEinval() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);

            assertThat(f.vmBindMap(vm, bo, PAGE, VA, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, 0, VA, 3 * PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.vmBindMap(vm, bo, PAGE, VA, PAGE)).isZero();
        });
    }

    @Test
    void vmBindMap_withOffset_mapsThatPageOfTheObject() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(3 * PAGE);

            assertThat(f.vmBindMap(vm, bo, 2 * PAGE, VA, PAGE)).isZero();

            assertThat(f.vm(vm).pte(VA).ref()).isEqualTo(f.object(bo).pageRef(2));
            assertThat(f.vm(vm).pte(VA + PAGE)).isNull();
        });
    }

    @Test
    void vmBindMap_overAnExistingMapping_replacesJustTheOverlap() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int first = DrmFixture.boundBo(f, vm, VA, 3);
            int second = f.gemCreate(PAGE);

            assertThat(f.vmBindMap(vm, second, 0, VA + PAGE, PAGE)).isZero();

            GpuVm v = f.vm(vm);
            assertThat(v.pte(VA).ref()).isEqualTo(f.object(first).pageRef(0));
            assertThat(v.pte(VA + PAGE).ref()).isEqualTo(f.object(second).pageRef(0));
            assertThat(v.pte(VA + 2 * PAGE).ref()).isEqualTo(f.object(first).pageRef(2));
        });
    }

    @Test
    void vmBindUnmap_partOfAMapping_splitsIt() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, VA, 3);

            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();

            GpuVm v = f.vm(vm);
            assertThat(v.pte(VA)).isNotNull();
            assertThat(v.pte(VA + PAGE)).isNull();
            assertThat(v.pte(VA + 2 * PAGE).ref()).isEqualTo(f.object(bo).pageRef(2));
            assertThat(f.vmBindUnmap(vm, VA + 8 * PAGE, PAGE)).as("unmap of nothing").isZero();
        });
    }

    @Test
    void vmMapping_keepsObjectAliveAfterGemClose_untilUnbound() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, VA, 2);
            GemObject obj = f.object(bo);

            assertThat(f.gemClose(bo)).isZero();
            assertThat(obj.isFreed()).isFalse();
            assertThat(f.vmBindUnmap(vm, VA, PAGE)).isZero();
            assertThat(obj.isFreed()).isFalse();

            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();
            assertThat(obj.isFreed()).isTrue();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).isZero();
        });
    }

    @Test
    void vmDestroy_unknownVm_isEnoent_andBindAfterDestroy_isEinval() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, VA, 1);

            assertThat(f.vmDestroy(vm + 1)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.vmDestroy(vm)).isZero();
            assertThat(f.vmDestroy(vm)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.vmBindMap(vm, bo, 0, VA, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fx.gpu.liveObjects()).containsExactly("gpu0 gem object 1 (4K) held by handle 1 of gpu0 file 1");
        });
    }

    @Test
    void execQueueCreate_unknownOrDestroyedVm_isEnoent() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();

            assertThat(f.execQueueCreate(a, vm + 1)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.vmDestroy(vm)).isZero();
            assertThat(f.execQueueCreate(a, vm)).isEqualTo(Errno.ENOENT.neg());
        });
    }

    @Test
    void vmDestroy_withQueueLeft_closesVm_execIsEcanceled_queueDestroyFreesIt() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 1);
            int q = f.execQueueCreate(a, vm);
            GpuVm v = f.vm(vm);

            assertThat(f.vmDestroy(vm)).isZero();
            assertThat(v.isClosed()).isTrue();
            assertThat(f.exec(q, new JobSpec.Fill(VA, PAGE, (byte) 1)))
                    .isEqualTo(new Submission.Refused(Errno.ECANCELED.neg()));

            assertThat(f.execQueueDestroy(q)).isZero();
            assertThat(f.execQueueDestroy(q)).isEqualTo(Errno.ENOENT.neg());
            assertThat(fx.gpu.liveObjects()).containsExactly("gpu0 gem object 1 (4K) held by handle 1 of gpu0 file 1");
        });
    }
}
