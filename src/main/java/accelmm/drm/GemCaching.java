package accelmm.drm;

import accelmm.mm.PageCacheMode;
import java.util.Locale;

/**
 * The CPU caching mode of a GEM object's mappings ({@code drm_xe_gem_create.cpu_caching}:
 * {@code DRM_XE_GEM_CPU_CACHING_WB}, {@code _WC}; uncached as other drivers offer it). It gives
 * the memory type of the object's system pages and of its CPU mappings ({@link #cacheMode}).
 */
public enum GemCaching {
    /** Write-back: cached, coherent with the CPU's caches. */
    WB,
    /** Write-combined: uncached reads, buffered writes. */
    WC,
    /** Uncached. */
    UC;

    /**
     * The memory type TTM gives pages and mappings of this caching ({@code ttm_prot_from_caching}:
     * {@code ttm_cached} keeps the cacheable pgprot, {@code ttm_write_combined} is {@code
     * pgprot_writecombine}, {@code ttm_uncached} {@code pgprot_noncached}).
     */
    public PageCacheMode cacheMode() {
        return switch (this) {
            case WB -> PageCacheMode.WB;
            case WC -> PageCacheMode.WC;
            case UC -> PageCacheMode.UC;
        };
    }

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

    /**
     * The caching a scenario's {@code gem_create} asks for when it names none: {@code wc} for a
     * placement that allows VRAM (the only one xe accepts there), {@code wb} for system memory.
     * xe itself has no default: {@code cpu_caching} 0 is -EINVAL.
     */
    public static GemCaching defaultFor(GemPlacement placement) {
        return placement.allowsVram() ? WC : WB;
    }

    @Override
    public String toString() {
        return word();
    }
}
