package accelmm.drm;

import java.util.Locale;

/**
 * Where a GEM object may live: the memory-region bits of {@code drm_xe_gem_create.placement}
 * (xe's {@code XE_BO_CREATE_SYSTEM_BIT} / {@code XE_BO_CREATE_VRAM0_BIT}), in the order TTM
 * tries them. {@code vram,system} prefers VRAM and may move to (or start in) system memory.
 */
public enum GemPlacement {
    /** System memory only (a TT object). */
    SYSTEM("system"),
    /** VRAM only: creation fails with -ENOSPC when the device's VRAM cannot hold it. */
    VRAM("vram"),
    /** VRAM first, system memory as the fallback (and the eviction target). */
    VRAM_SYSTEM("vram,system");

    private final String word;

    GemPlacement(String word) {
        this.word = word;
    }

    /** The scenario language's word: {@code system}, {@code vram}, {@code vram,system}. */
    public String word() {
        return word;
    }

    /** Whether VRAM is one of the allowed regions. */
    public boolean allowsVram() {
        return this != SYSTEM;
    }

    /** Whether system memory is one of the allowed regions. */
    public boolean allowsSystem() {
        return this != VRAM;
    }

    /** The placement a word names, or {@code null}. */
    public static GemPlacement of(String word) {
        for (GemPlacement p : values()) {
            if (p.word.equals(word.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word;
    }
}
