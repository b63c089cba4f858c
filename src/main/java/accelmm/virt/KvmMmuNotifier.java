package accelmm.virt;

import accelmm.mm.MmStruct;
import accelmm.mm.MmuNotifier;
import accelmm.mm.MmuNotifierRange;

/**
 * {@code kvm_mmu_notifier_ops} (virt/kvm/kvm_main.c): what a VM registers on its VMM's mm under
 * {@link KvmDesign#NOTIFIER}. The range callbacks go to {@link Kvm}, which owns the state they
 * change ({@code mmu_invalidate_seq}, the in-progress count and range, the stage-2 table).
 */
final class KvmMmuNotifier implements MmuNotifier {

    private final Kvm kvm;

    KvmMmuNotifier(Kvm kvm) {
        this.kvm = kvm;
    }

    @Override
    public boolean hasRangeOps() {
        return true;
    }

    /** {@code kvm_mmu_notifier_invalidate_range_start}. */
    @Override
    public void invalidateRangeStart(MmuNotifierRange range) {
        kvm.invalidateRangeStart(range.start(), range.end());
    }

    /** {@code kvm_mmu_notifier_invalidate_range_end}. */
    @Override
    public void invalidateRangeEnd(MmuNotifierRange range) {
        kvm.invalidateRangeEnd(range.start(), range.end());
    }

    /** {@code kvm_mmu_notifier_release}: the mm goes, so does every stage-2 entry. */
    @Override
    public void release(MmStruct mm) {
        kvm.flushShadowAll();
    }

    @Override
    public String toString() {
        return "kvm mmu notifier of " + kvm;
    }
}
