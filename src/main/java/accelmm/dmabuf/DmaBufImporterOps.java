package accelmm.dmabuf;

/**
 * Models {@code struct dma_buf_attach_ops}: what an importer tells the dma-buf core when it
 * attaches ({@code dma_buf_dynamic_attach}). This layer owns the interface; the importing
 * drivers implement it.
 *
 * <p>The core does not call {@link #invalidateMappings} yet: {@code dma_buf_invalidate_mappings},
 * with which an exporter tells its importers that the buffer moves, is a later step of the layer.
 */
public interface DmaBufImporterOps {

    /**
     * {@code allow_peer2peer}: the importer can handle the exporter's device memory without
     * struct pages; it is the attachment's first {@link DmaBufAttachment#peer2peer()}, which the
     * exporter may clear.
     */
    boolean allowPeer2peer();

    /**
     * {@code invalidate_mappings} (named {@code move_notify} before Linux 7.1): the buffer is
     * moving; the importer's mappings of {@code attach} stay valid until the fences of the
     * buffer's reservation signal, then the importer maps it again.
     */
    void invalidateMappings(DmaBufAttachment attach);
}
