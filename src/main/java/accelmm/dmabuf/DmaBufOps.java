package accelmm.dmabuf;

import accelmm.mm.MmapSetup;

/**
 * Models the part of {@code struct dma_buf_ops} (include/linux/dma-buf.h) that the model's
 * exporters implement today: what the exporter of a {@link DmaBuf} does when user space maps the
 * buffer and when its last reference goes. The exporter owns the buffer's backing store; the
 * dma-buf core ({@link DmaBuf}) only checks the request and forwards it.
 *
 * <p>This layer owns the interface and the device drivers above implement it (drm's PRIME
 * exporter, {@code drm_gem_prime_dmabuf_ops}), as the dma-buf core in Linux calls an exporter
 * only through its ops. {@code map_dma_buf}/{@code unmap_dma_buf} and {@code pin}/{@code unpin}
 * are still to come.
 */
public interface DmaBufOps {

    /**
     * {@code ->mmap}: sets up a CPU mapping of the buffer for a range the core has checked to
     * lie inside it ({@code setup.pgoff()} is in pages from the start of the buffer). Returns 0
     * after choosing the VMA's operations and flags, or a negative errno.
     */
    int mmap(DmaBuf buf, MmapSetup setup);

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

    /** {@code ->release}: the buffer's last reference (fd, mapping, importer) went. */
    void release(DmaBuf buf);

    /** Who exported the buffer, for traces and leak reports: {@code gpu0 gem object 1 (16K)}. */
    String exporterName();
}
