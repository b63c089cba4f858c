package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.ImporterDesign;
import accelmm.dmabuf.SgTable;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Shared;

/**
 * The importing side of a PRIME import on another device: what an imported GEM object holds of
 * the buffer ({@code obj->import_attach}, and the table its {@code ttm_bo_type_sg} object maps,
 * {@code bo->ttm.sg}), and, under {@code importer=dynamic}, the importer ops it attached with
 * ({@code xe_dma_buf_attach_ops}, whose {@code importer_priv} is the object).
 *
 * <p>Two ways in, by {@link ImporterDesign}:
 *
 * <ul>
 *   <li>{@code dynamic}, as {@code xe_gem_prime_import}: {@code dma_buf_dynamic_attach} asking
 *       for peer-to-peer access, then, under the buffer's reservation lock, the object is made
 *       and its pages mapped ({@code xe_dma_buf_init_obj} creates a bo of type sg, whose
 *       validation maps the attachment). On {@code invalidate_mappings} ({@code
 *       xe_dma_buf_move_notify}, which evicts the importing object) the mapping goes back to the
 *       exporter, the object's CPU mappings are zapped and its GPU mappings marked for rebind;
 *       the GPU PTEs stay on the old pages until then, which is safe because the jobs that use
 *       them hold fences in the shared reservation object that the exporter's move waits for.
 *       The next use maps again, at the new place: the next exec (xe revalidates the VM's
 *       evicted objects in {@code xe_exec_ioctl} under the objects' locks and rebinds them) or
 *       a bind, each under the reservation lock; never a CPU fault, which is SIGBUS on an
 *       import.</li>
 *   <li>{@code pinned}, as {@code drm_gem_prime_import_dev}: a static {@code dma_buf_attach},
 *       then one BIDIRECTIONAL map at import ({@code dma_buf_map_attachment_unlocked}), kept
 *       until the object is freed; mapping pins a dynamic exporter ({@code
 *       dma_buf_pin_on_map}: xe pins in system memory, as a static attachment has no
 *       peer-to-peer, DBM-5), so the importer never hears of a move, because none can
 *       happen.</li>
 * </ul>
 *
 * Either way the object shares the buffer's reservation object ({@code obj->resv =
 * dmabuf->resv}), so the fences of the importer's jobs are the ones the exporter waits for.
 *
 * <p>The exporter is whoever made the buffer: another GPU's PRIME export, or another driver's
 * (the accelerator's static exporter of device memory, whose table holds peer-to-peer bus
 * addresses the GPU's jobs then reach). Its refusals are the importer's errnos where xe meets
 * them: the exporter's {@code attach} at import (-EOPNOTSUPP from an exporter that revokes, for
 * a static importer; -ENODEV once revoked), its map at import (-EPERM from an accelerator the
 * device cannot reach, or for any static importer, which has no {@code peer2peer}), and a map
 * after an invalidation at the object's next validation ({@link #validateLocked}: -ENODEV from
 * a revoked buffer, which the exec or bind returns). A CPU fault never validates: xe refuses to
 * fault an imported object's pages at all, revoked or not ({@link GemObject#faultPage}).
 */
final class PrimeImport implements DmaBufImporterOps {

    private final DmaBuf buf;
    private DmaBufAttachment attach;
    private GemObject obj;
    /** The mapped table ({@code bo->ttm.sg}), {@code null} after an invalidation until the next use. */
    private SgTable sgt;
    /** The importer's mapping ({@link #sgt}); the attachment and object are set before anyone else sees this. */
    private final Shared shared;

    private PrimeImport(DmaBuf buf, Shared shared) {
        this.buf = buf;
        this.shared = shared;
    }

    /** What {@link #importBuf} gave: a new object, or {@code null} and a negative errno. */
    record Imported(GemObject obj, int errno) {
    }

    /**
     * Imports {@code buf}, exported by another device, into {@code file}: a new object with the
     * caller's reference, or the negative errno the exporter refused the importer with. Takes a
     * reference on the buffer for the object.
     */
    static Imported importBuf(DrmFile file, DmaBuf buf) {
        DrmDevice device = file.device();
        PrimeImport imp = new PrimeImport(buf, device.sim().shared("prime import"));
        boolean dynamic = device.kernel().designs().get(ImporterDesign.class) == ImporterDesign.DYNAMIC;
        DmaBuf.Attach attached = dynamic ? buf.dynamicAttach(device, imp) : buf.attach(device);
        if (attached.errno() < 0) {
            return new Imported(null, attached.errno());
        }
        imp.attach = attached.attachment();
        buf.get(); // the object's reference (get_dma_buf)
        int ret;
        if (dynamic) {
            buf.resv().lock();
            try {
                imp.obj = device.importObject(file, imp);
                ret = imp.map();
            } finally {
                buf.resv().unlock();
            }
        } else {
            imp.obj = device.importObject(file, imp);
            ret = imp.mapUnlocked(); // drm_gem_prime_import_dev: dma_buf_map_attachment_unlocked
        }
        if (ret < 0) {
            imp.obj.put(); // frees the object: detach and dma_buf_put
            return new Imported(null, ret);
        }
        return new Imported(imp.obj, 0);
    }

