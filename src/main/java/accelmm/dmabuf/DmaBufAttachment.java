package accelmm.dmabuf;

/**
 * Models {@code struct dma_buf_attachment}: one importing device's attachment to a {@link
 * DmaBuf}, made by {@link DmaBuf#attach} and ended by {@link DmaBuf#detach}. It records the
 * importer's device ({@code dev}), its ops ({@code importer_ops}), and whether the importer may
 * reach the exporter's memory peer to peer ({@code peer2peer}): set from the importer's {@code
 * allow_peer2peer}, and cleared by the exporter's {@code attach} when the two devices cannot
 * reach each other.
 */
public final class DmaBufAttachment {

    private final DmaBuf dmabuf;
    private final DmaDevice dev;
    private final DmaBufImporterOps importerOps;
    private boolean peer2peer;
    private boolean detached;

    DmaBufAttachment(DmaBuf dmabuf, DmaDevice dev, DmaBufImporterOps importerOps) {
        this.dmabuf = dmabuf;
        this.dev = dev;
        this.importerOps = importerOps;
        this.peer2peer = importerOps.allowPeer2peer();
    }

    /** {@code attach->dmabuf}. */
    public DmaBuf dmabuf() {
        return dmabuf;
    }

    /** {@code attach->dev}: the importing device. */
    public DmaDevice dev() {
        return dev;
    }

    /** {@code attach->importer_ops}. */
    public DmaBufImporterOps importerOps() {
        return importerOps;
    }

    /** {@code attach->peer2peer}. */
    public boolean peer2peer() {
        return peer2peer;
    }

    /**
     * The exporter's {@code attach} callback clears {@code attach->peer2peer}: the importer
     * cannot reach the exporter's device memory, so the buffer must be in system memory for it.
     */
    public void clearPeer2peer() {
        peer2peer = false;
    }

    /** Whether {@link DmaBuf#detach} ended this attachment. */
    public boolean isDetached() {
        return detached;
    }

    void markDetached() {
        if (detached) {
            throw new IllegalStateException("dma_buf_detach twice: " + this);
        }
        detached = true;
    }

    @Override
    public String toString() {
        return dev.name() + " attachment to " + dmabuf.label();
    }
}
