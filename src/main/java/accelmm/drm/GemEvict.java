package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Vma;
import accelmm.sim.Cost;
import accelmm.sim.Simulation;
import java.util.List;

/**
 * Eviction of a GEM object from VRAM to system memory, as TTM and xe do it when memory
 * management asks ({@code xe_bo_evict} → {@code ttm_bo_validate} with the evict placement →
 * {@code ttm_bo_handle_move_mem} → {@code xe_bo_move}).
 *
 * <p>Design note. Under the object's reservation lock, which keeps CPU faults of the object
 * out until the move is over:
 *
 * <ol start="0">
 *   <li>tell the importers of the object's dma-buf, if it has any (see below);</li>
 *   <li>publish the move's fence in the object's {@code dma_resv} with usage KERNEL, so that a
 *       job submitted from now on waits for the move before it runs (the model's exec does not
 *       take the reservation lock of an object of its own device, as drm_exec does; the early
 *       fence stands in for it);</li>
 *   <li>wait for every fence already there (BOOKKEEP: every job that used the object;
 *       {@code xe_bo_trigger_rebind} / {@code dma_resv_wait_timeout});</li>
 *   <li>zap every CPU mapping of the object ({@code ttm_bo_unmap_virtual}: the next CPU
 *       access faults and finds the new pages);</li>
 *   <li>copy the pages, contents and secret labels, into new system frames (the migrate
 *       engine's copy; a kernel access page by page);</li>
 *   <li>switch the object's backing, then rewrite the GPU PTEs of every VM that maps it to the
 *       new frames under that VM's {@code notifier_lock} (xe instead marks the {@code
 *       drm_gpuvm_bo} evicted and rebinds at the next exec; the GPU sees the same pages);</li>
 *   <li>free the VRAM frames and buddy blocks, signal the move's fence.</li>
 * </ol>
 *
 * <pre>
 *   job (engine)                         evictor (holds the resv lock)
 *   reads VRAM page 0 via GPU PTE        adds move fence (KERNEL); waits for the job's fence
 *   reads VRAM page 1 via GPU PTE           ...
 *   signals its fence          ───────►  zap CPU maps; copy; switch; retarget PTEs; free VRAM
 *   next job waits for the move fence ◄─ signals the move fence
 * </pre>
 *
 * <p>Errors, as values: -ENOENT for an object already freed; -EINVAL for an object whose
 * placement does not include VRAM (there is no VRAM to evict it from, as {@code
 * xe_bo_evict_pinned} answers for an object not in VRAM); -EBUSY when it is pinned in VRAM
 * ({@code xe_bo_migrate}: a pinned object may not move; {@code ttm_bo_validate} itself says
 * -EINVAL, and TTM's LRU eviction skips pinned objects). An object that may be in VRAM but is
 * in system memory already is left alone: 0, as {@code ttm_bo_validate} returns for a
 * compatible placement.
 *
 * <p>Memory management evicts on request ({@link #evict}: the {@code evict} statement) and to
 * make room for an allocation ({@link #evictLocked}, from {@link EvictWalk}); either way the
 * object goes to system memory, whatever its own placement says, as {@code xe_evict_flags}
 * places an evicted VRAM object in TT (system memory). PRIME's exporter moves an object the
 * same way when an importer that cannot reach VRAM maps or pins it ({@link
 * #migrateToSystemLocked}, {@code xe_bo_migrate} to TT).
 *
 * <p>An exported object with importers on other devices tells them first ({@code
 * xe_bo_move_notify} → {@code dma_buf_invalidate_mappings}, step 0 under the lock): a dynamic
 * importer drops its mapping and maps again at its next use, after the move; its jobs still
 * running hold fences in the object's reservation object, which it shares, so the wait of step 2
 * covers them. A pinned importer pinned the object in system memory, so the move never comes.
 *
 * <p>{@link Variant} leaves out one step, for tests that show what each step prevents.
 */
final class GemEvict {

