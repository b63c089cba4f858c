package accelmm.drm;

import static accelmm.drm.DrmGpuvmSplitMergeTest.A;
import static accelmm.drm.DrmGpuvmSplitMergeTest.B;
import static accelmm.drm.DrmGpuvmSplitMergeTest.M;
import static accelmm.drm.DrmGpuvmSplitMergeTest.N;
import static accelmm.drm.DrmGpuvmSplitMergeTest.va;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code struct drm_gpuvm_bo}: one per (VM, object), found before created, reference counted,
 * and holding the object's mappings in the VM as {@code apply} links and unlinks them.
 */
class GpuvmBoTest {

    private final DrmGpuvm<String> vm = new DrmGpuvm<>("vm", 0, 64);

    @AfterEach
    void invariantsHold() {
        vm.checkInvariants();
    }

    @Test
    void obtain_twice_returnsTheSameVmBoWithTwoReferences() {
        GpuvmBo<String> first = GpuvmBo.obtain(vm, A);
        GpuvmBo<String> second = GpuvmBo.obtain(vm, A);

        assertThat(second).isSameAs(first);
        assertThat(first.refCount()).isEqualTo(2);
        assertThat(vm.vmBos()).containsExactly(first);
    }

    @Test
    void obtain_otherVmOrObject_createsAnother() {
        DrmGpuvm<String> other = new DrmGpuvm<>("other", 0, 64);

        GpuvmBo<String> a = GpuvmBo.obtain(vm, A);
        GpuvmBo<String> b = GpuvmBo.obtain(vm, B);
        GpuvmBo<String> otherA = GpuvmBo.obtain(other, A);

        assertThat(a).isNotSameAs(b).isNotSameAs(otherA);
        assertThat(otherA.vm()).isSameAs(other);
        assertThat(vm.vmBos()).containsExactly(a, b);
    }

    @Test
    void find_noVmBo_returnsNullAndCreatesNothing() {
        assertThat(GpuvmBo.find(vm, A)).isNull();
        assertThat(vm.vmBos()).isEmpty();
    }

    @Test
    void put_lastReference_destroysAndUnregisters() {
        GpuvmBo<String> vmBo = GpuvmBo.obtain(vm, A);
        GpuvmBo.obtain(vm, A);

        assertThat(vmBo.put()).isFalse();
        assertThat(vmBo.put()).isTrue();

        assertThat(vmBo.isDestroyed()).isTrue();
        assertThat(GpuvmBo.find(vm, A)).isNull();
        assertThat(GpuvmBo.obtain(vm, A)).isNotSameAs(vmBo);
    }

    @Test
    void getOrPut_afterDestroy_isRefcountBug() {
        GpuvmBo<String> vmBo = GpuvmBo.obtain(vm, A);
        vmBo.put();

        assertThatThrownBy(vmBo::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(vmBo::put).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void applyMap_linksMappingsInLinkOrder_oneReferenceEach() {
        vm.apply(vm.smMap(8, 4, A, N));
        vm.apply(vm.smMap(0, 4, A, M));

        GpuvmBo<String> vmBo = vm.vmBos().get(0);
        assertThat(vmBo.vas()).containsExactly(va(8, 4, A, N), va(0, 4, A, M));
        assertThat(vmBo.refCount()).isEqualTo(2);
    }

    @Test
    void applyRemap_GV11_relinksPiecesToOldObjectsVmBo() {
        vm.apply(vm.smMap(0, 3, A, N));

        vm.apply(vm.smMap(1, 1, B, M));

        GpuvmBo<String> a = GpuvmBo.find(vm, A);
        GpuvmBo<String> b = GpuvmBo.find(vm, B);
        assertThat(a.vas()).containsExactly(va(0, 1, A, N), va(2, 1, A, N + 2));
        assertThat(b.vas()).containsExactly(va(1, 1, B, M));
        assertThat(a.refCount()).isEqualTo(3); // two mappings and the find above
        assertThat(b.refCount()).isEqualTo(2);
    }

    @Test
    void applyUnmap_lastMappingOfObject_destroysItsVmBo() {
        vm.apply(vm.smMap(0, 2, A, N));
        vm.apply(vm.smMap(4, 2, A, N + 4));
        GpuvmBo<String> vmBo = vm.vmBos().get(0);

        vm.apply(vm.smUnmap(0, 8));

        assertThat(vmBo.isDestroyed()).isTrue();
        assertThat(vm.vmBos()).isEmpty();
    }

    @Test
    void applyMap_GV03_replacedObjectLosesItsVmBo() {
        vm.apply(vm.smMap(0, 2, A, N));

        vm.apply(vm.smMap(0, 2, B, N));

        assertThat(vm.vmBos()).extracting(GpuvmBo::obj).containsExactly(B);
    }

    @Test
    void applyUnmap_vmBoHeldByCaller_survivesUntilPut() {
        GpuvmBo<String> held = GpuvmBo.obtain(vm, A);
        vm.apply(vm.smMap(0, 2, A, N));

        vm.apply(vm.smUnmap(0, 2));

        assertThat(held.isDestroyed()).isFalse();
        assertThat(held.vas()).isEmpty();
        assertThat(held.put()).isTrue();
        assertThat(vm.vmBos()).isEmpty();
    }

    @Test
    void applyMap_sparseMapping_hasNoVmBo() {
        vm.apply(vm.smMap(0, 2, null, 0));

        assertThat(vm.vmBos()).isEmpty();
        assertThat(vm.vas()).containsExactly(va(0, 2, null, 0));
    }

    @Test
    void obtain_nullObject_isCallerBug() {
        assertThatThrownBy(() -> GpuvmBo.obtain(vm, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
