package accelmm.mm;

import accelmm.sim.DesignValue;

/**
 * Design key {@code fork}: what fork does with a private anonymous page that may be DMA-pinned
 * (seed 002, KERNEL-SEMANTICS 13.3).
 */
public enum ForkDesign implements DesignValue {
    /**
     * Linux since 5.9 (exact since 5.19, PageAnonExclusive): if the parent mm has {@code MMF_HAS_PINNED} and the page is
     * maybe-DMA-pinned, the child gets its own copy at fork and the parent keeps the pinned page
     * writable, so the device and the parent stay coherent (COW-08).
     */
    MODERN("modern"),
    /**
     * Older kernels: a pinned page is COW-shared like any other; whichever process writes first
     * gets a copy, and the device may end up writing into the child's memory.
     */
    LEGACY("legacy");

    private final String value;

    ForkDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "fork";
    }

    @Override
    public String value() {
        return value;
    }
}
