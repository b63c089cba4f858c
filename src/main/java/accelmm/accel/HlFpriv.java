package accelmm.accel;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.PageFrame;
import accelmm.mm.Principal;
import accelmm.mm.Task;
import accelmm.sim.Shared;

/**
 * Models {@code struct hl_fpriv}: the private data of an open compute device file, with its one
 * {@link HlCtx}. The memory ioctl ({@code hl_mem_ioctl}) is its methods: {@link #memAlloc},
 * {@link #memFree}, {@link #memExport}.
 *
 * <p>Lifetime ({@code hl_hpriv_get}/{@code hl_hpriv_put}): the file holds one reference and the
 * context one more. The file's release ({@link #release}, {@code hl_device_release}) drops the
 * context's and its own; the last one runs {@code hpriv_release}, which checks the device is idle
 * and scrubs its memory before the device takes a new compute context. From the file's release
 * to the end of that, {@code compute_ctx_in_release} is set and {@code open} is -EAGAIN (HL-01).
 */
public final class HlFpriv {

    private final HlDevice device;
    private final int id;
    private final Principal owner;
    private final HlCtx ctx;
    private File filp;
    private int refCount = 1;
    /** The reference count and the file. */
    private final Shared shared;

    /** {@code hl_device_open} after its checks: the file's data and ({@code hl_ctx_create}) its context. */
    HlFpriv(HlDevice device, int id, Principal owner) {
        this.device = device;
        this.id = id;
        this.owner = owner;
        this.shared = device.sim().shared("hl fpriv");
        this.ctx = new HlCtx(this);
        refCount++; // hl_ctx_init: the context holds the file's private data (hl_hpriv_get)
    }

    void opened(File file) {
        shared.write();
        this.filp = file;
    }

    /** A serial number of the device's files, for reports. */
    int id() {
        return id;
    }

    HlDevice device() {
        return device;
    }

    /** The process that opened the file: the principal of the device's accesses for its context. */
    Principal owner() {
        return owner;
    }

    /** {@code hpriv->filp}. */
    File filp() {
        shared.read();
        return filp;
    }

    HlCtx ctx() {
        return ctx;
    }

    /**
     * {@code HL_MEM_OP_ALLOC} (with the MAP the model folds into it, see {@link HlVmHashNode}):
     * {@code sizeBytes} rounded up to pages of device memory ({@code alloc_device_memory}).
     * Returns the handle (the lowest free from 1, device-wide), -EINVAL for size 0 (HL-03),
     * -ENOMEM when the device's memory has not that many free pages.
     */
    public long memAlloc(long sizeBytes) {
        if (sizeBytes == 0) {
            return Errno.EINVAL.neg();
        }
        long pageCount = Long.divideUnsigned(sizeBytes - 1, PageFrame.PAGE_SIZE) + 1;
        HlPhysPgPack pack = device.allocPack(ctx, pageCount);
        if (pack == null) {
            return Errno.ENOMEM.neg();
        }
        ctx.mapped(new HlVmHashNode(pack, device.sim().shared("hl vm hash node")));
        return pack.handle();
    }

    /**
     * {@code HL_MEM_OP_UNMAP} then {@code HL_MEM_OP_FREE} of the memory {@code handle} names
     * ({@code unmap_device_va}, {@code free_device_memory}): -EINVAL for a handle the context has
     * not mapped, and -EINVAL while a dma-buf of it lives ({@code export_cnt} > 0: "memory is
     * exported", HL-04); otherwise the pages go back to the device, 0.
     */
    public int memFree(long handle) {
        HlVmHashNode node = ctx.node(handle);
        if (node == null || node.exportCount() > 0) {
            return Errno.EINVAL.neg();
        }
        ctx.unmapped(node);
        device.freePack(node.pack());
        return 0;
    }

    /**
     * {@code HL_MEM_OP_EXPORT_DMABUF_FD} of the whole memory {@code handle} names ({@code
     * export_dmabuf_from_addr}): -EINVAL for a handle the context has not mapped; otherwise the
     * node's {@code export_cnt} is raised and a new dma-buf ({@link HlDmabuf}), readable, and
     * writable if {@code writable} ({@code O_RDWR} in the ioctl's flags), is installed in {@code
     * task}'s file table: the fd, or -EMFILE.
     */
    public int memExport(Task task, long handle, boolean writable) {
        HlVmHashNode node = ctx.node(handle);
        if (node == null) {
            return Errno.EINVAL.neg();
        }
        DmaBuf buf = HlDmabuf.export(ctx, node, writable);
        return buf.fd(task, false);
    }

    /**
     * {@code hl_device_release}: the file's last reference went. Under {@link
     * DmabufExportDesign#REVOKE} every dma-buf of the context is revoked first ({@link
     * HlDmabuf#revoke}: one whose last reference went while an earlier one was revoked is
     * skipped, its release having detached it). Then the context
     * goes ({@code hl_ctx_mgr_fini}; its memory is freed if nothing else holds it), {@code
     * compute_ctx_in_release} is set and the file's reference dropped. Under the designs modelled
     * nothing but the context holds the file's data at this point, so this is its last put: the
     * hard reset habanalabs did before 2023 when a dma-buf still held the context (HL-08) has no
     * design here.
     */
    void release() {
        if (device.exportDesign() == DmabufExportDesign.REVOKE) {
            for (HlDmabuf dmabuf : ctx.exports()) {
                dmabuf.revoke();
            }
        }
        ctx.put();
        device.computeCtxReleasing();
        shared.read();
        if (refCount != 1) {
            throw new IllegalStateException(this + " released while its context is held");
        }
        put();
    }

    /** {@code hl_hpriv_put}: the last reference runs {@code hpriv_release}. */
    void put() {
        shared.write();
        if (refCount <= 0) {
            throw new IllegalStateException("hl_hpriv_put underflow on " + this);
        }
        if (--refCount == 0) {
            device.hprivRelease(this);
        }
    }

    boolean isReleased() {
        shared.read();
        return refCount == 0;
    }

    @Override
    public String toString() {
        return device.name() + " file " + id + " of " + owner;
    }
}
