package accelmm.dmabuf;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Models the part of {@code struct dma_buf} (drivers/dma-buf/dma-buf.c) that PRIME export,
 * import and CPU mmap need: a buffer of {@code sizeBytes} shared as an anonymous file, its
 * exporter's {@link DmaBufOps}, and the file's reference count as its lifetime.
 *
 * <p>Lifetime is the file's: every fd ({@link #fd}), every VMA of an mmap (the mm layer holds
 * a file reference per VMA), every importer and every cache that keeps the buffer ({@code
 * get_dma_buf}) holds one reference, and the last {@code fput} calls the exporter's {@code
 * release}. The access mode is fixed when the buffer is exported: {@code O_RDWR} makes the file
 * writable, otherwise it is read-only and the mm layer refuses writable shared mappings with
 * -EACCES ({@code do_mmap}'s {@code FMODE_WRITE} check).
 *
 * <p>Importers on other devices attach ({@link #attach}, {@link DmaBufAttachment}); the exporter's
 * {@code attach} may refuse them. The attachment list is changed under the buffer's reservation
 * lock in Linux; the model has no preemption point there, as PRIME's import has none between its
 * ioctl's entry and its end.
 *
 * <p>The buffer shares its exporter's reservation object ({@code dma_buf->resv}, given at export
 * as {@code exp_info.resv}): {@code DMA_BUF_IOCTL_SYNC} ({@link #ioctlSync}) waits for its fences.
 *
 * <p>What is not here yet: map/unmap of attachments, {@code dma_buf_invalidate_mappings}
 * (formerly {@code move_notify}), pin, revoke, the info query, {@code poll}, {@code llseek}.
 */
public final class DmaBuf {

    /** {@code DMA_BUF_SYNC_READ} (include/uapi/linux/dma-buf.h). */
    public static final long SYNC_READ = 1;
    /** {@code DMA_BUF_SYNC_WRITE}. */
    public static final long SYNC_WRITE = 2;
    /** {@code DMA_BUF_SYNC_RW}: both. */
    public static final long SYNC_RW = SYNC_READ | SYNC_WRITE;
    /** {@code DMA_BUF_SYNC_START}: no bit; a sync without {@link #SYNC_END} starts CPU access. */
    public static final long SYNC_START = 0;
    /** {@code DMA_BUF_SYNC_END}. */
    public static final long SYNC_END = 4;
    /** {@code DMA_BUF_SYNC_VALID_FLAGS_MASK}. */
    private static final long SYNC_VALID_FLAGS_MASK = SYNC_RW | SYNC_END;

    private final DmaBufOps ops;
    private final DmaResv resv;
    private final long sizeBytes;
    private final File file;
    /** {@code dmabuf->attachments}, in the order they were made. */
    private final List<DmaBufAttachment> attachments = new ArrayList<>(1);

    private DmaBuf(Kernel kernel, DmaBufOps ops, DmaResv resv, long sizeBytes, boolean writable) {
        if (sizeBytes <= 0 || (sizeBytes & (PageFrame.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("dma-buf size " + sizeBytes + " is not a positive number of pages");
        }
        this.ops = ops;
        this.resv = resv;
        this.sizeBytes = sizeBytes;
        this.file = kernel.openFile(new Fops(), true, writable, this);
    }

    /**
     * {@code dma_buf_export}: a new buffer whose file is readable, and writable if {@code
     * writable} ({@code O_RDWR} in the export flags), sharing the exporter's {@code resv} ({@code
     * exp_info.resv}; the model has no exporter without one). The caller owns the one reference.
     */
    public static DmaBuf export(Kernel kernel, DmaBufOps ops, DmaResv resv, long sizeBytes, boolean writable) {
        return new DmaBuf(kernel, ops, resv, sizeBytes, writable);
    }

    /**
     * {@code dma_buf_get}: the buffer behind {@code fd} of {@code task} with a new reference the
     * caller drops, or an errno: -EBADF for a descriptor that is not open, -EINVAL for a file
     * that is not a dma-buf ({@code is_dma_buf_file}).
     */
    public static Lookup get(Task task, int fd) {
        File f = task.files().lookup(fd);
        if (f == null) {
            return new Lookup(null, Errno.EBADF.neg());
        }
        DmaBuf buf = ofFile(f);
        if (buf == null) {
            return new Lookup(null, Errno.EINVAL.neg());
        }
        buf.get();
        return new Lookup(buf, 0);
    }

    /**
     * {@code is_dma_buf_file}, then {@code file->private_data}: the buffer whose file {@code f}
     * is, or {@code null} for any other file. Takes no reference.
     */
    public static DmaBuf ofFile(File f) {
        return f.privateData() instanceof DmaBuf buf && buf.file == f ? buf : null;
    }

    /** What {@link #get(Task, int)} found: a buffer (with a reference for the caller), or {@code null} and a negative errno. */
    public record Lookup(DmaBuf buf, int errno) {
        public Lookup {
            if ((buf == null) == (errno == 0)) {
                throw new IllegalArgumentException("a dma-buf lookup finds a buffer or fails, not both");
            }
        }
    }

    /** {@code dmabuf->file}. */
    public File file() {
        return file;
    }

    /** {@code dmabuf->ops}. */
    public DmaBufOps ops() {
        return ops;
    }

    /** {@code dmabuf->resv}: the exporter's reservation object. */
    public DmaResv resv() {
        return resv;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /**
     * {@code dma_buf_ioctl}'s {@code DMA_BUF_IOCTL_SYNC} with {@code flags}: -EINVAL for a bit
     * outside {@code RW|END} or for neither READ nor WRITE (so flags 0 and END alone are invalid,
     * KERNEL-SEMANTICS PM-11); otherwise {@link #endCpuAccess} with END, {@link #beginCpuAccess}
     * without it, in the direction the READ/WRITE bits give (§13.5).
     */
    public int ioctlSync(long flags) {
        if ((flags & ~SYNC_VALID_FLAGS_MASK) != 0) {
            return Errno.EINVAL.neg();
        }
        DmaDataDirection direction;
        if ((flags & SYNC_RW) == SYNC_RW) {
            direction = DmaDataDirection.BIDIRECTIONAL;
        } else if ((flags & SYNC_RW) == SYNC_WRITE) {
            direction = DmaDataDirection.TO_DEVICE;
        } else if ((flags & SYNC_RW) == SYNC_READ) {
            direction = DmaDataDirection.FROM_DEVICE;
        } else {
            return Errno.EINVAL.neg();
        }
        return (flags & SYNC_END) != 0 ? endCpuAccess(direction) : beginCpuAccess(direction);
    }

    /**
     * {@code dma_buf_begin_cpu_access}: the exporter's {@code begin_cpu_access}, then, if it
     * returned 0, {@code __dma_buf_begin_cpu_access}: a wait for the implicit-sync fences of
     * {@link #resv} ({@code dma_resv_wait_timeout} with {@code dma_resv_usage_rw(write)} and no
     * timeout). A CPU reader waits for the writers, a writer for every reader and writer (PV-6);
     * each unsignalled fence is a preemption point. The wait is interruptible in Linux; the model
     * sends no signals, so it returns only once the fences signalled, 0.
     */
    public int beginCpuAccess(DmaDataDirection direction) {
        int ret = ops.beginCpuAccess(this, direction);
        if (ret != 0) {
            return ret;
        }
        resv.waitUnsignaled(DmaResv.usageRw(direction.cpuWrites()));
        return 0;
    }

    /** {@code dma_buf_end_cpu_access}: the exporter's {@code end_cpu_access}; waits for nothing. */
    public int endCpuAccess(DmaDataDirection direction) {
        return ops.endCpuAccess(this, direction);
    }

    /** Whether the file was exported {@code O_RDWR}. */
    public boolean writable() {
        return file.writable();
    }

    /** A serial number for reports: the file's (as the kernel names a dma-buf by its inode). */
    public int id() {
        return file.id();
    }

    /** References on the buffer: the file's count. */
    public int refCount() {
        return file.refCount();
    }

    public boolean isReleased() {
        return file.isReleased();
    }

    /** {@code get_dma_buf}: one more reference (the file's). */
    public void get() {
        file.get();
    }

    /** {@code dma_buf_put}: the last reference releases the buffer through the exporter. */
    public void put() {
        file.put();
    }

    /**
     * {@code dma_buf_dynamic_attach}: attaches the importer on {@code dev}, whose ops are {@code
     * importerOps}, to this buffer. The attachment's {@code peer2peer} starts as the importer
     * allows; the exporter's {@code attach} may clear it, or refuse the importer with a negative
     * errno (-EOPNOTSUPP from an exporter whose memory the importer cannot reach). Takes no
     * reference on the buffer: the importer holds its own.
     */
    public Attach attach(DmaDevice dev, DmaBufImporterOps importerOps) {
        if (file.isReleased()) {
            throw new IllegalStateException("dma_buf_attach to released " + this);
        }
        DmaBufAttachment attach = new DmaBufAttachment(this, dev, importerOps);
        int ret = ops.attach(this, attach);
        if (ret < 0) {
            return new Attach(null, ret);
        }
        attachments.add(attach);
        return new Attach(attach, 0);
    }

    /** What {@link #attach} gave: an attachment, or {@code null} and the exporter's negative errno. */
    public record Attach(DmaBufAttachment attachment, int errno) {
        public Attach {
            if ((attachment == null) == (errno == 0)) {
                throw new IllegalArgumentException("an attach makes an attachment or fails, not both");
            }
        }
    }

    /** {@code dma_buf_detach}: ends {@code attach}, then tells the exporter ({@code ops->detach}). */
    public void detach(DmaBufAttachment attach) {
        if (attach.dmabuf() != this || !attachments.remove(attach)) {
            throw new IllegalStateException("dma_buf_detach of " + attach + ", not attached to " + this);
        }
        attach.markDetached();
        ops.detach(this, attach);
    }

    /** {@code dmabuf->attachments}: the importers attached now, oldest first. */
    public List<DmaBufAttachment> attachments() {
        return Collections.unmodifiableList(attachments);
    }

    /**
     * {@code dma_buf_fd}: installs the file in {@code task}'s table with a reference the caller
     * hands over; returns the fd, or -EMFILE after dropping that reference.
     */
    public int fd(Task task, boolean cloexec) {
        return task.installFile(file, cloexec);
    }

    /** {@code dma-buf 7}. */
    public String label() {
        return "dma-buf " + id();
    }

    @Override
    public String toString() {
        return label();
    }

    /** {@code dma_buf_fops}. */
    private final class Fops implements FileOperations {

        /**
         * {@code dma_buf_mmap_internal}: -EINVAL for a range that runs past the end of the buffer,
         * then the exporter's {@code mmap}. (Write permission was checked against the file's mode
         * by the mm layer before it called here.)
         */
        @Override
        public int mmap(File f, MmapSetup setup) {
            long pages = sizeBytes >>> PageFrame.PAGE_SHIFT;
            long mappedPages = setup.lengthBytes() >>> PageFrame.PAGE_SHIFT;
            if (setup.pgoff() < 0 || setup.pgoff() + mappedPages > pages) {
                return Errno.EINVAL.neg();
            }
            return ops.mmap(DmaBuf.this, setup);
        }

        /**
         * {@code dma_buf_file_release} → {@code dma_buf_release} → {@code ops->release}. Every
         * importer holds a reference, so none is attached any more.
         */
        @Override
        public void release(File f) {
            if (!attachments.isEmpty()) {
                throw new IllegalStateException(label() + " released with attachments " + attachments);
            }
            ops.release(DmaBuf.this);
        }

        @Override
        public String name() {
            return label() + " of " + ops.exporterName();
        }
    }
}
