package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.dmabuf.DmaBufOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.SgTable;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Principal;
import accelmm.mm.MmapSetup;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmOperations;
import accelmm.mm.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code drm_gem_prime_dmabuf_ops} bound to one GEM object ({@code dma_buf->priv}): the
 * exporter side of a {@link DmaBuf} made by {@code DRM_IOCTL_PRIME_HANDLE_TO_FD}. The buffer
 * holds a reference on the object from export until its release.
 *
 * <p>CPU mmap of the buffer ({@code drm_gem_prime_mmap}) maps the object's pages, faulted in
 * on demand as PFNs like a GEM mmap: the VMA holds the buffer's file (the mm layer's reference)
 * and, through {@link Mapping}, a reference on the object, counted as one of its CPU mappings.
 *
 * <p>Importers on another device attach to the buffer and get the exporter's pages, subject to
 * {@link #attach}: the exporter's {@code attach} callback, where xe refuses an importer that
 * cannot reach a VRAM-only object peer to peer (DBM-2).
 *
 * <p>CPU access brackets ({@code DMA_BUF_IOCTL_SYNC}) use the ops' defaults: {@code
 * drm_gem_prime_dmabuf_ops} has no {@code begin_cpu_access}/{@code end_cpu_access}, and the wait
 * for the object's fences is the dma-buf core's ({@link DmaBuf#beginCpuAccess}, on the object's
 * resv, which the buffer shares). Left out: xe's {@code xe_dma_buf_begin_cpu_access}, which for a
 * read first tries to migrate the object to system memory and ignores a failure; the model's CPU
 * mapping of a VRAM object reads its pages where they are, so the move would change no value.
 */
final class PrimeExport implements DmaBufOps {

    private final GemObject obj;

    private PrimeExport(GemObject obj) {
        this.obj = obj;
    }

    /**
     * {@code drm_gem_prime_export} → {@code dma_buf_export}: a new buffer over the whole object,
     * writable if exported {@code O_RDWR}; it takes a reference on the object. The caller owns
     * the buffer's one reference.
     */
    static DmaBuf export(GemObject obj, boolean writable) {
        obj.get(); // drm_gem_dmabuf_export: drm_gem_object_get
        DmaBuf buf = DmaBuf.export(obj.device().kernel(), new PrimeExport(obj), obj.resv(), obj.sizeBytes(), writable);
        obj.exportedAs(buf);
        return buf;
    }

    /**
     * The answer to {@code DMA_BUF_INFO_MAP_INFO}, asked once at export ({@link
     * DmaBufOps#mapInfo}). The proposal ({@link DmaBufMapInfo}, never merged) left each exporter
     * to state it; for GEM its default was INCOHERENT and msm gave its per-object caching. Here it
     * follows the object's caching, fixed at export: an object that may live in VRAM is WC
     * (xe accepts no other caching for it) and mapped WC there ({@link GemObject#cpuCacheMode}),
     * so COHERENT_WC. Once such an object is evicted to a discrete device's system
     * memory its pages are WB ({@code xe_ttm_tt_create} applies the requested caching only {@code
     * if (!IS_DGFX(xe))}), and the info no longer matches the frames: the objection of DBI-03 to
     * a value fixed at export. Otherwise {@code wb} → COHERENT_CACHED, {@code wc} → COHERENT_WC,
     * and {@code uc} → INCOHERENT, since v2 has no uncached value: a choice of the model, not the
     * proposal's, with a consequence — a guest that maps the buffer from the info maps it WB over
     * the host's UC pages.
     */
    @Override
    public DmaBufMapInfo mapInfo() {
        return switch (obj.caching()) {
            case WB -> DmaBufMapInfo.COHERENT_CACHED;
            case WC -> DmaBufMapInfo.COHERENT_WC;
            case UC -> DmaBufMapInfo.INCOHERENT;
        };
    }

    /** The exporter of {@code buf} if GEM's PRIME exported it ({@code dma_buf->ops == &drm_gem_prime_dmabuf_ops}), else {@code null}. */
    static PrimeExport of(DmaBuf buf) {
        return buf.ops() instanceof PrimeExport export ? export : null;
    }

    /** {@code dma_buf->priv}: the exported object. */
    GemObject object() {
        return obj;
    }

    /**
     * The live dma-bufs that hold {@code o} — at most one: the object's {@code obj->dma_buf}, or
     * that buffer after the last handle let go of it — found among the open files, as the object
     * keeps no pointer to a buffer it no longer holds. For leak reports.
     */
    static List<DmaBuf> holding(GemObject o) {
        List<DmaBuf> out = new ArrayList<>();
        for (File f : o.device().kernel().openFiles()) {
            DmaBuf buf = DmaBuf.ofFile(f);
            if (buf != null && of(buf) != null && of(buf).obj == o) {
                out.add(buf);
            }
        }
        return out;
    }

    /**
     * {@code xe_dma_buf_attach}: an importer that wants peer-to-peer access but cannot reach this
     * device ({@code pci_p2pdma_distance} < 0: not both devices peer-to-peer capable) loses it
     * ({@code attach->peer2peer} cleared); then {@link #attachCheck} accepts the importer, 0, or
     * refuses it, -EOPNOTSUPP.
     */
    @Override
    public int attach(DmaBuf buf, DmaBufAttachment attach) {
        if (attach.peer2peer() && !(obj.device().peerToPeer() && attach.dev().peerToPeer())) {
            attach.clearPeer2peer();
        }
        return attachCheck(vramOnly(obj), attach.peer2peer());
    }

    /**
     * The check of {@code xe_dma_buf_attach}: an attachment whose importer cannot reach the
     * exporter's memory peer to peer ({@code attach->peer2peer} clear) must be able to migrate
     * the object to system memory; a VRAM-only object cannot, -EOPNOTSUPP
     * (KERNEL-SEMANTICS DBM-2). Objects that may live in system memory are always importable
     * (DBM-4..6; where they end up is the dmabuf layer's business).
     */
    static int attachCheck(boolean vramOnly, boolean peerReachable) {
        return vramOnly && !peerReachable ? Errno.EOPNOTSUPP.neg() : 0;
    }

    /**
     * {@code xe_dma_buf_map} (the reservation lock held, by the dynamic importer or by the core
     * for a static one): -EOPNOTSUPP for an importer that cannot reach a VRAM-only object; an
     * importer without peer-to-peer access to an object that is not pinned first has it
     * migrated to system memory ({@code xe_bo_migrate} to TT, a move like an eviction's, which
     * tells the other importers: DBM-4); then the table of the object's pages where they are now,
     * every page backed first ({@code ttm_tt_populate}), bus addresses of VRAM for a peer
     * ({@code xe_ttm_vram_mgr_alloc_sgt}). For a peer xe validates the object instead, which may
     * move an evicted object back to VRAM (DBM-7's re-validation); the model has no move into
     * VRAM, so the object stays where it is.
     */
    @Override
    public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
        obj.resv().assertHeld();
        if (!attach.peer2peer() && vramOnly(obj)) {
            return DmaBuf.Mapped.error(Errno.EOPNOTSUPP.neg());
        }
        if (!obj.isPinned() && !attach.peer2peer() && obj.inVram()) {
            GemEvict.migrateToSystemLocked(obj);
        }
        return DmaBuf.Mapped.of(SgTable.of(obj.backedPages(), obj.inVram()));
    }

    /** {@code xe_dma_buf_unmap}: frees the table; the pages stay the object's. */
    @Override
    public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        obj.resv().assertHeld();
    }

    /** {@code xe_dmabuf_ops} has {@code pin} and {@code unpin}: a dynamic exporter. */
    @Override
    public boolean dynamic() {
        return true;
    }

    /**
     * {@code xe_dma_buf_pin} (since "drm/xe/dma-buf: Allow pinning of p2p dma-buf" and, in 7.1,
     * without {@code CONFIG_DMABUF_MOVE_NOTIFY}): VRAM is allowed only when every attachment of
     * the buffer reaches the device peer to peer ({@link #vramAllowed}); then the object is
     * pinned where it is, possibly in VRAM. Otherwise xe pins it in system memory (TT) so that
     * every importer can reach it (DBM-5): an object already pinned outside TT is -EINVAL (pinned
     * in VRAM for peers, it cannot move now); one in VRAM is migrated first ({@code
     * xe_bo_migrate} to TT), which a VRAM-only object refuses, -EINVAL ({@code xe_bo_can_migrate}
     * is false). The pin ({@code xe_bo_pin_external}) keeps it there: eviction is -EBUSY for an
     * object pinned in VRAM, and memory pressure leaves a pinned object alone.
     */
    @Override
    public int pin(DmaBufAttachment attach) {
        obj.resv().assertHeld();
        boolean allowVram = vramAllowed(attach.dmabuf());
        if (obj.isPinned() && obj.inVram() && !allowVram) {
            return Errno.EINVAL.neg();
        }
        if (!allowVram && obj.inVram()) {
            if (vramOnly(obj)) {
                return Errno.EINVAL.neg();
            }
            GemEvict.migrateToSystemLocked(obj);
        }
        obj.pin();
        return 0;
    }

    /**
     * {@code xe_dma_buf_pin}'s walk of {@code dmabuf->attachments}: VRAM may hold the pinned
     * object only if no attachment (the pinning one included) lacks {@code peer2peer}.
     */
    private static boolean vramAllowed(DmaBuf buf) {
        return buf.attachments().stream().allMatch(DmaBufAttachment::peer2peer);
    }

    /** {@code xe_dma_buf_unpin}: {@code xe_bo_unpin_external}. */
    @Override
    public void unpin(DmaBufAttachment attach) {
        obj.resv().assertHeld();
        obj.unpin();
    }

    /** Whether {@code o} may live only in VRAM (its placement has no system memory). */
    private static boolean vramOnly(GemObject o) {
        return !o.placement().allowsSystem();
    }

    /** {@code xe_dmabuf_ops} has {@code ->mmap}: {@code drm_gem_dmabuf_mmap}, {@link #mmap}. */
    @Override
    public MmapOp mmapOp() {
        return this::mmap;
    }

    /**
     * {@code drm_gem_dmabuf_mmap} → {@code drm_gem_prime_mmap} (after {@code
     * dma_buf_mmap_internal} checked the range): the object's own mmap ({@link
     * GemObject#mmapObj}, as for a GEM mmap), with page offsets counted from the start of the
     * buffer ({@link Mapping}).
     */
    private int mmap(DmaBuf buf, MmapSetup setup) {
        if (obj.isFreed()) {
            throw new IllegalStateException(buf + " maps freed " + obj);
        }
        return obj.mmapObj(setup, new Mapping());
    }

    /** {@code drm_gem_dmabuf_release}: drops the buffer's reference on the object (which may free it). */
    @Override
    public void release(DmaBuf buf) {
        obj.exportedAs(null);
        obj.put();
        if (obj.device().sim().tracing()) {
            obj.device().sim().traceOperation(obj.device().name() + " release " + buf,
                    obj.label() + (obj.isFreed() ? " freed" : " kept"));
        }
    }

    @Override
    public String exporterName() {
        return obj.device().name() + " " + obj.label();
    }

    /**
     * The VMA operations of a dma-buf mmap: the object's own ({@code obj->funcs->vm_ops}), with
     * page offsets counted from the start of the buffer — where {@code drm_gem_prime_mmap}
     * instead adds the object's fake offset to {@code vm_pgoff}.
     */
    private final class Mapping implements VmOperations {

        @Override
        public void open(Vma vma) {
            obj.open(vma);
        }

        @Override
        public void close(Vma vma) {
            obj.close(vma);
        }

        /** The object's own fault handler, under its reservation lock like a GEM mmap's. */
        @Override
        public VmFaultResult fault(VmFault fault) {
            return obj.faultPage(fault, fault.pgoff());
        }

        /**
         * The object's own {@code ttm_bo_vm_access}: {@code drm_gem_prime_mmap} leaves the
         * object's {@code vm_ops} in the VMA, so an mmap of the dma-buf has its access hook too.
         */
        @Override
        public int access(Vma vma, long address, byte[] buf, int bufOffset, int length, int[] labels,
                boolean write, Principal principal, MemoryAccess.Via via) {
            long offset = address - vma.start() + (vma.pgoff() << PageFrame.PAGE_SHIFT);
            return obj.ttmBoAccess(offset, buf, bufOffset, length, labels, write, principal, via);
        }

        @Override
        public String name() {
            return "dma-buf of " + obj.name();
        }
    }
}
