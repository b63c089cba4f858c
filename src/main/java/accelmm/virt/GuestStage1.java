package accelmm.virt;

import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import java.util.TreeMap;

/**
 * The guest's own page tables, as far as the model needs them: which guest physical pages the
 * guest has mapped, and with which memory type (its PAT on x86, its MAIR on arm64). There is no
 * guest kernel: the guest's virtual addresses are its physical ones (identity translation), and
 * a later mapping of a page replaces its type.
 */
final class GuestStage1 {

    /** gfn → the guest's type. */
    private final TreeMap<Long, PageCacheMode> types = new TreeMap<>();

    void map(long gpa, long size, PageCacheMode mode) {
        long first = gpa >>> PageFrame.PAGE_SHIFT;
        long pages = size >>> PageFrame.PAGE_SHIFT;
        for (long i = 0; i < pages; i++) {
            types.put(first + i, mode);
        }
    }

    /** The guest's type for {@code gfn}, or null where the guest mapped nothing (its own #PF). */
    PageCacheMode lookup(long gfn) {
        return types.get(gfn);
    }
}
