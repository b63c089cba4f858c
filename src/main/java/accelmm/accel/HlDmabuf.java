package accelmm.accel;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.DmaResv;
import accelmm.dmabuf.SgTable;
import accelmm.mm.Errno;
import accelmm.sim.Shared;

/**
 * Models {@code struct hl_dmabuf_priv} with {@code habanalabs_dmabuf_ops}: the exporter of a
 * dma-buf over device memory ({@code HL_MEM_OP_EXPORT_DMABUF_FD}, HL-05/06). A static exporter:
 * no {@code pin}/{@code unpin}, the memory never moves, so no importer is ever told to
 * invalidate; its {@code attach} clears {@code peer2peer} for an importer the device cannot reach
 * and its map refuses such an importer, -EPERM; its table holds bus addresses of device memory
 * (no struct pages). It has no {@code mmap} ({@link DmaBufOps#mmapOp()} {@code null}): the core
 * refuses a CPU mapping of it with -EINVAL, revoked or not.
 *
 * <p>What the buffer holds follows the {@link DmabufExportDesign}: under hold-file a context
 * reference and the compute device file (HL-07), dropped by its release; under no-hold and
 * revoke nothing (a revoke detaches it from the context when the file is released). Under every
 * design it raises its hash node's {@code export_cnt} for as long as it is attached to the
 * context.
 */
final class HlDmabuf implements DmaBufOps {

    private final HlDevice device;
    private final HlVmHashNode node;
    private final boolean holdsFile;
    /** {@code hl_dmabuf->ctx}: the context, until a revoke or the context's end detaches it. */
    private HlCtx ctx;
    private DmaBuf buf;
    /** The context link and the buffer. */
    private final Shared shared;

    private HlDmabuf(HlCtx ctx, HlVmHashNode node, boolean holdsFile) {
        this.device = ctx.device();
        this.shared = device.sim().shared("hl dmabuf");
        this.ctx = ctx;
        this.node = node;
        this.holdsFile = holdsFile;
    }

    /**
     * The dma-buf holds the device memory it was exported over, as the frames its importers'
     * tables get (stale ones marked once the memory is freed), and under hold-file the context.
     */
    @Override
    public void addTo(accelmm.sim.ObjectGraph graph, DmaBuf buf) {
        shared.read();
        if (ctx != null && holdsFile) {
            graph.edge(buf, ctx, "ctx reference");
        }
        java.util.List<accelmm.mm.PhysicalMemory.FrameRef> refs = node.pack().frameRefs();
        for (int i = 0; i < refs.size(); i++) {
            refs.get(i).addTo(graph, buf, "exported page offset", (long) i << accelmm.mm.PageFrame.PAGE_SHIFT);
        }
    }

    /**
     * {@code export_dmabuf_from_addr} → {@code export_dmabuf}: raises the node's {@code
     * export_cnt} ({@code memhash_node_export_get}), exports a buffer over the whole memory and,
     * under hold-file, takes a context reference and {@code get_file} on the compute file. The
     * buffer has a reservation object of its own ({@code export_dmabuf} passes no {@code
     * exp_info.resv}, so {@code dma_buf_export} embeds one). The caller owns the buffer's one
     * reference.
     *
     * <p>habanalabs installs the fd ({@code dma_buf_fd}) before it takes those references
     * (HL-09, Al Viro's race); the model takes them first, with no preemption point between.
     */
    static DmaBuf export(HlCtx ctx, HlVmHashNode node, boolean writable) {
        HlDevice device = ctx.device();
        HlDmabuf exporter = new HlDmabuf(ctx, node, device.exportDesign() == DmabufExportDesign.HOLD_FILE);
        node.exportGet();
        DmaBuf buf = DmaBuf.export(device.kernel(), exporter, new DmaResv(device.kernel(), exporter.exporterName()),
                node.pack().totalSizeBytes(), writable);
        exporter.shared.write();
        exporter.buf = buf;
        if (exporter.holdsFile) {
            ctx.get();
            ctx.hpriv().filp().get();
        }
        ctx.exported(exporter);
        return buf;
    }