    /** The attachment the import holds ({@code obj->import_attach}). */
    DmaBufAttachment attachment() {
        return attach;
    }

    DmaBuf buf() {
        return buf;
    }

    /** {@code dma_buf_map_attachment} of the whole buffer, BIDIRECTIONAL; the pages become the object's. */
    private int map() {
        return mapped(buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL));
    }

    /** The static importer's {@link #map}: {@code dma_buf_map_attachment_unlocked} takes the lock. */
    private int mapUnlocked() {
        return mapped(buf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL));
    }

    private int mapped(DmaBuf.Mapped mapped) {
        if (mapped.sgt() == null) {
            return mapped.errno();
        }
        shared.write();
        sgt = mapped.sgt();
        obj.device().framesOwned(obj, frames());
        return 0;
    }

    /**
     * {@code xe_bo_validate} of the imported object, the reservation lock held (a bind, an exec's
     * revalidation): maps the buffer again if an invalidation took the mapping, as
     * {@code xe_bo_move_dmabuf} does when the sg object goes back to its TT placement. Returns 0,
     * or the exporter's refusal as {@code dma_buf_map_attachment} gives it, which {@code
     * xe_bo_move_dmabuf} returns unchanged: -ENODEV from a revoked buffer, a failed migration's
     * errno. The object stays evicted then, and the next use tries again.
     */
    int validateLocked() {
        shared.read();
        if (sgt != null) {
            return 0;
        }
        buf.resv().assertHeld();
        return map();
    }

    /** Page {@code index} of the mapped table; the caller validated the object ({@link #validateLocked}). */
    PhysicalMemory.FrameRef mappedPage(int index) {
        shared.read();
        if (sgt == null) {
            throw new IllegalStateException(obj + " used while its mapping of " + buf + " is invalidated");
        }
        return sgt.page(index);
    }

    /** Page {@code index} as mapped now, or {@code null} while the mapping is invalidated. */
    PhysicalMemory.FrameRef pageIfMapped(int index) {
        shared.read();
        return sgt == null ? null : sgt.page(index);
    }

    private PageFrame[] frames() {
        PageFrame[] out = new PageFrame[sgt.pageCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sgt.page(i).frame();
        }
        return out;
    }

    /** Gives the table back to the exporter, the reservation lock held; the object's pages are no longer these frames. */
    private void unmap() {
        shared.write();
        obj.device().framesReleased(frames());
        buf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
        sgt = null;
    }

    /** The static importer's {@link #unmap}: {@code dma_buf_unmap_attachment_unlocked} takes the lock. */
    private void unmapUnlocked() {
        shared.read();
        obj.device().framesReleased(frames());
        buf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
        shared.write(); // after the reservation lock's preemption point
        sgt = null;
    }

    /**
     * The freed object lets go of the buffer: unmaps if it is mapped, detaches, and drops the
     * object's reference on the buffer, which may release it and, through it, the exporting
     * object. A static import does what {@code drm_prime_gem_destroy} does, unmapping with
     * {@code dma_buf_unmap_attachment_unlocked}, which takes the reservation lock; a dynamic
     * import unmaps under the lock it takes itself, as xe unmaps a dma-buf object's table in its
     * move with the object's (the buffer's) reservation held.
     */
    void release() {
        shared.read();
        if (sgt != null && attach.isDynamic()) {
            buf.resv().lock();
            try {
                unmap();
            } finally {
                buf.resv().unlock();
            }
        } else if (sgt != null) {
            unmapUnlocked();
        }
        buf.detach(attach);
        buf.put();
    }

    /** {@code xe_dma_buf_attach_ops.allow_peer2peer}. */
    @Override
    public boolean allowPeer2peer() {
        return true;
    }

    @Override
    public boolean invalidatesMappings() {
        return true;
    }

    /**
     * {@code xe_dma_buf_move_notify} (the exporter holds the shared reservation lock): evicts the
     * importing object — its mapping goes back to the exporter, its CPU mappings are zapped and
     * every VM that maps it rebinds it at its next exec. Nothing to do before the object is made
     * and mapped, or after an earlier invalidation.
     */
    @Override
    public void invalidateMappings(DmaBufAttachment attachment) {
        buf.resv().assertHeld();
        shared.read();
        if (sgt == null || obj == null || obj.isFreed()) {
            return;
        }
        unmap();
        obj.importEvicted();
    }
}
