package accelmm.mm;

/**
 * Models one page-table entry ({@code pte_t}) of a {@link PageTable}: present (a frame,
 * writable or not, normal or special) or a swap entry. A normal present PTE holds a reference
 * and a mapcount on its frame; a special one ({@code pte_special}: the zero page, or a PFN
 * inserted by a VM_PFNMAP fault handler) holds neither.
 */
public final class Pte {

    private final PageFrame frame;
    private final long generation;
    private final boolean writable;
    private final boolean special;
    private final SwapSlot swap;
    private final PageCacheMode cacheMode;

    private Pte(PageFrame frame, boolean writable, boolean special, SwapSlot swap, PageCacheMode cacheMode) {
        this.frame = frame;
        this.generation = frame == null ? 0 : frame.generation();
        this.writable = writable;
        this.special = special;
        this.swap = swap;
        this.cacheMode = cacheMode;
    }

    /** A normal page's entry: write-back, as {@code vm_get_page_prot} gives every ordinary VMA. */
    static Pte present(PageFrame frame, boolean writable) {
        return new Pte(frame, writable, frame.isZeroPage(), null, PageCacheMode.WB);
    }

    /** A special entry of the memory type the fault handler chose ({@code vmf_insert_pfn_prot}). */
    static Pte special(PageFrame frame, boolean writable, PageCacheMode cacheMode) {
        return new Pte(frame, writable, true, null, cacheMode);
    }

    static Pte swapEntry(SwapSlot slot) {
        return new Pte(null, false, false, slot, PageCacheMode.WB);
    }

    public boolean isPresent() {
        return frame != null;
    }

    /** The frame mapped, or {@code null} for a swap entry. */
    public PageFrame frame() {
        return frame;
    }

    /** The frame's generation when this entry was made. */
    public long generation() {
        return generation;
    }

    public boolean writable() {
        return writable;
    }

    /** {@code pte_special}: no refcount or mapcount is held for it. */
    public boolean special() {
        return special;
    }

    /**
     * The memory type of accesses through this entry (the cache bits of its {@code pgprot}):
     * WB for normal pages, the driver's choice for a special one.
     */
    public PageCacheMode cacheMode() {
        return cacheMode;
    }

    /** The swap slot of a swapped-out page, or {@code null}. */
    public SwapSlot swap() {
        return swap;
    }

    Pte wrprotect() {
        return writable ? new Pte(frame, false, special, swap, cacheMode) : this;
    }

    Pte mkwrite() {
        return writable ? this : new Pte(frame, true, special, swap, cacheMode);
    }

    /** A reference for the memory bus. */
    public PhysicalMemory.FrameRef ref() {
        return new PhysicalMemory.FrameRef(frame, generation);
    }

    @Override
    public String toString() {
        return swap != null ? "swap " + swap.id() : frame + (writable ? " rw" : " ro") + (special ? " special" : "");
    }
}
