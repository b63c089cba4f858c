package accelmm.drm;

import accelmm.dmabuf.DmaResv;
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
 * over, so two requests never wait for each other for good. The model stands for that backoff
 * by taking the locks in one machine-wide order, the reservation objects' serial numbers
 * ({@link DmaResv#serial}), so no request ever needs to back off. The order must span devices:
 * an object imported from another device shares the exporter's reservation object, so two VMs
 * on two devices lock the same reservations, and a per-device order could have them take two
 * shared locks in opposite orders. Objects that share one reservation object (imports of one
 * buffer) are locked once, as {@code drm_exec} skips a lock its context already holds ({@code
 * -EALREADY}). Lockdep sees the nested locks as subclasses of {@code dma_resv}, where the
 * kernel names the acquire context as their nest lock.
 */
final class DrmExec {

    private final List<DmaResv> locked;

    private DrmExec(List<DmaResv> locked) {
        this.locked = locked;
    }

    /**
     * Locks the reservation of each object of {@code objects}, each distinct reservation once,
     * in serial-number order.
     */
    static DrmExec lock(List<GemObject> objects) {
        List<DmaResv> order = new ArrayList<>();
        for (GemObject obj : objects) {
            if (!order.contains(obj.resv())) {
                order.add(obj.resv());
            }
        }
        order.sort(Comparator.comparingInt(DmaResv::serial));
        for (int i = 0; i < order.size(); i++) {
            order.get(i).lockNested(i);
        }
        return new DrmExec(List.copyOf(order));
    }

    /** The reservations held, in the order they were taken. */
    List<DmaResv> locks() {
        return locked;
    }

    /** {@code drm_exec_fini}: drops every lock taken, the last taken first. */
    void unlock() {
        for (int i = locked.size() - 1; i >= 0; i--) {
            locked.get(i).unlock();
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
