package accelmm.drm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Models the part of {@code struct drm_exec} a VM_BIND needs: the reservation locks of every GEM
 * object a request maps or unmaps, taken together before the request changes anything and
 * dropped together afterwards ({@code drm_exec_lock_obj} in a {@code drm_exec_until_all_locked}
 * loop, {@code drm_exec_fini}).
 *
 * <p>Holding an object's reservation lock is what keeps memory management from moving it: TTM
 * evicts an object under its reservation lock, so a bind that holds the lock sees the object
 * either before or after a move, never in the middle of one, and an eviction sees the object's
 * mappings as one bind or the next left them.
 *
 * <p>The kernel locks {@code ww_mutex}es under one acquire context in any order; a context that
 * finds a lock held by an older one backs off ({@code -EDEADLK}), drops everything and starts
 * over. The model takes the locks in serial-number order, so it never needs to back off.
 * Serial numbers are per device, which is enough: a request locks objects of one device only
 * (those its VM maps; an object imported from another device is an object of this one), so
 * within each device there is one order, in which no two holders can wait for each other, and
 * no holder mixes devices. Lockdep sees the nested locks as subclasses of {@code dma_resv},
 * where the kernel names the acquire context as their nest lock.
 */
final class DrmExec {

    private final List<GemObject> locked;

    private DrmExec(List<GemObject> locked) {
        this.locked = locked;
    }

    /**
     * Locks the reservation of each distinct object of {@code objects}, all of one device, in
     * serial-number order.
     */
    static DrmExec lock(List<GemObject> objects) {
        List<GemObject> order = new ArrayList<>();
        for (GemObject obj : objects) {
            if (obj.device() != objects.get(0).device()) {
                throw new IllegalStateException("one request locks " + objects.get(0) + " of "
                        + objects.get(0).device().name() + " and " + obj + " of " + obj.device().name());
            }
            if (!order.contains(obj)) {
                order.add(obj);
            }
        }
        order.sort(Comparator.comparingInt(GemObject::id));
        for (int i = 0; i < order.size(); i++) {
            order.get(i).resv().lockNested(i);
        }
        return new DrmExec(List.copyOf(order));
    }

    /** {@code drm_exec_fini}: drops every lock taken, the last taken first. */
    void unlock() {
        for (int i = locked.size() - 1; i >= 0; i--) {
            locked.get(i).resv().unlock();
        }
    }

    /**
     * The GEM objects the ops of one request touch, as {@code op_lock_and_prep} in xe_vm.c locks
     * them: the object a map maps, the object of every mapping a remap splits or an unmap
     * removes (userptr ranges have none).
     */
    static List<GemObject> objectsOf(VaOps<GpuVaBacking> ops) {
        List<GemObject> out = new ArrayList<>();
        for (VaOp<GpuVaBacking> op : ops.ops()) {
            GpuVaBacking backing = switch (op) {
                case VaOp.Map<GpuVaBacking> map -> map.obj();
                case VaOp.Remap<GpuVaBacking> remap -> remap.unmap().va().obj();
                case VaOp.Unmap<GpuVaBacking> unmap -> unmap.va().obj();
            };
            if (backing instanceof GpuVaBacking.Bo(GemObject bo)) {
                out.add(bo);
            }
        }
        return out;
    }
}
