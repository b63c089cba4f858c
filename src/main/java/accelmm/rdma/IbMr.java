package accelmm.rdma;

import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.sim.Cost;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.Arrays;

/**
 * Models {@code struct ib_mr} as mlx5 makes it ({@code struct mlx5_ib_mr}): a memory region of
 * one uverbs file, with its handle, the process that registered it (on whose behalf the NIC
 * reads and writes it: the principal of every access through it), its {@link IbUmem}, and the
 * NIC's translation of it — the mkey's translation entries (MTT), one frame per page of the
 * region, as the hardware uses them for DMA.
 *
 * <p>Every write of the translation, filling or zapping it, writes one entry a page: counted as
 * {@link Cost#DEVICE_PTE_WRITE}s (the page list of the mkey's creation, or a UMR that rewrites
 * it: {@code mlx5_ib_update_mr_pas}, with {@code MLX5_IB_UPD_XLT_ZAP} to zap).
 *
 * <p>Deregistration ({@code mlx5_ib_dereg_mr}) first stops the hardware (the mkey is revoked, so
 * no DMA through it is in flight or can start), then releases the umem.
 */
final class IbMr {

    private final IbUverbsFile file;
    private final int serial;
    private final long handle;
    private final Principal owner;
    private final IbUmem umem;
    /** The mkey's translation entries: the frame the NIC uses for each page of the region. */
    private final PhysicalMemory.FrameRef[] mtt;
    private boolean deregistered;
    /** The translation, by page index, and the deregistered flag (a write of all of it). */
    private final Shared shared;

    /** A region whose translation is {@code mtt} (user memory: its pinned pages; a dma-buf: none yet). */
    private IbMr(IbUverbsFile file, long handle, Principal owner, IbUmem umem, PhysicalMemory.FrameRef[] mtt) {
        this.file = file;
        this.serial = file.device().nextMrSerial();
        this.handle = handle;
        this.owner = owner;
        this.umem = umem;
        this.mtt = mtt;
        this.shared = file.device().sim().shared("ib mr");
    }

    /** {@code create_real_mr}: an mkey over the pinned pages of {@code umem}, enabled. */
    static IbMr overUserMemory(IbUverbsFile file, long handle, Principal owner, IbUmemUser umem) {
        PhysicalMemory.FrameRef[] mtt = umem.dmaPages();
        file.device().sim().costs().count(Cost.DEVICE_PTE_WRITE, mtt.length);
        return new IbMr(file, handle, owner, umem, mtt);
    }

    /**
     * {@code reg_user_mr_dmabuf}: an mkey over {@code umem} with an empty translation, which the
     * caller fills with {@link #pageFault} before it publishes the region ({@code
     * mlx5_ib_init_dmabuf_mr}).
     */
    static IbMr overDmabuf(IbUverbsFile file, long handle, Principal owner, IbUmemDmabuf umem) {
        return new IbMr(file, handle, owner, umem, new PhysicalMemory.FrameRef[umem.pageCount()]);
    }

    IbUverbsFile file() {
        return file;
    }

    /**
     * Adds this region to {@code graph}: the uverbs file's handle on it, the attachment a
     * dma-buf region holds, and the frames its translation points at ({@code mtt}), stale ones
     * marked: what the NIC would use were it to access the region now.
     */
    void addTo(ObjectGraph graph) {
        shared.read();
        String pinned = umem instanceof IbUmemUser ? ", pinned user pages" : "";
        graph.node(this, "mr", toString(), (deregistered ? "deregistered" : "registered") + pinned);
        graph.node(file, "uverbs file", file.toString(), "");
        graph.edge(file, this, "handle " + handle);
        if (umem instanceof IbUmemDmabuf d) {
            graph.edge(this, d.attachment(), "umem_dmabuf attach");
            graph.edge(this, d.attachment().dmabuf(), "dma_buf_get");
        }
        for (int i = 0; i < mtt.length; i++) {
            if (mtt[i] != null) {
                mtt[i].addTo(graph, this, "mtt offset", (long) i << PageFrame.PAGE_SHIFT);
            }
        }
    }

    int serial() {
        return serial;
    }

    long handle() {
        return handle;
    }

    /** The registering process: whom the NIC acts for when it reads or writes this region. */
    Principal owner() {
        return owner;
    }

    long lengthBytes() {
        return umem.lengthBytes();
    }

    /** Where byte 0 of the region lies in its first page. */
    int firstPageOffset() {
        return umem.firstPageOffset();
    }

