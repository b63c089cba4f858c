package accelmm.mm;

import java.util.Locale;

/**
 * A memory type, as x86 names them in {@code enum page_cache_mode}
 * (arch/x86/include/asm/pgtable_types.h): the caching a mapping applies to the memory it maps.
 * The model keeps three: {@code _PAGE_CACHE_MODE_WB}, {@code _WC} and {@code _UC} ({@code
 * _UC_MINUS}, what {@code pgprot_noncached} gives on x86, counts as UC here; WT and WP are not
 * used by the drivers modelled). Which mode a PTE gets is the driver's choice at fault time
 * ({@code vmf_insert_pfn_prot}); the type a frame has of its own is what its owner set ({@link
 * PageFrame#cacheMode}).
 */
public enum PageCacheMode {
    /** Write-back: cached, coherent with the CPU's caches. */
    WB,
    /** Write-combining: uncached loads, stores buffered and combined. */
    WC,
    /** Uncached. */
    UC;

    /**
     * Whether accesses of this type go through the CPU caches: WB only. Two mappings of one
     * frame whose answers differ are incoherent (a cached alias of uncached memory, or the
     * reverse); WC and UC both bypass the caches, so they do not disagree about what memory holds.
     */
    public boolean cacheable() {
        return this == WB;
    }

    /** The word for reports and the scenario language: {@code wb}, {@code wc}, {@code uc}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return word();
    }
}
