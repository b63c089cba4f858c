package accelmm.drm;

import java.util.Locale;

/**
 * The CPU caching mode of a GEM object's mappings ({@code drm_xe_gem_create.cpu_caching}:
 * {@code DRM_XE_GEM_CPU_CACHING_WB}, {@code _WC}; uncached as other drivers offer it). The model
 * records the mode only: nothing yet checks that two mappings of the same memory agree.
 */
public enum GemCaching {
    /** Write-back: cached, coherent with the CPU's caches. */
    WB,
    /** Write-combined: uncached reads, buffered writes. */
    WC,
    /** Uncached. */
    UC;

    /** The scenario language's word: {@code wb}, {@code wc}, {@code uc}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a word names, or {@code null}. */
    public static GemCaching of(String word) {
        for (GemCaching c : values()) {
            if (c.word().equals(word.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word();
    }
}