    /**
     * The frame the NIC's DMA reaches for page {@code index} of the region (counted from the page
     * that holds its start), or {@code null} when the translation has none.
     */
    PhysicalMemory.FrameRef dmaPage(int index) {
        shared.read(index, index + 1L);
        if (deregistered) {
            throw new IllegalStateException("DMA through deregistered " + this);
        }
        return mtt[index];
    }

    /**
     * {@code pagefault_dmabuf_mr}: the NIC reached a page of a dma-buf region whose translation
     * was zapped (or never filled): under the buffer's reservation lock map it again, waiting for
     * a move in progress, and rewrite the translation ({@code mlx5_ib_update_mr_pas}). Returns 0,
     * or the map's negative errno (the exporter's, e.g. -ENODEV once it revoked the buffer), for
     * which the work request fails. The NIC's access resumes after it.
     */
    int pageFault() {
        IbUmemDmabuf dmabuf = (IbUmemDmabuf) umem;
        DmaResv resv = dmabuf.dmabuf().resv();
        resv.lock();
        int err;
        try {
            err = dmabuf.mapPages();
            if (err == 0) {
                shared.write();
                for (int i = 0; i < mtt.length; i++) {
                    mtt[i] = dmabuf.sgt().page(i);
                }
                file.device().sim().costs().count(Cost.DEVICE_PTE_WRITE, mtt.length);
            }
        } finally {
            resv.unlock();
        }
        Simulation sim = file.device().sim();
        if (sim.tracing()) {
            sim.traceOperation(file.device().name() + " page fault " + describe(),
                    err == 0 ? "mapped" : Errno.describe(err));
        }
        return err;
    }

    /**
     * {@code mlx5_ib_dmabuf_invalidate_cb}, the buffer's reservation lock held: when the region
     * is mapped, zap its translation (a UMR that completes only once no DMA uses the old
     * entries) and unmap; the next NIC access faults ({@link #pageFault}). Userspace is not told
     * (RMR-04).
     */
    void invalidate() {
        IbUmemDmabuf dmabuf = (IbUmemDmabuf) umem;
        dmabuf.dmabuf().resv().assertHeld();
        shared.write();
        if (deregistered || dmabuf.sgt() == null) {
            return;
        }
        Arrays.fill(mtt, null);
        file.device().sim().costs().count(Cost.DEVICE_PTE_WRITE, mtt.length);
        dmabuf.unmapPages();
    }

    /**
     * {@code mlx5_ib_dereg_mr}: the mkey is revoked first, so the NIC stops (for a dma-buf region
     * that can be invalidated, under the buffer's reservation lock, so that an invalidation
     * cannot reach a region half gone), then the umem is released.
     */
    void dereg() {
        if (deregistered) {
            throw new IllegalStateException("dereg twice: " + this);
        }
        boolean locked = umem instanceof IbUmemDmabuf d && !d.pinned();
        if (locked) {
            ((IbUmemDmabuf) umem).dmabuf().resv().lock();
        }
        shared.write(); // after the lock, which may sleep: the step that revokes the mkey
        deregistered = true;
        Arrays.fill(mtt, null);
        if (locked) {
            ((IbUmemDmabuf) umem).dmabuf().resv().unlock();
        }
        umem.release();
        file.device().deregistered(this);
    }

    /**
     * The error path of {@code reg_user_mr_dmabuf} ({@code mlx5_ib_dereg_mr} of a region never
     * published): the umem is released; the region was never in the device's registry.
     */
    void abandon() {
        shared.write();
        deregistered = true;
        Arrays.fill(mtt, null);
        umem.release();
    }

    /** Whether the region is over a dma-buf. */
    boolean overDmabuf() {
        return umem instanceof IbUmemDmabuf;
    }

    /** For reports: {@code mr 1 (16K of user memory at 0x10000)}. */
    String describe() {
        return "mr " + handle + " (" + umem.describe() + ")";
    }

    /** What the region translates to: {@code mtt -> pfn 1..4}, {@code mtt -> none} before a fault maps it. */
    String describeMtt() {
        shared.read();
        return "mtt -> " + PhysicalMemory.FrameRef.runs(Arrays.asList(mtt));
    }

    /** A size as scenarios write it: {@code 16K}, {@code 2M}, or bytes. */
    static String size(long bytes) {
        return accelmm.mm.Sizes.suffixed(bytes);
    }

    @Override
    public String toString() {
        return file.device().name() + " " + describe();
    }
}
