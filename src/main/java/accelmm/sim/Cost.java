package accelmm.sim;

/**
 * The events the cost model counts, each one where it happens in the model: what a design pays
 * for its protocol, in the units the kernel pays in (entries into the kernel, faults, pages
 * touched, device page-table writes, TLB flushes, doorbell rings).
 *
 * <p>Faults are counted by who raises them and by who handles them, separately: every run of
 * the CPU fault handler ({@code handle_mm_fault}) is a {@link #CPU_FAULT}, whoever it runs for —
 * a process's own load or store, GUP, {@code hmm_range_fault}, {@code access_remote_vm}, or the
 * IOMMU's I/O page fault handler on a device's behalf; every fault a device raises (a GPU page
 * fault, an IOPF of an SVA queue, a NIC's page fault on an invalidated memory region) is a
 * {@link #DEVICE_FAULT}. An IOPF that the handler resolves therefore counts one of each; a GPU
 * fault counts one device fault plus the CPU faults its {@code hmm_range_fault} takes, if any.
 */
public enum Cost {
    /**
     * A system call entered by a process: an ioctl, mmap, fork, {@code wait} on a fence, read of
     * a file... statement of a scenario, and the kernel-submit ioctl of {@code submit}; not a
     * memory load or store, nor a doorbell store.
     */
    SYSCALL,
    /** A run of the CPU fault handler ({@code handle_mm_fault}), whoever raised the fault. */
    CPU_FAULT,
    /** A page fault raised by a device: a GPU fault, an IOPF on an SVA queue, a NIC's page fault. */
    DEVICE_FAULT,
    /**
     * An invalidation callback delivered to a subscriber: an interval notifier's {@code
     * invalidate}, or a dynamic dma-buf importer's {@code invalidate_mappings} ({@code
     * move_notify}), which is the importer's invalidation callback for the buffer.
     */
    NOTIFIER_INVALIDATION,
    /** A page pinned with {@code FOLL_PIN}. */
    PAGE_PINNED,
    /** A pinned page unpinned ({@code unpin_user_page}). */
    PAGE_UNPINNED,
    /**
     * A device's translation entry written (set or cleared): a GPU PTE, an IOMMU PTE, an RDMA
     * memory region's MTT entry.
     */
    DEVICE_PTE_WRITE,
    /**
     * A device or IOMMU TLB invalidation: a GPU VM's after its PTEs were cleared or rewritten, an
     * IOMMU's after an unmap, and an SVA domain's: for every TLB flush of the bound address
     * space's page tables ({@code arch_invalidate_secondary_tlbs}) and once at its PASID's
     * teardown (the mm's release at exit, or the last unbind).
     *
     * <p>The CPU TLB flushes that reach an SVA domain are the kernel's, one per {@code
     * mmu_gather}: one per mprotect call, and only when an entry changed in a way x86's {@code
     * pte_needs_flush} flushes for (a present entry losing write, becoming PROT_NONE or changing
     * NX); one per munmap or zap that cleared a present entry. A simplification: the model's page
     * tables are a flat map without page-table pages, so {@code free_pgtables} ({@code
     * pte_free_tlb}, which marks the gather as having freed tables and widens its range) is not
     * modelled, and a munmap whose range holds only swap entries, or no entry at all, flushes
     * nothing here where the kernel flushes once when it frees a page-table page.
     */
    TLB_INVALIDATION,
    /** A write to a hardware queue's doorbell. */
    DOORBELL_WRITE,
    /**
     * A page's contents copied by the kernel: COW, migration, eviction. Not a COW break of the
     * zero page, which maps a freshly zeroed page instead ({@code wp_page_copy}).
     */
    PAGE_COPIED
}
