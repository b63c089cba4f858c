package accelmm.mm;

/** Models {@code struct vm_fault}: one fault being handled by a {@link VmOperations}. */
public final class VmFault {

    private final Vma vma;
    private final long address;
    private final boolean write;
    private PageFrame page;
    private boolean inserted;

    VmFault(Vma vma, long address, boolean write) {
        this.vma = vma;
        this.address = address;
        this.write = write;
    }

    public Vma vma() {
        return vma;
    }

    /** The page-aligned faulting address. */
    public long address() {
        return address;
    }

    /** The offset in pages into the mapped object: {@code vm_pgoff} plus the page index in the VMA. */
    public long pgoff() {
        return vma.pgoff() + ((address - vma.start()) >>> PageFrame.PAGE_SHIFT);
    }

    public boolean write() {
        return write;
    }

    /** Hands back a page for a normal PTE; the caller's reference passes to the PTE. */
    public void setPage(PageFrame frame) {
        this.page = frame;
    }

    /**
     * {@code vmf_insert_pfn}: installs a special PTE for {@code frame} (no refcount, no mapcount),
     * writable when the VMA is; for VM_PFNMAP mappings of device memory.
     */
    public void insertPfn(PageFrame frame) {
        insertPfnProt(frame, PageCacheMode.WB);
    }

    /**
     * {@code vmf_insert_pfn_prot} (mm/memory.c): as {@link #insertPfn}, with the memory type the
     * handler computed for this fault, as TTM's fault handler does with {@code ttm_io_prot}. On
     * x86 with PAT, the type of a PFN outside RAM is the one reserved for its range ({@code
     * pfnmap_setup_cachemode}, formerly {@code track_pfn_insert}, in arch/x86/mm/pat/memtype.c
     * replaces the cache bits with {@code lookup_memtype}'s); the caller passes that type.
     */
    public void insertPfnProt(PageFrame frame, PageCacheMode cacheMode) {
        vma.mm().installSpecialPte(vma, address, frame, cacheMode);
        inserted = true;
    }

    PageFrame page() {
        return page;
    }

    boolean inserted() {
        return inserted;
    }
}
