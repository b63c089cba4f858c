package accelmm.dmabuf;

/**
 * Models {@code struct dma_buf_attachment}: one importing device's attachment to a {@link
 * DmaBuf}, made by {@link DmaBuf#attach} (a static importer) or {@link DmaBuf#dynamicAttach} and
 * ended by {@link DmaBuf#detach}. It records the importer's device ({@code dev}), its ops
 * ({@code importer_ops}, none for a static importer), whether the importer may reach the
 * exporter's memory peer to peer ({@code peer2peer}: set from the importer's {@code
 * allow_peer2peer}, and cleared by the exporter's {@code attach} when the two devices cannot
 * reach each other), and the mapping the core cached at attach time for an importer and an
 * exporter of which one is dynamic and the other not ({@code sgt}, {@code dir}).
 *
 * <p>The model also counts the importer's mappings not yet unmapped, so that an exporter that
 * revokes the buffer can wait until every importer let go (RVK-02).
 */
public final class DmaBufAttachment {

    private final DmaBuf dmabuf;
    private final DmaDevice dev;
    private final DmaBufImporterOps importerOps;
    private boolean peer2peer;
    private boolean detached;
    /** {@code attach->sgt}: the mapping cached at attach time, or {@code null}. */
    private SgTable sgt;
    /** {@code attach->dir}: the direction of {@link #sgt}. */
    private DmaDataDirection dir;
    /** Mappings handed out by {@code dma_buf_map_attachment} and not unmapped, the cached one aside. */
    private int mapCount;

    DmaBufAttachment(DmaBuf dmabuf, DmaDevice dev, DmaBufImporterOps importerOps) {
        this.dmabuf = dmabuf;
        this.dev = dev;
        this.importerOps = importerOps;
        this.peer2peer = importerOps != null && importerOps.allowPeer2peer();
    }

    /** {@code attach->dmabuf}. */
    public DmaBuf dmabuf() {
        return dmabuf;
    }

    /** {@code attach->dev}: the importing device. */
    public DmaDevice dev() {
        return dev;
    }

    /** {@code attach->importer_ops}, or {@code null} for a static importer. */
    public DmaBufImporterOps importerOps() {
        return importerOps;
    }

    /** {@code dma_buf_attachment_is_dynamic}: the importer attached with importer ops. */
    public boolean isDynamic() {
        return importerOps != null;
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

    /** The mapping the core cached at attach time ({@code attach->sgt}), or {@code null}. */
    public SgTable cachedSgt() {
        return sgt;
    }

    /** Whether the importer holds a mapping now: one handed out and not unmapped, or the cached one. */
    public boolean isMapped() {
        return mapCount > 0 || sgt != null;
    }

    DmaDataDirection cachedDirection() {
        return dir;
    }

    void cache(SgTable table, DmaDataDirection direction) {
        sgt = table;
        dir = direction;
    }

    void mapped() {
        mapCount++;
    }

    void unmapped() {
        if (mapCount <= 0) {
            throw new IllegalStateException("dma_buf_unmap_attachment without a mapping: " + this);
        }
        mapCount--;
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
