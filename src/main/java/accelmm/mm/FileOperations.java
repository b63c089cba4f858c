package accelmm.mm;

/**
 * Models {@code struct file_operations}: what the owner of an open file does on mmap and on the
 * final release. Device files (DRM, dma-buf, accelerator queues) implement it in upper layers.
 */
public interface FileOperations {

    /**
     * {@code ->mmap}: validates and sets up a new VMA over the file at {@code pgoff} (pages). Returns
     * the operations the VMA will use and adjusts its flags through {@code setup}, or a negative
     * errno to refuse the mapping.
     */
    default int mmap(File file, MmapSetup setup) {
        return Errno.ENODEV.neg();
    }

    /** {@code ->release}: the last reference to the file went. */
    void release(File file);

    /** A name for traces, e.g. {@code drm gpu0}. */
    String name();
}
