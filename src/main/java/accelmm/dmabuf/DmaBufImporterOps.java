package accelmm.dmabuf;

/**
 * Models {@code struct dma_buf_attach_ops}: what a dynamic importer tells the dma-buf core when
 * it attaches ({@code dma_buf_dynamic_attach}). This layer owns the interface; the importing
 * drivers implement it. A static importer ({@code dma_buf_attach}) has none.
 *
 * <p>Since Linux 7.1 the {@code invalidate_mappings} callback (named {@code move_notify} before)
 * is optional (RVK-01): an importer that pins the buffer and cannot give up its mapping leaves it
 * out, and is then not revocable ({@link DmaBuf#attachRevocable}). The model says "absent" with
 * {@link #invalidatesMappings()} returning {@code false}; the core then never calls {@link
 * #invalidateMappings}.
 */
public interface DmaBufImporterOps {

    /**
     * {@code allow_peer2peer}: the importer can handle the exporter's device memory without
     * struct pages; it is the attachment's first {@link DmaBufAttachment#peer2peer()}, which the
     * exporter may clear.
     */
    boolean allowPeer2peer();

    /** Whether the importer has an {@code invalidate_mappings} callback (see the class comment). */
    boolean invalidatesMappings();

    /**
     * {@code invalidate_mappings}, called by {@link DmaBuf#invalidateMappings} with the buffer's
     * reservation lock held: the buffer is about to move (or is being revoked). The importer's
     * mappings of {@code attach} stay usable until the fences of the buffer's reservation
     * signal; the importer must drop them ({@link DmaBuf#unmapAttachment}) and map again before
     * its device touches the buffer again, so that it reaches the new place. This default is for
     * an importer without the callback, which the core never calls.
     */
    default void invalidateMappings(DmaBufAttachment attach) {
        throw new IllegalStateException("invalidate_mappings of " + attach + ": the importer has none");
    }
}
