package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/**
 * DCD-05: {@code DRM_XE_VM_BIND_FLAG_DUMPABLE} marks a mapping {@code XE_VMA_DUMPABLE}
 * ({@code vm_bind_ioctl_ops_create}), and the remap op of {@code vm_bind_ioctl_ops_parse} copies
 * the flag to the pieces a split leaves, so it follows the mapping until it is replaced or unbound.
 */
class DumpableBindTest {

    private static final long VA = 0x200000;

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    @Test
    void dcd05_bindWithoutTheFlag_isNotDumpable() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);

            assertThat(f.vmBindMap(vm, bo, 0, VA, 2 * PAGE)).isZero();
            assertThat(f.vm(vm).isDumpable(VA)).isFalse();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).isFalse();
        });
    }

    @Test
    void dcd05_dumpableMapSplitByAnUnbind_keepsTheFlagOnBothPieces() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(3 * PAGE);

            assertThat(f.vmBindMap(vm, bo, 0, VA, 3 * PAGE, true)).isZero();
            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();

            assertThat(f.vm(vm).isDumpable(VA)).as("prev piece").isTrue();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).as("unbound").isFalse();
            assertThat(f.vm(vm).isDumpable(VA + 2 * PAGE)).as("next piece").isTrue();
        });
    }

    @Test
    void dcd05_plainBindOverADumpableOne_replacesTheFlagOnlyWhereItMaps() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);
            int other = f.gemCreate(PAGE);

            assertThat(f.vmBindMap(vm, bo, 0, VA, 2 * PAGE, true)).isZero();
            assertThat(f.vmBindMap(vm, other, 0, VA + PAGE, PAGE)).isZero();

            assertThat(f.vm(vm).isDumpable(VA)).isTrue();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).isFalse();
            assertThat(f.vmBindMap(vm, other, 0, VA + PAGE, PAGE, true)).isZero();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).as("dumpable again").isTrue();
        });
    }

    @Test
    void dcd05_dumpableUserptr_isDumpableUntilUnbound() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 2);

            assertThat(f.vmBindUserptr(a, vm, p, VA, 2 * PAGE, true)).isZero();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).isTrue();
            assertThat(f.vmBindUnmap(vm, VA, 2 * PAGE)).isZero();
            assertThat(f.vm(vm).isDumpable(VA)).isFalse();
            assertThat(f.vm(vm).isDumpable(VA + PAGE)).isFalse();
        });
    }

    @Test
    void dcd05_failedDumpableBind_leavesNoFlag() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();

            assertThat(f.vmBindUserptr(a, vm, 0x7000_0000_0000L, VA, PAGE, true)).isNegative();
            assertThat(f.vm(vm).isDumpable(VA)).isFalse();
        });
    }
}
