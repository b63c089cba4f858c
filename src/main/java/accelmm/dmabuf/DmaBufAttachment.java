package accelmm.dmabuf;

import accelmm.sim.Shared;

/**
 * Models {@code struct dma_buf_attachment}: one importing device's attachment to a {@link
 * DmaBuf}, made by {@link DmaBuf#attach} (a static importer) or {@link DmaBuf#dynamicAttach} and
 * ended by {@link DmaBuf#detach}. It records the importer's device ({@code dev}), its ops
 * ({@code importer_ops}, none for a static importer), whether the importer may reach the
 * exporter's memory peer to peer ({@code peer2peer}: set from the importer's {@code
 * allow_peer2peer}, and cleared by the exporter's {@code attach} when the two devices cannot
 * reach each other). Since Linux 6.16 the core keeps no mapping in it: an importer and an
 * exporter of which one is dynamic and the other not no longer get a table mapped and cached
 * at attach time (commits "dma-buf: stop mapping sg_tables on attach v2" and "dma-buf: drop
 * caching of sg_tables", Christian König, Feb 2025); every map goes to the exporter.
 *
 * <p>The model also counts the importer's mappings not yet unmapped, so that an exporter that
 * revokes the buffer can wait until every importer let go (RVK-02).
 */
public final class DmaBufAttachment {

    private final DmaBuf dmabuf;
    private final DmaDevice dev;
    private final DmaBufImporterOps importerOps;
    /** The peer-to-peer flag, the detached flag and the map count. */
    private final Shared shared;
    private boolean peer2peer;
    private boolean detached;
    /** Mappings handed out by {@code dma_buf_map_attachment} and not unmapped. */
    private int mapCount;

    DmaBufAttachment(DmaBuf dmabuf, DmaDevice dev, DmaBufImporterOps importerOps, Shared shared) {
        this.dmabuf = dmabuf;
        this.shared = shared;
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
        shared.read();
        return peer2peer;
    }

    /**
     * The exporter's {@code attach} callback clears {@code attach->peer2peer}: the importer
     * cannot reach the exporter's device memory, so the buffer must be in system memory for it.
     */
    public void clearPeer2peer() {
        shared.write();
        peer2peer = false;
    }

    /** Whether {@link DmaBuf#detach} ended this attachment. */
    public boolean isDetached() {
        shared.read();
        return detached;
    }

    /** Whether the importer holds a mapping now: one handed out and not unmapped. */
    public boolean isMapped() {
        shared.read();
        return mapCount > 0;
    }

    void mapped() {
        shared.write();
        mapCount++;
    }

    void unmapped() {
        shared.write();
        if (mapCount <= 0) {
            throw new IllegalStateException("dma_buf_unmap_attachment without a mapping: " + this);
        }
        mapCount--;
    }

    void markDetached() {
        shared.write();
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
