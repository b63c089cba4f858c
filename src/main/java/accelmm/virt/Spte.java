package accelmm.virt;

import accelmm.mm.MmStruct;
import accelmm.mm.PhysicalMemory.FrameRef;
import accelmm.mm.Pte;

/**
 * One stage-2 entry (an EPT/NPT SPTE, an arm64 stage-2 descriptor): the frame it maps, whether
 * the guest may write through it, its memory attributes, the host address it was resolved from,
 * and whether it holds a reference on the frame's page ({@code refcountedPage}: only under {@link
 * KvmDesign#PFN_WALK}, for a normal page; mainline KVM drops GUP's reference at install).
 */
record Spte(FrameRef ref, boolean writable, Stage2Attr attr, long hva, boolean refcountedPage) {

    /**
     * Whether the VMM's own PTE at {@link #hva} no longer maps this entry's frame (absent, swapped
     * out, or another frame or allocation): the host changed the translation the guest still
     * uses. Under {@link KvmDesign#NOTIFIER} an entry never outlives such a change.
     */
    boolean hostChanged(MmStruct mm) {
        Pte pte = mm.pageTable().lookup(hva);
        return pte == null || !pte.isPresent() || pte.frame() != ref.frame() || pte.generation() != ref.generation();
    }
}
