package accelmm.dmabuf;

import accelmm.mm.MmapSetup;

/**
 * Models {@code struct dma_buf_ops} (include/linux/dma-buf.h): what the exporter of a {@link
 * DmaBuf} does when an importer attaches, maps or pins it, when user space maps the buffer, and
 * when its last reference goes. The exporter owns the buffer's backing store; the dma-buf core
 * ({@link DmaBuf}) only checks the request and forwards it.
 *
 * <p>This layer owns the interface and the device drivers above implement it (drm's PRIME
 * exporter, after {@code xe_dmabuf_ops}), as the dma-buf core in Linux calls an exporter only
 * through its ops.
 *
 * <p>Dynamic exporters: an exporter that implements {@code pin} and {@code unpin} is dynamic
 * ({@code dma_buf_is_dynamic}): it may move the buffer while it is attached, telling dynamic
 * importers with {@link DmaBuf#invalidateMappings}, and it is called with the buffer's
 * reservation lock held for map, unmap, pin and unpin. Such an exporter overrides {@link
 * #dynamic()} to say so, with {@link #pin} and {@link #unpin}; the kernel refuses an export
 * with one of the two and not the other (-EINVAL), which the Java interface cannot express
 * apart, so an exporter overrides all three or none.
 */
public interface DmaBufOps {

    /**
     * {@code ->mmap}, optional in {@code struct dma_buf_ops}: the exporter's op, or {@code null}
     * (this default) for an exporter without one, whose CPU mappings {@code
     * dma_buf_mmap_internal} refuses with -EINVAL before it looks at the range. One method, so
     * that having the op and implementing it cannot disagree.
     */
    default MmapOp mmapOp() {
        return null;
    }

    /** An exporter's {@code ->mmap} ({@link #mmapOp}). */
    @FunctionalInterface
    interface MmapOp {
        /**
         * Sets up a CPU mapping of {@code buf} for a range the core has checked to lie inside it
         * ({@code setup.pgoff()} is in pages from the start of the buffer). Returns 0 after
         * choosing the VMA's operations and flags, or a negative errno.
         */
        int mmap(DmaBuf buf, MmapSetup setup);
    }

    /**
     * {@code ->attach} (optional: this default accepts every importer): checks a new attachment
     * before the core lists it. The exporter may clear {@code attach.peer2peer()} when the
     * importer cannot reach its memory; returns 0, or a negative errno that refuses the importer.
     */
    default int attach(DmaBuf buf, DmaBufAttachment attach) {
        return 0;
    }

    /** {@code ->detach} (optional): the core removed {@code attach} from the buffer. */
    default void detach(DmaBuf buf, DmaBufAttachment attach) {
    }

    /**
     * {@code ->map_dma_buf}: the buffer's pages for {@code attach}'s device, in buffer order, for
     * DMA in {@code direction}; {@code attach.peer2peer()} says whether the importer can take
     * device memory. Called with the reservation lock held when the exporter or the importer is
     * dynamic. Returns a table, or a negative errno (-EOPNOTSUPP for memory the importer cannot
     * reach, -ENODEV from a revoked buffer, a failed move's errno).
     */
    DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction);

    /** {@code ->unmap_dma_buf}: the importer is done with {@code sgt}, which {@link #map} gave. */
    void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction);

    /**
     * Whether the exporter implements {@code pin} and {@code unpin} ({@code
     * dma_buf_is_dynamic}); see the class comment.
     */
    default boolean dynamic() {
        return false;
    }

    /**
     * {@code ->pin} (the reservation lock held): the buffer must stay where every attachment can
     * reach it until {@link #unpin}; the exporter moves it there first. Returns 0 or a negative
     * errno. This default, for an exporter without the op, is the core's {@code dma_buf_pin}
     * finding none: 0, nothing done (an exporter that never moves its memory).
     */
    default int pin(DmaBufAttachment attach) {
        return 0;
    }

    /** {@code ->unpin} (the reservation lock held): the pin of {@link #pin} ends. */
    default void unpin(DmaBufAttachment attach) {
    }

    /**
     * {@code ->begin_cpu_access} (optional: this default has nothing to prepare, 0): the exporter
     * readies the buffer for CPU access in {@code direction} before the core waits for the
     * buffer's fences ({@link DmaBuf#beginCpuAccess}). Returns 0, or a negative errno that ends
     * the call before that wait.
     */
    default int beginCpuAccess(DmaBuf buf, DmaDataDirection direction) {
        return 0;
    }

    /**
     * {@code ->end_cpu_access} (optional: this default has nothing to flush, 0): CPU access in
     * {@code direction} is over. Returns 0 or a negative errno.
     */
    default int endCpuAccess(DmaBuf buf, DmaDataDirection direction) {
        return 0;
    }

    /**
     * The exporter's answer to {@code DMA_BUF_INFO_MAP_INFO} ({@link DmaBufMapInfo}; the
     * proposal's op, never merged), or {@code null} (this default) for an exporter without the
     * op, for which the ioctl is -ENOSYS. {@link DmaBuf#export} asks once: the value is fixed at
     * export, as v2 has it ({@code dma_buf_export_info.map_info}).
     */
    default DmaBufMapInfo mapInfo() {
        return null;
    }

    /** {@code ->release}: the buffer's last reference (fd, mapping, importer) went. */
    void release(DmaBuf buf);

    /** Who exported the buffer, for traces and leak reports: {@code gpu0 gem object 1 (16K)}. */
    String exporterName();

    /**
     * Adds to {@code graph} what {@code buf} holds of this exporter ({@code dmabuf->priv}): the
     * object it was exported from, or the frames it hands to importers. Nothing by default.
     */
    default void addTo(accelmm.sim.ObjectGraph graph, DmaBuf buf) {
    }
}
