package accelmm.virt;

import accelmm.mm.PageFrame;

/**
 * A {@code struct kvm_memory_slot} (include/linux/kvm_host.h): {@code npages} guest frames from
 * {@code baseGfn} backed by the VMM's virtual memory from {@code userspaceAddr}.
 */
record KvmMemorySlot(int id, long baseGfn, long npages, long userspaceAddr) {

    long endGfn() {
        return baseGfn + npages;
    }

    boolean containsGfn(long gfn) {
        return gfn >= baseGfn && gfn < endGfn();
    }

    /** {@code __gfn_to_hva_memslot}. */
    long hvaOf(long gfn) {
        return userspaceAddr + ((gfn - baseGfn) << PageFrame.PAGE_SHIFT);
    }

    long hvaEnd() {
        return userspaceAddr + (npages << PageFrame.PAGE_SHIFT);
    }

    /**
     * {@code hva_to_gfn_memslot} of the part of {@code [hvaStart, hvaEnd)} this slot backs, as a
     * gfn range {@code [first, end)}, or null if the slot backs none of it. {@code hvaEnd} is
     * unsigned (an invalidation may run to {@code ULONG_MAX}).
     */
    long[] gfnRange(long hvaStart, long hvaEnd) {
        long start = Long.compareUnsigned(hvaStart, userspaceAddr) > 0 ? hvaStart : userspaceAddr;
        long end = Long.compareUnsigned(hvaEnd, hvaEnd()) < 0 ? hvaEnd : hvaEnd();
        if (Long.compareUnsigned(start, end) >= 0) {
            return null;
        }
        long first = baseGfn + ((start - userspaceAddr) >>> PageFrame.PAGE_SHIFT);
        long last = baseGfn + ((end - userspaceAddr + PageFrame.PAGE_SIZE - 1) >>> PageFrame.PAGE_SHIFT);
        return new long[] {first, last};
    }
}