    /** Which steps an eviction takes: all of them, or all but one (for tests). */
    enum Variant {
        /** The kernel's eviction. */
        FAITHFUL,
        /** Does not wait for the jobs using the object: their writes after the copy are lost. */
        NO_FENCE_WAIT,
        /** Does not zap the CPU mappings: CPU accesses reach the freed VRAM. */
        NO_CPU_ZAP,
        /** Leaves the GPU PTEs on the old frames: jobs reach the freed VRAM. */
        NO_GPU_RETARGET,
        /**
         * Does not tell the dma-buf's importers ({@code dma_buf_invalidate_mappings}): an importer
         * on another device keeps its table of the freed VRAM.
         */
        NO_INVALIDATE
    }

    private GemEvict() {
    }

    /** Evicts {@code obj}; see the class comment for the steps and the errors. */
    static int evict(GemObject obj, Variant variant) {
        if (obj.isFreed()) {
            return Errno.ENOENT.neg();
        }
        if (!obj.placement().allowsVram()) {
            return Errno.EINVAL.neg();
        }
        obj.get();
        obj.resv().lock();
        int ret;
        try {
            ret = !obj.inVram() ? 0 : obj.isPinned() ? Errno.EBUSY.neg() : moveLocked(obj, variant);
        } finally {
            obj.resv().unlock();
        }
        obj.put();
        return ret;
    }

    /**
     * The eviction of {@code obj} to make room for an allocation ({@code ttm_bo_evict_cb}), the
     * caller holding the object's reservation lock and a reference: moves it if it is still in
     * VRAM and not pinned. Returns whether it moved. An object other devices import moves like
     * any other: its importers are told ({@link #moveLocked}).
     */
    static boolean evictLocked(GemObject obj) {
        obj.resv().assertHeld();
        if (!obj.inVram() || obj.isPinned()) {
            return false;
        }
        moveLocked(obj, Variant.FAITHFUL);
        return true;
    }

    /**
     * {@code xe_bo_migrate} to TT of an object in VRAM, the caller holding its reservation lock:
     * the move of an eviction, for an importer that needs the object in system memory (PRIME's
     * map and pin).
     */
    static void migrateToSystemLocked(GemObject obj) {
        obj.resv().assertHeld();
        if (!obj.inVram() || obj.isPinned()) {
            throw new IllegalStateException("migrating " + obj + " to system memory");
        }
        moveLocked(obj, Variant.FAITHFUL);
    }

    private static int moveLocked(GemObject obj, Variant variant) {
        DrmDevice device = obj.device();
        Simulation sim = device.sim();
        DmaResv resv = obj.resv();
        DmaBuf exported = obj.exportedAs();
        if (exported != null && variant != Variant.NO_INVALIDATE && !exported.attachments().isEmpty()) {
            exported.invalidateMappings(); // xe_bo_move_notify, before the wait and the copy
        }
        List<DmaFence> users = resv.unsignaled(DmaResv.Usage.BOOKKEEP);
        DmaFence move = new DmaFence(sim, device.name() + " evict gem " + obj.id());
        resv.addFence(move, DmaResv.Usage.KERNEL);
        if (variant != Variant.NO_FENCE_WAIT) {
            for (DmaFence f : users) {
                f.waitSignaled();
            }
        }
        if (variant != Variant.NO_CPU_ZAP) {
            zapCpuMappings(obj);
        }
        PageFrame[] fresh = copyToSystem(obj);
        List<DrmBuddyBlock> blocks = obj.vramBlocks();
        PageFrame[] old = obj.moveToSystem(fresh);
        List<VmBo> vmBos = obj.vmBos();
        if (variant != Variant.NO_GPU_RETARGET) {
            for (VmBo vmBo : vmBos) {
                retargetGpuPtes(vmBo, old, fresh);
            }
        }
        for (PageFrame f : old) {
            if (f != null) {
                f.put();
            }
        }
        device.vram().free(blocks);
        move.signal();
        return 0;
    }

