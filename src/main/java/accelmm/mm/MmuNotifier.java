package accelmm.mm;

/**
 * Models a whole-mm {@code struct mmu_notifier} registered with {@code mmu_notifier_register}
 * (mm/mmu_notifier.c), as opposed to an interval subscription ({@link MmuIntervalNotifier}). Of
 * its ops only {@code arch_invalidate_secondary_tlbs} and {@code release} are modelled: what an
 * IOMMU SVA domain registers so that the IOTLB and the devices' ATCs drop translations of the bound mm
 * ({@code intel_arch_invalidate_secondary_tlbs} in drivers/iommu/intel/svm.c, {@code
 * arm_smmu_mm_arch_invalidate_secondary_tlbs} in arm-smmu-v3-sva.c).
 *
 * <p>Its {@code release} runs at the mm's teardown and takes it off the mm ({@code
 * mn_hlist_release}), before the teardown's own flushes.
 *
 * <p>The mm calls it from its own TLB flush ({@code mmu_notifier_arch_invalidate_secondary_tlbs}
 * from {@code flush_tlb_mm_range} on x86, {@code __flush_tlb_range} on arm64): once per range
 * flushed, after the PTEs changed, and only where the CPU flushes too (a fault that fills an
 * empty PTE or makes one writable flushes nothing).
 */
public interface MmuNotifier {

    /** {@code arch_invalidate_secondary_tlbs(mn, mm, start, end)}: {@code [start, end)} was flushed. */
    void archInvalidateSecondaryTlbs(MmStruct mm, long start, long end);

    /**
     * {@code release(mn, mm)}: the mm is being torn down ({@code exit_mmap}) and its page tables
     * are about to be cleared; the notifier is off the mm's list when this returns.
     */
    void release(MmStruct mm);
}
