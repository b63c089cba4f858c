package accelmm.debug;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.debug.XeEudebugResources.Type;
import accelmm.drm.DrmFile;
import accelmm.drm.GpuVm;
import accelmm.mm.Task;
import accelmm.sim.Shared;
import org.junit.jupiter.api.Test;

/**
 * The per-connection handle tables ({@code struct xe_eudebug_resources}): one xarray with
 * {@code XA_FLAGS_ALLOC1} per resource type, filled by {@code xa_alloc}, keyed by the object.
 */
class XeEudebugResourcesTest {

    private final EudebugFixture fx = new EudebugFixture();
    private final Task a = fx.process("A");

    /** EUD-04: every type's first handle is 1 (XA_FLAGS_ALLOC1), independently of the others. */
    @Test
    void eud04_add_firstOfEachType_handleOne() {
        fx.run(() -> {
            DrmFile file = fx.open(a);
            GpuVm vm = file.vm(file.vmCreate());
            XeEudebugResources res = new XeEudebugResources(Shared.NONE);

            assertThat(res.add(Type.CLIENT, file)).isEqualTo(1);
            assertThat(res.add(Type.VM, vm)).isEqualTo(1);
            assertThat(res.lookup(Type.VM, GpuVm.class, 1)).isSameAs(vm);
            assertThat(res.lookup(Type.CLIENT, DrmFile.class, 1)).isSameAs(file);
        });
    }

    /** EUD-04: an object that already has a handle gets none again (-EEXIST, no event). */
    @Test
    void eud04_add_objectAlreadyHasHandle_zero() {
        fx.run(() -> {
            DrmFile file = fx.open(a);
            XeEudebugResources res = new XeEudebugResources(Shared.NONE);
            res.add(Type.CLIENT, file);

            assertThat(res.add(Type.CLIENT, file)).isZero();
            assertThat(res.count(Type.CLIENT)).isEqualTo(1);
        });
    }

    /** EUD-04: a removed handle names nothing, and xa_alloc gives the lowest free handle again. */
    @Test
    void eud04_remove_handleFreed_lookupNullAndReused() {
        fx.run(() -> {
            DrmFile file = fx.open(a);
            GpuVm vm1 = file.vm(file.vmCreate());
            GpuVm vm2 = file.vm(file.vmCreate());
            GpuVm vm3 = file.vm(file.vmCreate());
            XeEudebugResources res = new XeEudebugResources(Shared.NONE);
            res.add(Type.VM, vm1);
            res.add(Type.VM, vm2);

            assertThat(res.remove(Type.VM, vm1)).isEqualTo(1);
            assertThat(res.lookup(Type.VM, GpuVm.class, 1)).isNull();
            assertThat(res.find(Type.VM, vm1)).isZero();
            assertThat(res.add(Type.VM, vm3)).isEqualTo(1);
        });
    }

    /** EUD-04: removing an object without a handle is -ENOENT, which the driver ignores. */
    @Test
    void eud04_remove_noHandle_zero() {
        fx.run(() -> {
            DrmFile file = fx.open(a);
            XeEudebugResources res = new XeEudebugResources(Shared.NONE);

            assertThat(res.remove(Type.CLIENT, file)).isZero();
        });
    }

    /** EUD-08 relies on it: a handle number never handed out (0, negative, huge) names nothing. */
    @Test
    void eud04_lookup_unknownHandle_null() {
        XeEudebugResources res = new XeEudebugResources(Shared.NONE);

        assertThat(res.lookup(Type.VM, GpuVm.class, 0)).isNull();
        assertThat(res.lookup(Type.VM, GpuVm.class, -1)).isNull();
        assertThat(res.lookup(Type.VM, GpuVm.class, 1L << 40)).isNull();
    }
}
