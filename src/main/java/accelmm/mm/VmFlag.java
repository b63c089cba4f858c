package accelmm.mm;

/** The {@code vm_flags} bits of a {@link Vma} that the model uses (include/linux/mm.h). */
public enum VmFlag {
    READ, WRITE, EXEC, SHARED,
    /** The mapping may become writable by mprotect ({@code VM_MAYWRITE}); absent for read-only files. */
    MAYWRITE,
    /** Memory-mapped I/O; not for GUP, MADV_DOFORK refuses it. */
    IO,
    /** Pure PFN mapping: PTEs without struct-page refcounts, inserted by a fault handler. */
    PFNMAP,
    /** Mixed PFN and page mapping. */
    MIXEDMAP,
    /** Not copied at fork ({@code VM_DONTCOPY}, MADV_DONTFORK). */
    DONTCOPY,
    /** Cannot grow with mremap. */
    DONTEXPAND,
    /** Left out of core dumps. */
    DONTDUMP,
    /** The child gets this range zero-filled at fork ({@code VM_WIPEONFORK}). */
    WIPEONFORK
}
