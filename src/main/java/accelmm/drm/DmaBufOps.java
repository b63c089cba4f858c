package accelmm.drm;

import accelmm.mm.MmapSetup;

/**
 * Models the part of {@code struct dma_buf_ops} that PRIME needs: what the exporter of a {@link
 * DmaBuf} does when user space maps the buffer and when its last reference goes. The exporter
 * owns the buffer's backing store; the dma-buf core ({@link DmaBuf}) only checks the request
 * and forwards it.
 *
 * <p>{@code attach}/{@code detach}, {@code map_dma_buf}/{@code unmap_dma_buf}, {@code pin},
 * {@code begin_cpu_access}/{@code end_cpu_access} and the importer's {@code move_notify} are the
 * dmabuf layer's to add: it builds on this interface (and on {@link DmaBuf}) rather than
 * replacing it, so GEM's exporter ({@link PrimeExport}) and later exporters (accelerator memory)
 * share one contract. The interface lives in {@code drm} because {@code drm_prime.c} calls the
 * dma-buf core, and the layers only call upwards through interfaces the lower one owns.
 */
public interface DmaBufOps {

    /**
     * {@code ->mmap}: sets up a CPU mapping of the buffer for a range the core has checked to
     * lie inside it ({@code setup.pgoff()} is in pages from the start of the buffer). Returns 0
     * after choosing the VMA's operations and flags, or a negative errno.
     */
    int mmap(DmaBuf buf, MmapSetup setup);

    /** {@code ->release}: the buffer's last reference (fd, mapping, importer) went. */
    void release(DmaBuf buf);

    /** Who exported the buffer, for traces and leak reports: {@code gpu0 gem object 1 (16K)}. */
    String exporterName();
}
