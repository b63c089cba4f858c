package accelmm.dmabuf;

/**
 * How a dma-buf's CPU mappings treat the caches, as the exporter states it for {@code
 * DMA_BUF_IOCTL_INFO} with {@code DMA_BUF_INFO_MAP_INFO}: the v2 proposal (Rob Clark,
 * "dma-buf: Add ioctl to query mmap coherency/cache info", 15 Aug 2022; v1 of 29 Jul had two
 * values, WC and CACHED). It was posted and never merged: Christian König refused it in
 * principle, since an exporter may change a buffer's caching at any time (KERNEL-SEMANTICS
 * DBI-03), and mainline's {@code _IOWR('b', 2, ...)} became {@code DMA_BUF_IOCTL_EXPORT_SYNC_FILE}.
 * The model follows the proposal as posted. The value is fixed when the buffer is exported.
 */
public enum DmaBufMapInfo {
    /** {@code DMA_BUF_COHERENCY_INCOHERENT} (0): CPU access needs {@code DMA_BUF_IOCTL_SYNC}. */
    INCOHERENT(0, "incoherent"),
    /** {@code DMA_BUF_COHERENCY_COHERENT_WC} (1): coherent, mapped write-combined. */
    COHERENT_WC(1, "wc"),
    /** {@code DMA_BUF_COHERENCY_COHERENT_CACHED} (2): coherent, mapped cached. */
    COHERENT_CACHED(2, "cached");

    private final int value;
    private final String word;

    DmaBufMapInfo(int value, String word) {
        this.value = value;
        this.word = word;
    }

    /** The value the ioctl returns in {@code dma_buf_info.value}. */
    public int value() {
        return value;
    }

    /** The scenario language's word: {@code incoherent}, {@code wc}, {@code cached}. */
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }
}