    /** {@code ttm_bo_unmap_virtual}: {@code unmap_mapping_range} over every VMA still mapping it. */
    static void zapCpuMappings(GemObject obj) {
        for (Vma vma : obj.cpuMappings()) {
            // A VMA unmapped while an earlier one was being zapped is gone: skip it.
            if (obj.cpuMappings().contains(vma)) {
                obj.device().kernel().memoryOps().unmapMappingRange(vma);
            }
        }
    }

    /**
     * New system frames with the object's contents and labels, one page at a time; a page never
     * touched has no frame to copy and stays untouched ({@code null}).
     */
    private static PageFrame[] copyToSystem(GemObject obj) {
        DrmDevice device = obj.device();
        PhysicalMemory memory = device.kernel().physicalMemory();
        PageFrame[] fresh = new PageFrame[obj.pageCount()];
        byte[] buf = new byte[PageFrame.PAGE_SIZE];
        String through = "evict gem " + obj.id();
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = obj.pageIfBacked(i) == null ? null : memory.allocPage();
        }
        for (int i = 0; i < fresh.length; i++) {
            if (fresh[i] == null) {
                continue;
            }
            device.sim().preemptionPoint(through + " copy page " + i);
            device.sim().costs().count(Cost.PAGE_COPIED);
            PhysicalMemory.FrameRef from = PhysicalMemory.FrameRef.of(obj.page(i));
            memory.read(Principal.KERNEL, MemoryAccess.Via.KERNEL, from, 0, buf, 0, buf.length, through);
            int[] labels = memory.labels(from.frame(), 0, buf.length);
            memory.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(fresh[i]), 0, buf, 0,
                    buf.length, labels, through);
        }
        return fresh;
    }

    /**
     * Rewrites the PTEs through which {@code vmBo}'s VM maps the object to the {@code fresh}
     * frames, under the VM's {@code notifier_lock}: each mapping ({@code drm_gpuva}) covers the
     * object's pages from its offset on, so VA page {@code i} of it maps object page
     * {@code offset / PAGE_SIZE + i}. The GPU may still hold the old translations in its TLB, so
     * a VM whose PTEs were rewritten gets one TLB invalidation afterwards, as xe issues one when
     * it updates the page tables of a moved BO ({@code xe_bo_trigger_rebind} from
     * {@code xe_bo_move_notify}: in fault mode {@code xe_vm_invalidate_vma}; otherwise the VM's
     * mappings are marked evicted and rebound before its next job, and a rebind bumps {@code
     * vm->tlb_flush_seqno}, so that job flushes the VM's TLB first).
     */
    private static void retargetGpuPtes(VmBo vmBo, PageFrame[] old, PageFrame[] fresh) {
        GpuVm vm = vmBo.vm();
        vm.notifierLock().downWrite();
        try {
            boolean rewritten = false;
            for (GpuVa<GpuVaBacking> va : vmBo.gpuvmBo().vas()) {
                int first = Math.toIntExact(va.offset() >>> PageFrame.PAGE_SHIFT);
                for (long page = 0; page < va.range() >>> PageFrame.PAGE_SHIFT; page++) {
                    long gpuVa = va.addr() + (page << PageFrame.PAGE_SHIFT);
                    GpuPte pte = vm.pte(gpuVa);
                    int index = Math.toIntExact(first + page);
                    if (pte == null || pte.ref().frame() != old[index]) {
                        throw new IllegalStateException("gpu va 0x" + Long.toHexString(gpuVa) + " of " + vmBo
                                + " does not map page " + index + " of the object");
                    }
                    vm.setPte(gpuVa, new GpuPte(PhysicalMemory.FrameRef.of(fresh[index]), pte.writable()));
                    rewritten = true;
                }
            }
            if (rewritten) {
                vm.invalidateTlb();
            }
        } finally {
            vm.notifierLock().upWrite();
        }
    }
}
