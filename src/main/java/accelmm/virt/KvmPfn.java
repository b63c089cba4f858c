package accelmm.virt;

import accelmm.mm.PageFrame;

/**
 * What {@code hva_to_pfn} resolved: a frame, or one of KVM's error PFNs.
 */
sealed interface KvmPfn {

    /**
     * A frame; {@code refcountedPage} when the caller got a page reference with it (GUP's
     * FOLL_GET), which it must drop ({@code kvm_release_faultin_page}) or keep for the SPTE.
     */
    record Found(PageFrame frame, boolean writable, boolean refcountedPage) implements KvmPfn {
    }

    /** {@code KVM_PFN_ERR_FAULT} or {@code KVM_PFN_ERR_RO_FAULT}. */
    record Error(Kind kind) implements KvmPfn {
    }

    enum Kind {
        /** {@code KVM_PFN_ERR_FAULT}: nothing can be mapped there. */
        FAULT,
        /** {@code KVM_PFN_ERR_RO_FAULT}: a write to a read-only PFNMAP entry. */
        RO_FAULT
    }
}
