package accelmm.drm;

import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufImporterOps;

/**
 * Models {@code xe_dma_buf_attach_ops}: the importer ops with which this device attaches to
 * another device's dma-buf on PRIME import ({@code xe_gem_prime_import} →
 * {@code dma_buf_dynamic_attach}). It asks for peer-to-peer access ({@code allow_peer2peer}), which
 * the exporter clears when the devices cannot reach each other.
 *
 * <p>{@code xe_dma_buf_move_notify} evicts the importing object so that its next use maps the
 * buffer at its new place. The model's imported object borrows the exporter's pages instead, and
 * no exporter invalidates its importers yet, so this callback is never called: a call is a model
 * bug until the dma-buf layer delivers {@code dma_buf_invalidate_mappings}.
 */
final class PrimeImportOps implements DmaBufImporterOps {

    /** One set of ops for every import, as the kernel's is a {@code static const} struct. */
    static final PrimeImportOps INSTANCE = new PrimeImportOps();

    private PrimeImportOps() {
    }

    @Override
    public boolean allowPeer2peer() {
        return true;
    }

    @Override
    public boolean invalidatesMappings() {
        return true;
    }

    @Override
    public void invalidateMappings(DmaBufAttachment attach) {
        throw new IllegalStateException("invalidate_mappings of " + attach
                + ": an imported object does not follow a move of its exporter in the model yet");
    }
}
