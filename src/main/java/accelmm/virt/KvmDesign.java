package accelmm.virt;

import accelmm.sim.DesignValue;

/**
 * Design key {@code kvm}: how KVM keeps its stage-2 tables in step with the VMM's address space.
 * Read it with {@code kernel.designs().get(KvmDesign.class)}.
 */
public enum KvmDesign implements DesignValue {
    /**
     * Mainline KVM: an mmu notifier on the VMM's mm ({@code kvm_init_mmu_notifier} in
     * virt/kvm/kvm_main.c) zaps the SPTEs of every invalidated range, and a fault that resolved
     * its PFN while an invalidation ran retries ({@code mmu_invalidate_retry_gfn}). GUP's
     * reference is dropped once the SPTE is installed ({@code kvm_release_faultin_page}).
     */
    NOTIFIER("notifier"),
    /**
     * KVM as it was before mmu notifiers: the stage-2 fault walks the VMM's tables ({@code
     * hva_to_pfn}) and the SPTE stays until the VM dies. A normal page keeps GUP's reference as
     * long (migration and reclaim then leave it alone); a VM_IO / VM_PFNMAP PFN is kept with no
     * reference at all, so its owner may free and reuse it under the guest.
     */
    PFN_WALK("pfn-walk");

    private final String value;

    KvmDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "kvm";
    }

    @Override
    public String value() {
        return value;
    }
}
