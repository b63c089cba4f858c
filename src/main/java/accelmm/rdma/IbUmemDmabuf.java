package accelmm.rdma;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.DmaResv;
import accelmm.dmabuf.SgTable;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.sim.Shared;

/**
 * Models {@code struct ib_umem_dmabuf} (drivers/infiniband/core/umem_dmabuf.c): a region's
 * memory that is a whole dma-buf, reached through an attachment of the NIC, with the buffer's
 * reference the region holds until release.
 *
 * <ul>
 *   <li>{@link #get} is {@code ib_umem_dmabuf_get}: {@code dma_buf_get} of the fd (-EBADF,
 *       -EINVAL for a file that is not a dma-buf), then {@code dma_buf_dynamic_attach} with the
 *       driver's importer ops (the exporter's refusal propagates). Nothing is mapped yet
 *       (RMR-02).</li>
 *   <li>{@link #getPinned} is {@code ib_umem_dmabuf_get_pinned} (RMR-05): attach with ops that
 *       allow peer-to-peer and, since Linux 7.1, have no {@code invalidate_mappings} (so the
 *       attachment is not revocable), then under the reservation lock {@code dma_buf_pin} and
 *       one map. The NIC never stops its DMA on its own after that.</li>
 *   <li>{@link #mapPages} / {@link #unmapPages} are {@code ib_umem_dmabuf_map_pages} / {@code
 *       _unmap_pages}, the reservation lock held (RMR-03): map the attachment BIDIRECTIONAL if
 *       it is not mapped, then wait for the buffer's KERNEL fences (a move in progress) before
 *       the pages are used; -EINVAL once the umem has been revoked.</li>
 *   <li>{@link #release} is {@code ib_umem_dmabuf_release}: revoke (unmap, unpin) under the
 *       reservation lock, {@code dma_buf_detach}, {@code dma_buf_put} — which may be the
 *       buffer's last reference (RMR-07).</li>
 * </ul>
 *
 * <p>The region always covers the whole buffer (the language's {@code reg_mr dmabuf=} has no
 * offset or length): offset 0, length the buffer's size, so the sg table needs no trimming.
 */
final class IbUmemDmabuf implements IbUmem {

    private final DmaBuf buf;
    private final DmaBufAttachment attach;
    /** The current mapping of the attachment, or {@code null} ({@code umem_dmabuf->sgt}). */
    private SgTable sgt;
    private boolean pinned;
    private boolean revoked;
    /** The mapping and the pinned and revoked flags. */
    private final Shared shared;

    private IbUmemDmabuf(DmaBuf buf, DmaBufAttachment attach, Shared shared) {
        this.buf = buf;
        this.attach = attach;
        this.shared = shared;
    }

    /** The umem made, or the errno its constructor fails with. */
    record Get(IbUmemDmabuf umem, int errno) {
    }

    /** {@code ib_umem_dmabuf_get} of the whole buffer {@code fd} names (see the class comment). */
    static Get get(IbDevice device, Task task, int fd, DmaBufImporterOps ops) {
        DmaBuf.Lookup lookup = DmaBuf.get(task, fd);
        if (lookup.buf() == null) {
            return new Get(null, lookup.errno());
        }
        DmaBuf.Attach attached = lookup.buf().dynamicAttach(device, ops);
        if (attached.attachment() == null) {
            lookup.buf().put();
            return new Get(null, attached.errno());
        }
        return new Get(new IbUmemDmabuf(lookup.buf(), attached.attachment(), device.sim().shared("ib umem dmabuf")), 0);
    }

    /** {@code ib_umem_dmabuf_get_pinned} (see the class comment); a failure undoes everything. */
    static Get getPinned(IbDevice device, Task task, int fd) {
        Get got = get(device, task, fd, PINNED_OPS);
        if (got.umem() == null) {
            return got;
        }
        IbUmemDmabuf umem = got.umem();
        DmaResv resv = umem.buf.resv();
        resv.lock();
        int err = umem.buf.pin(umem.attach);
        if (err == 0) {
            umem.shared.write();
            umem.pinned = true;
            err = umem.mapPages();
        }
        resv.unlock();
        if (err < 0) {
            umem.release();
            return new Get(null, err);
        }
        return got;
    }

    /**
     * The importer ops of {@code ib_umem_dmabuf_get_pinned} since Linux 7.1: peer-to-peer
     * allowed, no {@code invalidate_mappings} (the stub that only warned is gone, RVK-01).
     */
    private static final DmaBufImporterOps PINNED_OPS = new DmaBufImporterOps() {
        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public boolean invalidatesMappings() {
            return false;
        }
    };

    DmaBuf dmabuf() {
        return buf;
    }

    boolean pinned() {
        shared.read();
        return pinned;
    }

    /** The mapping the NIC's translation is built from, or {@code null} when unmapped. */
    SgTable sgt() {
        shared.read();
        return sgt;
    }

    /** {@code ib_umem_dmabuf_map_pages}, the reservation lock held: 0 or a negative errno. */
    int mapPages() {
        buf.resv().assertHeld();
        shared.write();
        if (revoked) {
            return Errno.EINVAL.neg();
        }
        if (sgt == null) {
            DmaBuf.Mapped mapped = buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            if (mapped.sgt() == null) {
                return mapped.errno();
            }
            shared.write(); // the exporter's map may have slept
            sgt = mapped.sgt();
        }
        // The table is valid, but a move may still be copying the contents: wait for it.
        buf.resv().waitUnsignaled(DmaResv.Usage.KERNEL);
        return 0;
    }

    /** {@code ib_umem_dmabuf_unmap_pages}, the reservation lock held. */
    void unmapPages() {
        buf.resv().assertHeld();
        shared.write();
        if (sgt != null) {
            buf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            sgt = null;
        }
    }

    @Override
    public long lengthBytes() {
        return buf.sizeBytes();
    }

    @Override
    public int firstPageOffset() {
        return 0;
    }

    /** Pages of the region. */
    int pageCount() {
        return (int) (buf.sizeBytes() >>> accelmm.mm.PageFrame.PAGE_SHIFT);
    }

    /**
     * {@code ib_umem_dmabuf_release}: under the reservation lock unmap and unpin ({@code
     * ib_umem_dmabuf_revoke}), then detach and drop the region's reference on the buffer.
     */
    @Override
    public void release() {
        shared.write();
        if (revoked) {
            throw new IllegalStateException("ib_umem_dmabuf_release twice: " + describe());
        }
        buf.resv().lock();
        shared.write();
        unmapPages();
        if (pinned) {
            buf.unpin(attach);
            pinned = false;
        }
        revoked = true;
        buf.resv().unlock();
        buf.detach(attach);
        buf.put();
    }

    /** The attachment the region holds on its dma-buf. */
    DmaBufAttachment attachment() {
        return attach;
    }

    @Override
    public String describe() {
        shared.read();
        return IbMr.size(buf.sizeBytes()) + " of " + buf.label() + (pinned ? ", pinned" : "");
    }
}
