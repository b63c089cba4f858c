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
     * Whether this slot backs part of {@code [hvaStart, hvaEnd)} ({@code kvm_handle_hva_range}'s
     * test). {@code hvaEnd} is unsigned (an invalidation may run to {@code ULONG_MAX}).
     */
    boolean backsPartOf(long hvaStart, long hvaEnd) {
        return Long.compareUnsigned(hvaStart, hvaEnd()) < 0 && Long.compareUnsigned(hvaEnd, userspaceAddr) > 0;
    }

    /** {@code hva_to_gfn_memslot} of {@code hvaStart}, clamped to the slot: the first gfn of the part backed. */
    long firstGfnOf(long hvaStart) {
        long start = Long.compareUnsigned(hvaStart, userspaceAddr) > 0 ? hvaStart : userspaceAddr;
        return baseGfn + ((start - userspaceAddr) >>> PageFrame.PAGE_SHIFT);
    }

    /** {@code hva_to_gfn_memslot} of {@code hvaEnd + PAGE_SIZE - 1}, clamped: the end gfn of the part backed. */
    long endGfnOf(long hvaEnd) {
        long end = Long.compareUnsigned(hvaEnd, hvaEnd()) < 0 ? hvaEnd : hvaEnd();
        return baseGfn + ((end - userspaceAddr + PageFrame.PAGE_SIZE - 1) >>> PageFrame.PAGE_SHIFT);
    }
}
