package accelmm.drm;

import java.util.List;

/**
 * Makes room in a device's VRAM for an allocation that does not fit, as TTM's second pass does
 * ({@code ttm_bo_alloc_resource} with {@code force_space} → {@code ttm_bo_evict_alloc}):
 * walks the VRAM manager's LRU list from its head, the least recently placed object first, and
 * evicts objects to system memory ({@link GemEvict#evictLocked}: fences, CPU zap, copy, GPU PTE
 * retarget, free) one at a time, trying the allocation again after each, until it fits.
 *
 * <p>Design note, after {@code ttm_lru_walk_for_evict} and {@code ttm_bo_evict_cb}:
 *
 * <ol>
 *   <li>a first sweep only trylocks each object's reservation: an object someone else has
 *       reserved (a bind, a CPU fault, another eviction) is skipped;</li>
 *   <li>if that did not make room, sweeps that wait for each reservation (the ww ticket's
 *       sleeping lock) follow while they evict something: an object that moved out meanwhile is
 *       passed over;</li>
 *   <li>pinned objects are never evicted ({@code bo->pin_count}); an object in use by jobs is,
 *       after its fences (the eviction waits for them, as a move does with {@code
 *       no_wait_gpu} false). Whose file the object belongs to does not matter: memory
 *       management is the device's. An object another device imports is evicted too: the
 *       move tells its importers ({@code dma_buf_invalidate_mappings}, {@link GemEvict}).</li>
 * </ol>
 *
 * Nothing evicted and still no room is {@code null}: -EBUSY from {@code ttm_bo_evict_alloc},
 * which sends TTM to the next placement (system memory for {@code vram,system}) or ends in
 * -ENOSPC. The allocating ioctl holds no lock of its own while it walks (the new object does
 * not exist yet), so it takes one reservation at a time and cannot close a lock-order cycle.
 *
 * <p>Kernel sources followed: drivers/gpu/drm/ttm/ttm_bo.c ({@code ttm_bo_alloc_resource},
 * {@code ttm_bo_evict_alloc}, {@code ttm_bo_evict_cb}, {@code ttm_bo_evict}), ttm_bo_util.c
 * ({@code ttm_lru_walk_for_evict}), drivers/gpu/drm/xe/xe_bo.c ({@code xe_evict_flags}).
 */
final class EvictWalk {

    private EvictWalk() {
    }

    /** What one sweep over the LRU list did: the allocation if it fits now, and how many it evicted. */
    private record Sweep(Vram.Allocation fit, int evicted) {
    }

    /**
     * {@code ttm_bo_evict_alloc} for {@code pageCount} pages of {@code device}'s VRAM: the
     * allocation once it fits, or {@code null} when evicting everything that can be evicted did
     * not make room.
     */
    static Vram.Allocation evictAlloc(DrmDevice device, int pageCount) {
        Sweep sweep = sweep(device, pageCount, true);
        if (sweep.fit() != null) {
            return sweep.fit();
        }
        do {
            sweep = sweep(device, pageCount, false);
        } while (sweep.fit() == null && sweep.evicted() > 0);
        return sweep.fit();
    }

    /**
     * {@code ttm_lru_walk_for_evict} with a target of one allocation: each object of the list as
     * it is now, under its reservation (trylocked, or waited for), evicted if it still can be,
     * then the allocation tried again. The walk holds a reference on the object it is at ({@code
     * ttm_bo_get_unless_zero}), so that its owner may drop it meanwhile.
     */
    private static Sweep sweep(DrmDevice device, int pageCount, boolean trylockOnly) {
        int evicted = 0;
        for (GemObject obj : device.vram().lru()) {
            if (obj.isFreed()) {
                continue; // freed while an earlier object was being evicted
            }
            obj.get();
            try {
                if (!trylockOnly) {
                    obj.resv().lock(); // the ticket's sleeping lock: waits for the holder
                } else if (!obj.resv().tryLock()) {
                    continue; // reserved by someone else: skipped in the first sweep
                }
                try {
                    if (!GemEvict.evictLocked(obj)) {
                        continue; // pinned, or moved out while the walk waited for it
                    }
                    evicted++;
                    traceEvicted(device, obj);
                    Vram.Allocation fit = device.vram().alloc(pageCount);
                    if (fit != null) {
                        return new Sweep(fit, evicted);
                    }
                } finally {
                    obj.resv().unlock();
                }
            } finally {
                obj.put();
            }
        }
        return new Sweep(null, evicted);
    }

    private static void traceEvicted(DrmDevice device, GemObject obj) {
        if (device.sim().tracing()) {
            device.sim().traceOperation(device.name() + " evict gem " + obj.id() + " to make room", "ok");
        }
    }
}
