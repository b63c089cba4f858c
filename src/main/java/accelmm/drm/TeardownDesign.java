package accelmm.drm;

import accelmm.sim.DesignValue;

/**
 * Design key {@code teardown}: how the objects of a DRM file go away when the file is closed,
 * and what breaks the reference cycle between a GEM object and the VMs it is mapped in (seed
 * 001: "your vm struct needs both a refcount like kref and a separate open count").
 */
public enum TeardownDesign implements DesignValue {
    /**
     * The seed's structure: a VM has a refcount and an open count, the file's VM ID holds both.
     * Postclose is explicit: it tears down the exec queues, then the VMs — the open count going
     * to zero unmaps everything, dropping the references mappings hold — then the handles.
     * References go one way (queue → VM → GEM object); the way back is borrowed.
     */
    OPEN_COUNT("open-count"),
    /**
     * Plain Drop semantics, as in the Rust/asahi design the seed reviews: a GEM object holds a
     * counted back-reference to every VM it is mapped in ({@code gem_bo -> vma -> vm}), and file
     * close only drops the file's own references. A VM with mappings is then kept alive by its
     * objects, which its mappings keep alive: the cycle leaks.
     */
    REFCOUNT_ONLY("refcount-only");

    private final String value;

    TeardownDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "teardown";
    }

    @Override
    public String value() {
        return value;
    }

    /** Whether VMs have an open count whose end unmaps everything (and GEM-to-VM links are borrowed). */
    boolean hasOpenCount() {
        return this == OPEN_COUNT;
    }
}
