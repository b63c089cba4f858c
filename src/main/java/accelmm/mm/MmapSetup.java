package accelmm.mm;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a file's {@code ->mmap} decides about a mapping being created: the VMA operations and flags
 * (a driver sets {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}, or {@code VM_DONTCOPY}),
 * and it can read the requested range and protection.
 */
public final class MmapSetup {

    private final long lengthBytes;
    private final long pgoff;
    private final EnumSet<VmFlag> flags;
    private VmOperations ops;
    private PageCacheMode pageProt = PageCacheMode.WB;

    MmapSetup(long lengthBytes, long pgoff, Set<VmFlag> flags) {
        this.lengthBytes = lengthBytes;
        this.pgoff = pgoff;
        this.flags = EnumSet.copyOf(flags);
    }

    public long lengthBytes() {
        return lengthBytes;
    }

    public long pgoff() {
        return pgoff;
    }

    public boolean has(VmFlag flag) {
        return flags.contains(flag);
    }

    /**
     * {@code is_cow_mapping(vma->vm_flags)}: a private mapping that may be written (every
     * MAP_PRIVATE mapping has VM_MAYWRITE), whose pages would be copied on write. A driver that
     * maps bare PFNs must refuse it: {@code vmf_insert_pfn} BUGs on a COW VM_PFNMAP VMA, so TTM
     * ({@code ttm_bo_mmap_obj}) and the shmem helpers return -EINVAL for it.
     */
    public boolean isCowMapping() {
        return !flags.contains(VmFlag.SHARED) && flags.contains(VmFlag.MAYWRITE);
    }

    /**
     * Makes this a mapping of bare PFNs resolved by {@code ops}: -EINVAL for a private mapping
     * that may be written ({@link #isCowMapping}), else the flags {@code remap_pfn_range} and
     * TTM's {@code ttm_bo_mmap_obj} set — {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}.
     *
     * @return 0, or -EINVAL
     */
    public int pfnMapping(VmOperations ops) {
        if (isCowMapping()) {
            return Errno.EINVAL.neg();
        }
        flags.addAll(EnumSet.of(VmFlag.IO, VmFlag.PFNMAP, VmFlag.DONTEXPAND, VmFlag.DONTDUMP));
        this.ops = ops;
        return 0;
    }

    public void addFlag(VmFlag flag) {
        flags.add(flag);
    }

    public void removeFlag(VmFlag flag) {
        flags.remove(flag);
    }

    public void setOps(VmOperations ops) {
        this.ops = ops;
    }

    /**
     * Sets the memory type of the new VMA's {@code vm_page_prot}, as a driver's mmap does when it
     * assigns {@code pgprot_writecombine} or {@code pgprot_noncached} of it to {@code
     * vma->vm_page_prot} ({@code drm_gem_mmap_obj} for an object without its own mmap, {@code
     * dma_direct_mmap} for a non-coherent device). A driver that only passes such a prot to
     * {@code remap_pfn_range} or {@code vmf_insert_pfn_prot} leaves the VMA's write-back.
     */
    public void setPageProt(PageCacheMode pageProt) {
        this.pageProt = pageProt;
    }

    /** The memory type of the VMA's {@code vm_page_prot}: write-back unless the driver set one. */
    public PageCacheMode pageProt() {
        return pageProt;
    }

    VmOperations ops() {
        return ops;
    }

    Set<VmFlag> flags() {
        return flags;
    }
}
