package accelmm.mm;

/** {@code enum mmu_notifier_event}: why a range is being invalidated. */
public enum MmuNotifierEvent {
    /** The range is unmapped (munmap, MAP_FIXED replacement, teardown of the VMAs). */
    UNMAP,
    /**
     * Pages are cleared from the page tables but the VMA stays (MADV_DONTNEED, COW break, reclaim,
     * and page migration: {@code try_to_migrate_one} uses CLEAR too).
     */
    CLEAR,
    /** The VMA's protection changes (mprotect). */
    PROTECTION_VMA,
    /** A page's protection changes (write-protection for COW at fork). */
    PROTECTION_PAGE,
    SOFT_DIRTY,
    /** The mm is being torn down; delivered before its pages are freed. */
    RELEASE,
    /** Pages move to or from device memory ({@code migrate_vma}); carries an owner. */
    MIGRATE,
    /** A device takes exclusive access; carries an owner. */
    EXCLUSIVE
}
