package accelmm.dmabuf;

import accelmm.sim.DesignValue;

/**
 * Design key {@code importer}: how a device driver imports another device's dma-buf (a PRIME
 * import on another GPU, an RDMA memory region over a dma-buf). Read it with {@code
 * kernel.designs().get(ImporterDesign.class)}.
 */
public enum ImporterDesign implements DesignValue {
    /**
     * A dynamic importer, as xe's PRIME import and {@code ib_umem_dmabuf_get} are: {@code
     * dma_buf_dynamic_attach} with importer ops; the importer maps the attachment under the
     * buffer's reservation lock when it needs the pages, and drops its mapping when the
     * exporter calls {@code dma_buf_invalidate_mappings}, mapping again at its next use. The
     * exporter stays free to move the buffer.
     */
    DYNAMIC("dynamic"),
    /**
     * A pinned importer: a static {@code dma_buf_attach} (no importer ops) for a GPU, after which
     * the core pins a dynamic exporter and caches one BIDIRECTIONAL mapping; {@code
     * ib_umem_dmabuf_get_pinned} for an RDMA memory region. The buffer does not move while the
     * importer holds it.
     */
    PINNED("pinned");

    private final String value;

    ImporterDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "importer";
    }

    @Override
    public String value() {
        return value;
    }
}
