package accelmm.virt;

import accelmm.mm.MmStruct;
import accelmm.mm.MmuNotifier;
import accelmm.mm.MmuNotifierRange;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;

/**
 * {@code kvm_mmu_notifier_ops} (virt/kvm/kvm_main.c): what a VM registers on its VMM's mm under
 * {@link KvmDesign#NOTIFIER}. Every invalidation of the mm reaches it; it acts on the memslots
 * that back part of the range ({@code kvm_handle_hva_range}), and an invalidation that covers
 * none changes nothing but the active count.
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

    /**
     * {@code kvm_mmu_notifier_invalidate_range_start}: at the first memslot that backs part of
     * the range, under {@code mmu_lock}, {@code kvm_mmu_invalidate_begin}; for each such slot
     * {@code kvm_mmu_invalidate_range_add} and {@code kvm_unmap_gfn_range}; then one remote TLB
     * flush if anything was zapped. Never fails.
     */
    @Override
    public void invalidateRangeStart(MmuNotifierRange range) {
        MmuInvalidation invalidation = kvm.invalidation();
        invalidation.activeStart();
        boolean locked = false;
        boolean flush = false;
        for (KvmMemorySlot slot : kvm.memslotsInIdOrder()) {
            long[] gfns = slot.gfnRange(range.start(), range.end());
            if (gfns == null) {
                continue;
            }
            if (!locked) {
                kvm.mmuLock().lock();
                locked = true;
                invalidation.begin();
            }
            invalidation.rangeAdd(gfns[0], gfns[1]);
            flush |= Kvm.dropSptes(kvm.stage2().zapGfnRange(gfns[0], gfns[1]));
        }
        if (locked) {
            if (flush) {
                CostCounters costs = kvm.kernel().sim().costs();
                costs.count(Cost.NOTIFIER_INVALIDATION);
                costs.count(Cost.TLB_INVALIDATION);
            }
            kvm.mmuLock().unlock();
        }
    }

    /**
     * {@code kvm_mmu_notifier_invalidate_range_end}: if a memslot backs part of the range, {@code
     * kvm_mmu_invalidate_end} under {@code mmu_lock}. The memslots are the ones the start saw
     * (a memslot update waits for the active count to drop).
     */
    @Override
    public void invalidateRangeEnd(MmuNotifierRange range) {
        boolean overlaps = false;
        for (KvmMemorySlot slot : kvm.memslotsInIdOrder()) {
            overlaps |= slot.gfnRange(range.start(), range.end()) != null;
        }
        if (overlaps) {
            kvm.mmuLock().lock();
            kvm.invalidation().end();
            kvm.mmuLock().unlock();
        }
        kvm.invalidation().activeEnd();
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
