package accelmm.mm;

/**
 * Models a whole-mm {@code struct mmu_notifier} registered with {@code mmu_notifier_register}
 * (mm/mmu_notifier.c), as opposed to an interval subscription ({@link MmuIntervalNotifier}). Two
 * kinds of user, whose ops the kernel keeps apart ({@code __mmu_notifier_register} refuses a
 * notifier with both {@code arch_invalidate_secondary_tlbs} and a range callback):
 *
 * <ul>
 *   <li>a secondary TLB that follows the CPU's flushes, {@link #archInvalidateSecondaryTlbs}:
 *       what an IOMMU SVA domain registers so that the IOTLB and the devices' ATCs drop
 *       translations of the bound mm ({@code intel_arch_invalidate_secondary_tlbs} in
 *       drivers/iommu/intel/svm.c, {@code arm_smmu_mm_arch_invalidate_secondary_tlbs} in
 *       arm-smmu-v3-sva.c). The mm calls it from its own TLB flush ({@code
 *       mmu_notifier_arch_invalidate_secondary_tlbs} from {@code flush_tlb_mm_range} on x86,
 *       {@code __flush_tlb_range} on arm64): once per range flushed, after the PTEs changed, and
 *       only where the CPU flushes too (a fault that fills an empty PTE or makes one writable
 *       flushes nothing);</li>
 *   <li>a shadow of the whole address space that must be torn down before PTEs change, {@link
 *       #invalidateRangeStart} and {@link #invalidateRangeEnd} ({@link #hasRangeOps}): what KVM
 *       registers for its stage-2 tables ({@code kvm_mmu_notifier_ops} in virt/kvm/kvm_main.c).
 *       Every invalidation of the mm reaches it, whatever the range: the callee picks what it
 *       maps. Called after the interval subscriptions in both start and end ({@code
 *       __mmu_notifier_invalidate_range_start} / {@code _end}), newest notifier first.</li>
 * </ul>
 *
 * <p>Its {@code release} runs at the mm's teardown and takes it off the mm ({@code
 * mn_hlist_release}), before the teardown's own flushes, or from {@code mmu_notifier_unregister}
 * on a live mm; never both.
 */
public interface MmuNotifier {

    /**
     * {@code arch_invalidate_secondary_tlbs(mn, mm, start, end)}: {@code [start, end)} was
     * flushed. None by default.
     */
    default void archInvalidateSecondaryTlbs(MmStruct mm, long start, long end) {
    }

    /**
     * Whether this notifier has {@code arch_invalidate_secondary_tlbs} (Java cannot tell an
     * overridden default method from the default): {@link MmStruct#mmuNotifierRegister} refuses
     * a notifier that also has range callbacks, as {@code __mmu_notifier_register} does.
     */
    default boolean hasSecondaryTlbOps() {
        return false;
    }

    /**
     * Whether this notifier has {@code invalidate_range_start}/{@code _end}: the registration
     * then makes sure no invalidation of the mm is in progress ({@link
     * MmStruct#mmuNotifierRegister}), so that no end reaches it without its start.
     */
    default boolean hasRangeOps() {
        return false;
    }

    /**
     * {@code invalidate_range_start(mn, range)}: the PTEs of {@code range} are about to change;
     * the secondary mappings of it must go and stay away until the matching end. Blockable and
     * never failing here (the model has no non-blocking invalidation: the OOM reaper is not
     * modelled). None by default.
     */
    default void invalidateRangeStart(MmuNotifierRange range) {
    }

    /**
     * {@code invalidate_range_end(mn, range)}: the change of {@code range} (the same range its
     * start had) is done. None by default.
     */
    default void invalidateRangeEnd(MmuNotifierRange range) {
    }

    /**
     * {@code release(mn, mm)}: the mm is being torn down ({@code exit_mmap}) and its page tables
     * are about to be cleared, or the notifier is being unregistered; the notifier is off the
     * mm's list when the caller returns. (At teardown the model takes it off before the call; the
     * kernel's {@code mn_hlist_release} only after it, see {@link MmStruct#mmuNotifierRelease}.)
     */
    void release(MmStruct mm);
}
