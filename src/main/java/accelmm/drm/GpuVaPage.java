package accelmm.drm;

/**
 * What one page of a GPU VM's address space is bound to: a page of a GEM object or a page of a
 * userptr range. The model keeps VM_BIND state per page (a page-granular stand-in for the
 * {@code drm_gpuva} ranges of drm_gpuvm), so a bind over existing mappings replaces exactly
 * the pages it covers and an unbind may cut any range apart.
 */
sealed interface GpuVaPage {

    /** Page {@code index} of the object behind {@code vmBo}. */
    record BoPage(VmBo vmBo, int index) implements GpuVaPage {
    }

    /** Page {@code index} of {@code userptr}'s CPU range. */
    record UserptrPage(Userptr userptr, int index) implements GpuVaPage {
    }
}
