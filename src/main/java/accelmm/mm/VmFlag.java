package accelmm.mm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The {@code vm_flags} bits of a {@link Vma} that the model uses (include/linux/mm.h). */
public enum VmFlag {
    READ, WRITE, EXEC, SHARED,
    /** The mapping may become writable by mprotect ({@code VM_MAYWRITE}); absent for read-only files. */
    MAYWRITE,
    /** Memory-mapped I/O; not for GUP, MADV_DOFORK refuses it. */
    IO,
    /** Pure PFN mapping: PTEs without struct-page refcounts, inserted by a fault handler. */
    PFNMAP,
    /**
     * Mixed PFN and page mapping ({@code VM_MIXEDMAP}): {@code vm_insert_page} sets it on a driver's
     * VMA, and the VMA holds normal PTEs for pages and special ones for bare PFNs
     * ({@code vmf_insert_mixed}). No mapping of the model sets it: GEM mmaps are TTM's
     * {@code VM_PFNMAP | VM_IO} since "drm/ttm: nuke VM_MIXEDMAP on BO mappings v3".
     */
    MIXEDMAP,
    /** Not copied at fork ({@code VM_DONTCOPY}, MADV_DONTFORK). */
    DONTCOPY,
    /** Cannot grow with mremap. */
    DONTEXPAND,
    /** Left out of core dumps. */
    DONTDUMP,
    /** The child gets this range zero-filled at fork ({@code VM_WIPEONFORK}). */
    WIPEONFORK;

    /** {@code VM_ACCESS_FLAGS}: what mprotect sets, and what {@code anon_vma_compatible} ignores. */
    static final Set<VmFlag> ACCESS_FLAGS = Collections.unmodifiableSet(EnumSet.of(READ, WRITE, EXEC));
}
