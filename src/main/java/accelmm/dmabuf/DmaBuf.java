package accelmm.dmabuf;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.Cost;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;
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
 * <p>Importers on other devices attach ({@link #attach}, {@link #dynamicAttach}, {@link
 * DmaBufAttachment}); the exporter's {@code attach} may refuse them. The attachment list is
 * changed under the buffer's reservation lock in Linux; the model has no preemption point there,
 * as PRIME's import has none between its ioctl's entry and its end. Importers map their
 * attachment for the pages ({@link #mapAttachment}, an {@link SgTable}), may pin it ({@link
 * #pin}); a dynamic exporter tells dynamic importers that the buffer moves ({@link
 * #invalidateMappings}), and an exporter that must take its memory back revokes the buffer
 * ({@link #revoke}, RVK-02).
 *
 * <p>The buffer shares its exporter's reservation object ({@code dma_buf->resv}, given at export
 * as {@code exp_info.resv}): {@code DMA_BUF_IOCTL_SYNC} ({@link #ioctlSync}) waits for its fences.
 *
 * <p>Followed: drivers/dma-buf/dma-buf.c as of the v7.1 merge of the revoke series
 * ({@code dma_buf_invalidate_mappings}, optional {@code invalidate_mappings}, {@code
 * dma_buf_attach_revocable}, no {@code CONFIG_DMABUF_MOVE_NOTIFY}). Not here: the info query,
 * {@code poll}, {@code llseek}, {@code vmap}. Since 6.16 the core maps nothing at attach and
 * caches no table (the exporters' {@code cache_sgt_mapping} went with it).
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
    /** {@code dmabuf->attachments}, newest first ({@code list_add} puts each at the head). */
    private final List<DmaBufAttachment> attachments = new ArrayList<>(1);
    private final Simulation sim;
    /** The attachment list, the revoked flag and the lazily made unmap wait queue. */
    private final Shared shared;
    /** The exporter's map info, read once at export ({@code null}: no op). */
    private final DmaBufMapInfo mapInfo;
    /** Marked by {@link #revoke}: no new map or mmap. */
    private boolean revoked;
    /** Where {@link #revoke} waits for the importers' unmaps; made by the first revoke. */
    private WaitQueue unmapWaiters;

    private DmaBuf(Kernel kernel, DmaBufOps ops, DmaResv resv, long sizeBytes, boolean writable) {
        if (sizeBytes <= 0 || (sizeBytes & (PageFrame.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("dma-buf size " + sizeBytes + " is not a positive number of pages");
        }
        this.ops = ops;
        this.resv = resv;
        this.sizeBytes = sizeBytes;
        this.sim = kernel.sim();
        this.mapInfo = ops.mapInfo();
        this.shared = sim.shared("dma-buf");
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
     * The core of {@code DMA_BUF_IOCTL_INFO} with {@code DMA_BUF_INFO_MAP_INFO}, as the v2
     * proposal has it ({@link DmaBufMapInfo}; never merged): the map info the exporter gave at
     * export, or -ENOSYS when it has no op (KERNEL-SEMANTICS DBI-01). The caller has found the
     * buffer behind the descriptor (-EBADF, -ENOTTY for another file are the VFS's). The
     * proposal's -EINVAL for an unknown {@code param} has no counterpart: the model asks the one
     * parameter there is.
     */
    public Info ioctlInfo() {
        return mapInfo == null ? new Info(Errno.ENOSYS.neg(), null) : new Info(0, mapInfo);
    }

    /** What {@link #ioctlInfo} returns: the map info and 0, or {@code null} and a negative errno. */
    public record Info(int errno, DmaBufMapInfo mapInfo) {
        public Info {
            if ((mapInfo == null) == (errno == 0)) {
                throw new IllegalArgumentException("dma_buf_info returns map info or fails, not both");
            }
        }
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

    /**
     * {@code get_file_active(&dmabuf->file)}: a new reference if the buffer's file still has one,
     * else {@code false} — its last reference went and its release has run, as an exporter that
     * walks a list of its buffers finds one whose file is dying (VFIO's {@code
     * vfio_pci_dma_buf_cleanup} skips it).
     */
    public boolean getIfLive() {
        return file.tryGet();
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
     * {@code dma_buf_attach}: attaches a static importer on {@code dev} (no importer ops, so no
     * {@code peer2peer}); see {@link #dynamicAttach}.
     */
    public Attach attach(DmaDevice dev) {
        return dynamicAttach(dev, null);
    }

    /**
     * {@code dma_buf_dynamic_attach}: attaches the importer on {@code dev}, whose ops are {@code
     * importerOps} ({@code null} for a static importer), to this buffer. Since Linux 7.1 the ops
     * need not have {@code invalidate_mappings} (RVK-01). The attachment's {@code peer2peer}
     * starts as the importer allows; the exporter's {@code attach} may clear it, or refuse the
     * importer with a negative errno (-EOPNOTSUPP from an exporter whose memory the importer
     * cannot reach, -EBUSY, -ENODEV from a revoked buffer). Nothing is mapped yet, whether or
     * not importer and exporter are both dynamic: since Linux 6.16 the core neither maps nor
     * caches a table at attach time for a mismatched pair (it did from 5.7 to 6.15; see {@link
     * #mapAttachment} for what replaced it). Takes no reference on the buffer: the importer
     * holds its own.
     */
    public Attach dynamicAttach(DmaDevice dev, DmaBufImporterOps importerOps) {
        if (file.isReleased()) {
            throw new IllegalStateException("dma_buf_attach to released " + this);
        }
        DmaBufAttachment attach = new DmaBufAttachment(this, dev, importerOps, sim.shared("dma-buf attachment"));
        int ret = ops.attach(this, attach);
        if (ret < 0) {
            return new Attach(null, ret);
        }
        shared.write();
        attachments.addFirst(attach); // list_add: at the head of the list
        return new Attach(attach, 0);
    }

    /**
     * {@code __map_dma_buf}: the exporter's {@code map_dma_buf}; for a static importer, which
     * cannot take part in the buffer's synchronisation, the core then waits for the KERNEL
     * fences (a move in progress) before handing out the table.
     */
    private Mapped mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
        Mapped mapped = ops.map(attach, direction);
        if (mapped.sgt() != null && !attach.isDynamic()) {
            resv.waitUnsignaled(DmaResv.Usage.KERNEL);
        }
        return mapped;
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
        shared.write();
        if (attach.dmabuf() != this || !attachments.contains(attach)) {
            throw new IllegalStateException("dma_buf_detach of " + attach + ", not attached to " + this);
        }
        attachments.remove(attach);
        attach.markDetached();
        ops.detach(this, attach);
        wakeUnmapWaiters();
    }

    /** {@code dmabuf->attachments}: the importers attached now, newest first. */
    public List<DmaBufAttachment> attachments() {
        shared.read();
        return Collections.unmodifiableList(attachments);
    }

    /**
     * {@code dma_buf_map_attachment}: the buffer's pages for {@code attach}'s device, or a
     * negative errno. The caller holds the reservation lock, whatever kind importer and exporter
     * are (asserted unconditionally since Linux 6.2; a static importer maps with {@link
     * #mapAttachmentUnlocked}, which takes it). A revoked buffer refuses with -ENODEV
     * (the check VFIO's {@code map_dma_buf} makes, done here for every exporter that revokes
     * with {@link #revoke}). A static importer of a dynamic exporter, which cannot follow a move,
     * first pins the buffer ({@code dma_buf_pin_on_map}, Linux 6.16, in place of the table
     * mapped and cached at attach time before); a failed pin is its errno. Then the exporter
     * maps ({@link DmaBufOps#map}; a failed map drops that pin again); a static importer then
     * waits for a move in progress. A dynamic importer must still wait for the buffer's KERNEL
     * fences before its device uses the pages.
     */
    public Mapped mapAttachment(DmaBufAttachment attach, DmaDataDirection direction) {
        checkAttached(attach);
        resv.assertHeld();
        if (isRevoked()) {
            return Mapped.error(Errno.ENODEV.neg());
        }
        boolean pinOnMap = pinOnMap(attach);
        if (pinOnMap) {
            int ret = ops.pin(attach);
            if (ret < 0) {
                return Mapped.error(ret);
            }
        }
        Mapped mapped = mapDmaBuf(attach, direction);
        if (mapped.sgt() != null) {
            attach.mapped();
        } else if (pinOnMap) {
            ops.unpin(attach);
        }
        return mapped;
    }

    /**
     * {@code dma_buf_map_attachment_unlocked}: {@link #mapAttachment} under the reservation lock,
     * taken and dropped here (a preemption point when another holder has it), as static
     * importers map.
     */
    public Mapped mapAttachmentUnlocked(DmaBufAttachment attach, DmaDataDirection direction) {
        resv.lock();
        try {
            return mapAttachment(attach, direction);
        } finally {
            resv.unlock();
        }
    }

    /** {@code dma_buf_pin_on_map}: a static importer of a dynamic exporter pins for each mapping. */
    private boolean pinOnMap(DmaBufAttachment attach) {
        return ops.dynamic() && !attach.isDynamic();
    }

    /**
     * {@code dma_buf_unmap_attachment}: the importer is done with {@code sgt}, which goes back to
     * the exporter; the pin a static importer of a dynamic exporter took for it goes too. The
     * caller holds the reservation lock, as for {@link #mapAttachment}.
     */
    public void unmapAttachment(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        checkAttached(attach);
        resv.assertHeld();
        ops.unmap(attach, sgt, direction);
        if (pinOnMap(attach)) {
            ops.unpin(attach);
        }
        attach.unmapped();
        wakeUnmapWaiters();
    }

    /** {@code dma_buf_unmap_attachment_unlocked}: {@link #unmapAttachment} under the reservation lock it takes. */
    public void unmapAttachmentUnlocked(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        resv.lock();
        try {
            unmapAttachment(attach, sgt, direction);
        } finally {
            resv.unlock();
        }
    }

    /** What a map gave: a table, or {@code null} and a negative errno. */
    public record Mapped(SgTable sgt, int errno) {
        public Mapped {
            if ((sgt == null) == (errno == 0)) {
                throw new IllegalArgumentException("a map gives a table or fails, not both");
            }
        }

        public static Mapped of(SgTable sgt) {
            return new Mapped(sgt, 0);
        }

        public static Mapped error(int errno) {
            return new Mapped(null, errno);
        }
    }

    /**
     * {@code dma_buf_pin} (a dynamic importer, the reservation lock held): the exporter's {@code
     * pin}, if it has one, else 0. A static importer calling it is a model bug (the kernel
     * WARNs).
     */
    public int pin(DmaBufAttachment attach) {
        checkPinCaller(attach);
        return ops.pin(attach);
    }

    /** {@code dma_buf_unpin}: the exporter's {@code unpin}, under the same rules as {@link #pin}. */
    public void unpin(DmaBufAttachment attach) {
        checkPinCaller(attach);
        ops.unpin(attach);
    }

    private void checkPinCaller(DmaBufAttachment attach) {
        checkAttached(attach);
        if (!attach.isDynamic()) {
            throw new IllegalStateException("dma_buf_pin by static importer " + attach);
        }
        resv.assertHeld();
    }

    private void checkAttached(DmaBufAttachment attach) {
        if (attach.dmabuf() != this || attach.isDetached()) {
            throw new IllegalStateException(attach + " is not attached to " + this);
        }
    }

    /**
     * {@code dma_buf_invalidate_mappings} (formerly {@code dma_buf_move_notify}; the exporter
     * holds the reservation lock): every attachment whose importer has an {@code
     * invalidate_mappings} callback is told, newest first (the list's order: {@code
     * dma_buf_dynamic_attach} adds at the head, the walk is {@code list_for_each_entry}), that its
     * mappings must go. The
     * exporter waits for the buffer's fences before it moves or revokes the memory; the importers
     * may use their mappings until then. Each callback delivered counts as a {@link
     * Cost#NOTIFIER_INVALIDATION}: it is the importer's invalidation callback, as an interval
     * notifier's {@code invalidate} is a userptr driver's.
     */
    public void invalidateMappings() {
        resv.assertHeld();
        shared.read();
        for (DmaBufAttachment attach : List.copyOf(attachments)) {
            if (attach.isDynamic() && attach.importerOps().invalidatesMappings()) {
                sim.costs().count(Cost.NOTIFIER_INVALIDATION);
                attach.importerOps().invalidateMappings(attach);
            }
        }
    }

    /**
     * {@code dma_buf_attach_revocable} (Linux 7.1, RVK-01): whether the importer can give up its
     * mappings at any time, pinned or not: it has importer ops with an {@code
     * invalidate_mappings} callback. An exporter that revokes refuses other importers.
     */
    public static boolean attachRevocable(DmaBufAttachment attach) {
        return attach.isDynamic() && attach.importerOps().invalidatesMappings();
    }

    /**
     * The revoke sequence the dma-buf core documents for exporters (RVK-02), for an exporter
     * whose memory must go now (VFIO on reset or close): under the reservation lock the buffer is
     * marked revoked, its importers' mappings invalidated and its fences waited for; then,
     * unlocked, every importer's unmap is waited for.
     */
    public void revoke() {
        revoke(() -> {
        });
    }

    /**
     * {@link #revoke()} for an exporter that also unlinks the buffer from its own lists: {@code
     * unlinkLocked} runs under the reservation lock before the buffer is marked revoked and
     * before any wait, as VFIO's {@code vfio_pci_dma_buf_cleanup} unlinks it and clears its
     * device pointer, so a release that comes during the waits finds it unlinked already.
     */
    public void revoke(Runnable unlinkLocked) {
        resv.lock();
        try {
            unlinkLocked.run();
            revokeLocked();
        } finally {
            resv.unlock();
        }
        waitUnmapped();
    }

    /**
     * The locked half of the revoke sequence (RVK-02; the caller holds the reservation lock):
     * marks the buffer revoked — {@link #mapAttachment} and {@code mmap} say -ENODEV from then
     * on — invalidates every importer's mappings, and waits for every fence (BOOKKEEP: the
     * importers' jobs that may still use the memory), each unsignalled one a preemption point.
     */
    private void revokeLocked() {
        resv.assertHeld();
        shared.write();
        revoked = true;
        invalidateMappings();
        resv.waitUnsignaled(DmaResv.Usage.BOOKKEEP);
    }

    /**
     * The unlocked half of the revoke sequence: waits until every importer has unmapped. An
     * importer without the callback never unmaps on its own, so that wait ends only when its
     * owner lets go; exporters that revoke refuse such importers at attach ({@link
     * #attachRevocable}). The exporter zaps its CPU mappings itself, and its fault handler
     * answers SIGBUS once {@link #isRevoked()}; VFIO has given up waiting after a second with
     * a warning, a timeout the model does not have.
     */
    private void waitUnmapped() {
        shared.write();
        if (unmapWaiters == null) {
            unmapWaiters = new WaitQueue(sim, "dma_buf unmaps of ", label());
        }
        sim.preemptionPoint("dma_buf revoke " + label() + " waits for unmaps");
        unmapWaiters.waitEvent(() -> attachments().stream().noneMatch(DmaBufAttachment::isMapped));
    }

    /** Whether {@link #revoke} marked the buffer revoked. */
    public boolean isRevoked() {
        shared.read();
        return revoked;
    }

    private void wakeUnmapWaiters() {
        shared.read();
        if (unmapWaiters != null) {
            unmapWaiters.wakeUpAll();
        }
    }

    /**
     * {@code dma_buf_fd}: installs the file in {@code task}'s table with a reference the caller
     * hands over; returns the fd, or -EMFILE after dropping that reference.
     */
    public int fd(Task task, boolean cloexec) {
        return task.installFile(file, cloexec);
    }

    /**
     * Adds this dma-buf to {@code graph}: its file's references and state, and each attachment
     * (dynamic or pinned, mapped or not) on its list. The exporter names the object the dma-buf
     * holds and the importers the attachments they hold. Only reads the model.
     */
    public void addTo(ObjectGraph graph) {
        shared.read();
        String state = (isRevoked() ? "revoked, " : "") + accelmm.mm.Sizes.suffixed(sizeBytes) + ", file refs " + file.refCount();
        graph.node(this, "dma-buf", label(), state);
        ops.addTo(graph, this);
        for (DmaBufAttachment a : attachments) {
            graph.node(a, "attachment", a.toString(), (a.isDynamic() ? "dynamic" : "pinned")
                    + (a.isMapped() ? ", mapped" : "") + (a.peer2peer() ? ", peer2peer" : ""));
            graph.edge(this, a, "attachments");
        }
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
         * {@code dma_buf_mmap_internal}, in its order: -EINVAL for an exporter without {@code
         * ->mmap} ({@link DmaBufOps#mmapOp()} {@code null}), -EINVAL for a range that runs past the end of
         * the buffer, then the exporter's {@code mmap}, whose first answer for a revoked buffer
         * is -ENODEV (VFIO's dma-buf mmap refuses a revoked buffer; the check is made here for
         * every exporter that revokes with {@link #revoke}, after the core's two). Write
         * permission was checked against the file's mode by the mm layer before it called here.
         */
        @Override
        public int mmap(File f, MmapSetup setup) {
            DmaBufOps.MmapOp mmapOp = ops.mmapOp();
            if (mmapOp == null) {
                return Errno.EINVAL.neg();
            }
            long pages = sizeBytes >>> PageFrame.PAGE_SHIFT;
            long mappedPages = setup.lengthBytes() >>> PageFrame.PAGE_SHIFT;
            if (setup.pgoff() < 0 || setup.pgoff() + mappedPages > pages) {
                return Errno.EINVAL.neg();
            }
            if (isRevoked()) {
                return Errno.ENODEV.neg();
            }
            return mmapOp.mmap(DmaBuf.this, setup);
        }

        /**
         * {@code dma_buf_file_release} → {@code dma_buf_release} → {@code ops->release}. Every
         * importer holds a reference, so none is attached any more.
         */
        @Override
        public void release(File f) {
            shared.read();
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