    /**
     * {@code hl_dmabuf_attach}: an importer the device cannot reach peer to peer ({@code
     * pci_p2pdma_distance} < 0: not both devices p2p capable) loses {@code peer2peer}; the
     * importer is accepted either way (its map will say -EPERM).
     */
    @Override
    public int attach(DmaBuf dmabuf, DmaBufAttachment attach) {
        if (!device.peerToPeer() || !attach.dev().peerToPeer()) {
            attach.clearPeer2peer();
        }
        return device.exportDesign() == DmabufExportDesign.REVOKE ? revocableAttach(dmabuf, attach) : 0;
    }

    /**
     * What an exporter that revokes checks at attach, as VFIO's {@code vfio_pci_dma_buf_attach}
     * does (RVK-03): a buffer already revoked refuses every importer, -ENODEV; an importer that
     * cannot be revoked ({@code dma_buf_attach_revocable} false: a pinned RDMA memory region,
     * RMR-05) is refused, -EOPNOTSUPP, since a revoke could not take the memory back from it.
     */
    private static int revocableAttach(DmaBuf dmabuf, DmaBufAttachment attach) {
        if (dmabuf.isRevoked()) {
            return Errno.ENODEV.neg();
        }
        return DmaBuf.attachRevocable(attach) ? 0 : Errno.EOPNOTSUPP.neg();
    }

    /**
     * {@code hl_map_dmabuf}: -EPERM for an importer without {@code peer2peer} (HL-06); otherwise
     * the pages of the exported memory as peer-to-peer bus addresses ({@code
     * alloc_sgt_from_device_pages}: BAR addresses from {@code dma_map_resource}, no struct
     * pages). Under hold-file the memory is freed only after every dma-buf of it, and a revoke
     * refuses maps before the memory goes; under no-hold a map may come after the context freed
     * the memory, where habanalabs would read its freed page pack: the model hands out the
     * pages as they were, which the checker then sees used after they were freed.
     */
    @Override
    public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
        if (!attach.peer2peer()) {
            return DmaBuf.Mapped.error(Errno.EPERM.neg());
        }
        return DmaBuf.Mapped.of(new SgTable(node.pack().frameRefs(), true));
    }

    /** {@code hl_unmap_dmabuf}: the bus addresses are unmapped; the memory itself stays. */
    @Override
    public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
    }

    /**
     * {@code hl_release_dmabuf}: the buffer's last reference went. Drops the node's {@code
     * export_cnt} if the buffer is still attached to its context, and under hold-file the context
     * reference and then the compute file — which may be its last reference, releasing the device
     * ({@code hl_device_release}).
     */
    @Override
    public void release(DmaBuf dmabuf) {
        shared.write();
        if (ctx == null) {
            return;
        }
        HlCtx c = ctx;
        detachFromCtx();
        if (holdsFile) {
            c.put();
            c.hpriv().filp().put();
        }
    }

    /**
     * The buffer stops counting against its node and leaves the context's list of exports: at its
     * release, at a revoke, or (no-hold) when the context goes while the buffer lives on.
     */
    void detachFromCtx() {
        shared.write();
        node.exportPut();
        ctx.exportReleased(this);
        ctx = null;
    }

    /**
     * Under {@link DmabufExportDesign#REVOKE}, at the compute file's release, in the order of
     * VFIO's {@code vfio_pci_dma_buf_cleanup}: a buffer whose last reference already went is
     * skipped ({@code get_file_active}; its release detached it). Otherwise, holding a reference
     * of its own so that no release runs meanwhile, under the reservation lock the buffer is
     * detached from the context and the dma-buf core's revoke sequence starts (RVK-02: marked
     * revoked, so a new map is -ENODEV; every importer's mappings invalidated; the fences waited
     * for); then, unlocked, every importer's unmap is waited for, and the reference dropped —
     * perhaps the last, whose release finds the buffer detached. Detaching before the waits
     * (preemption points) is what keeps a release that comes meanwhile from detaching it twice.
     */
    void revoke() {
        shared.read();
        if (!buf.getIfLive()) {
            return;
        }
        buf.revoke(this::detachFromCtx);
        buf.put();
    }

    @Override
    public String exporterName() {
        return node.pack().toString();
    }
}
