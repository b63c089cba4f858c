package accelmm.rdma;

import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;
import accelmm.dmabuf.ImporterDesign;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Task;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Models {@code struct ib_uverbs_file}, an open uverbs file, with its user context and the one
 * protection domain every region of the file belongs to (both implicit: see {@link
 * IbDevice#open}), and the commands the language has on it.
 *
 * <p>Handles. The file's objects are numbered in one table ({@code ufile->idr}, an xarray with
 * {@code XA_FLAGS_ALLOC}: the lowest free number from 0, whatever the object's type); the
 * implicit protection domain holds 0, so regions get 1, 2, ... A handle is reserved when a
 * registration starts ({@code alloc_begin_idr_uobject}) and published when it succeeds, or
 * freed.
 *
 * <p>Close (RMR-07). The last reference to the file destroys every object left in it ({@code
 * ib_uverbs_close}, {@code uverbs_destroy_ufile_hw} with {@code RDMA_REMOVE_CLOSE}), newest
 * first, as the file's object list holds them: each region is deregistered, which stops the
 * NIC and releases its umem.
 *
 * <p>The NIC statements ({@code rdma_read}, {@code rdma_write}) stand for a work request on a
 * queue pair of this file's context that names the region's key, and its completion; they are
 * synchronous ({@link NicDma}).
 */
public final class IbUverbsFile {

    /** The handle of the implicit protection domain, the file's first object. */
    private static final long PD_HANDLE = 0;

    private final IbDevice device;
    private final int id;
    /** Published regions by handle. */
    private final TreeMap<Long, IbMr> handles = new TreeMap<>();
    /** Handles reserved by registrations in progress, and the protection domain's. */
    private final TreeSet<Long> taken = new TreeSet<>(List.of(PD_HANDLE));
    /** The file's regions in creation order ({@code ufile->uobjects}, walked newest first on close). */
    private final List<IbMr> uobjects = new ArrayList<>();
    private boolean released;
    /** The handle table, the object list and the released flag. */
    private final Shared shared;

    IbUverbsFile(IbDevice device, int id) {
        this.device = device;
        this.id = id;
        this.shared = device.sim().shared("uverbs file");
    }

    IbDevice device() {
        return device;
    }

    /** A serial number, unique on the device, for reports. */
    public int id() {
        return id;
    }

    /** The uverbs file behind {@code file}, or {@code null} when it is another kind of file. */
    public static IbUverbsFile ofFile(File file) {
        return file.privateData() instanceof IbUverbsFile f ? f : null;
    }

    /**
     * {@code UVERBS_METHOD_REG_MR} with an address ({@code ib_uverbs_reg_mr} through the ioctl
     * path, then {@code mlx5_ib_reg_user_mr}): registers {@code [addr, addr + length)} of the
     * caller's memory with local write and remote read and write access, its I/O virtual
     * address the address itself. Returns the new region's handle, or the errno of {@code
     * ib_umem_get} ({@link IbUmemUser#get}).
     */
    public long regMrUser(Task task, long addr, long length) {
        checkOpen();
        long handle = reserveHandle();
        IbUmemUser.Get got = IbUmemUser.get(task.mm(), addr, length);
        if (got.umem() == null) {
            unreserve(handle);
            return got.errno();
        }
        return publish(IbMr.overUserMemory(this, handle, task.principal(), got.umem()));
    }

    /**
     * {@code UVERBS_METHOD_REG_DMABUF_MR} over the whole buffer {@code fd} names ({@code
     * mlx5_ib_reg_user_mr_dmabuf}), for local write and remote read and write. Under {@code
     * importer=dynamic} the umem is {@code ib_umem_dmabuf_get} with mlx5's importer ops, whose
     * {@code invalidate_mappings} zaps the region's translation (RMR-02, RMR-04), and the
     * registration maps it once ({@code mlx5_ib_init_dmabuf_mr}: a page fault of the whole
     * region); under {@code importer=pinned} it is {@code ib_umem_dmabuf_get_pinned} (RMR-05),
     * pinned and mapped for the region's life. Returns the handle, or the errno of {@code
     * dma_buf_get} (EBADF, EINVAL), of the exporter's attach, pin or map.
     */
    public long regMrDmabuf(Task task, int fd) {
        checkOpen();
        long handle = reserveHandle();
        boolean pinned = device.kernel().designs().get(ImporterDesign.class) == ImporterDesign.PINNED;
        InvalidateCallback callback = new InvalidateCallback(shared);
        IbUmemDmabuf.Get got = pinned ? IbUmemDmabuf.getPinned(device, task, fd)
                : IbUmemDmabuf.get(device, task, fd, callback);
        if (got.umem() == null) {
            unreserve(handle);
            return got.errno();
        }
        IbMr mr = IbMr.overDmabuf(this, handle, task.principal(), got.umem());
        callback.publish(mr);
        int err = mr.pageFault();
        if (err < 0) {
            mr.abandon();
            unreserve(handle);
            return err;
        }
        return publish(mr);
    }

    /**
     * {@code mlx5_ib_dmabuf_attach_ops}: peer-to-peer allowed, and {@code invalidate_mappings}
     * ({@code mlx5_ib_dmabuf_invalidate_cb}) for the region made over the attachment; before the
     * region exists ({@code umem_dmabuf->private} still {@code NULL}) it does nothing.
     */
    private static final class InvalidateCallback implements DmaBufImporterOps {
        /** The file's state: the exporter's invalidation reads what the registration sets. */
        private final Shared shared;
        private IbMr mr;

        InvalidateCallback(Shared shared) {
            this.shared = shared;
        }

        /** {@code umem_dmabuf->private = mr}: from here an invalidation reaches the region. */
        void publish(IbMr region) {
            shared.write();
            mr = region;
        }

        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public boolean invalidatesMappings() {
            return true;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment attach) {
            shared.read();
            if (mr != null) {
                mr.invalidate();
            }
        }
    }

    /**
     * {@code rdma_read mr=H offset=N size=N into=ADDR}: the NIC reads region {@code handle} and
     * the bytes land at {@code into} in the caller's memory; 0, or -EIO for a failed completion
     * (no such region in this file, a range outside it, a local buffer that cannot be written).
     */
    public int rdmaRead(Task caller, long handle, long offset, long size, long into) {
        checkOpen();
        IbMr mr = published(handle);
        return mr == null ? Errno.EIO.neg() : NicDma.read(mr, offset, size, caller, into);
    }

    /**
     * {@code rdma_write mr=H offset=N data=DATA}: the NIC writes {@code data} (with its secret
     * labels, or null) into region {@code handle}; 0, or -EIO for a failed completion.
     */
    public int rdmaWrite(long handle, long offset, byte[] data, int[] labels) {
        checkOpen();
        IbMr mr = published(handle);
        return mr == null ? Errno.EIO.neg() : NicDma.write(mr, offset, data, labels);
    }

    /** The lowest free handle, reserved for a registration in progress. */
    private long reserveHandle() {
        shared.write();
        long handle = 0;
        while (taken.contains(handle)) {
            handle++;
        }
        taken.add(handle);
        return handle;
    }

    /** A registration that failed gives its handle back. */
    private void unreserve(long handle) {
        shared.write();
        taken.remove(handle);
    }

    /** The published region {@code handle} names, or {@code null}. */
    private IbMr published(long handle) {
        shared.read();
        return handles.get(handle);
    }

    private long publish(IbMr mr) {
        shared.write();
        handles.put(mr.handle(), mr);
        uobjects.add(mr);
        device.registered(mr);
        return mr.handle();
    }

    /** {@code ib_uverbs_close}: deregisters every region of the file, newest first. */
    void release() {
        checkOpen();
        shared.write();
        released = true;
        for (int i = uobjects.size() - 1; i >= 0; i--) {
            uobjects.get(i).dereg();
        }
        shared.write(); // a deregistration may sleep on a reservation lock
        uobjects.clear();
        handles.clear();
    }

    private void checkOpen() {
        shared.read();
        if (released) {
            throw new IllegalStateException("uverbs file " + id + " used after its release");
        }
    }

    @Override
    public String toString() {
        return "uverbs file " + id + " of " + device.name();
    }
}
