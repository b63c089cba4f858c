package accelmm.dmabuf;

/**
 * Models {@code enum dma_data_direction} (include/linux/dma-direction.h): which way data moves
 * between memory and a device in a DMA or a CPU-access bracket. {@code DMA_BUF_IOCTL_SYNC} maps
 * its READ, WRITE and RW flags to {@link #FROM_DEVICE}, {@link #TO_DEVICE} and {@link
 * #BIDIRECTIONAL} (KERNEL-SEMANTICS §13.5).
 */
public enum DmaDataDirection {
    /** {@code DMA_BIDIRECTIONAL}: the CPU reads and writes. */
    BIDIRECTIONAL,
    /** {@code DMA_TO_DEVICE}: the CPU writes what a device will read. */
    TO_DEVICE,
    /** {@code DMA_FROM_DEVICE}: the CPU reads what a device wrote. */
    FROM_DEVICE;

    /**
     * Whether the CPU access writes, as {@code __dma_buf_begin_cpu_access} decides before it waits:
     * a writer waits for every fence, a reader for the writers' only ({@link DmaResv#usageRw}).
     */
    public boolean cpuWrites() {
        return this != FROM_DEVICE;
    }
}
