package accelmm.sim;

/**
 * The events the cost model counts, each one where it happens in the model: what a design pays
 * for its protocol, in the units the kernel pays in (entries into the kernel, faults, pages
 * touched, device page-table writes, TLB flushes, doorbell rings).
 */
public enum Cost {
    /** A system call entered (an ioctl, mmap, fork, ... statement of a scenario). */
    SYSCALL,
    /** A CPU page fault handled ({@code handle_mm_fault}). */
    CPU_FAULT,
    /** A device page fault: a GPU fault or an IOPF on an SVA queue. */
    DEVICE_FAULT,
    /** An interval-notifier invalidation delivered to a subscriber's {@code invalidate} op. */
    NOTIFIER_INVALIDATION,
    /** A page pinned with {@code FOLL_PIN}. */
    PAGE_PINNED,
    /** A pinned page unpinned ({@code unpin_user_page}). */
    PAGE_UNPINNED,
    /** A GPU or IOMMU page-table entry written (set or cleared). */
    DEVICE_PTE_WRITE,
    /** A device or IOMMU TLB invalidation. */
    TLB_INVALIDATION,
    /** A write to a hardware queue's doorbell. */
    DOORBELL_WRITE,
    /** A page's contents copied by the kernel: COW, migration, eviction. */
    PAGE_COPIED
}
