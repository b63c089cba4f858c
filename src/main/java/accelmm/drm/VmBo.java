package accelmm.drm;

import accelmm.mm.PageFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Models {@code struct drm_gpuvm_bo}: the pairing of one VM and one GEM object, which exists
 * while some GPU VA page of the VM maps the object. It holds one reference on the object for
 * all of them ({@code drm_gpuvm_bo_obtain} / {@code drm_gpuvm_bo_put}) and is linked into the
 * object's list of VMs.
 *
 * <p>The link back from the object to the VM depends on the {@link TeardownDesign}: borrowed
 * under open-count (as drm_gpuvm does: the object's list is walked under its lock, e.g. for
 * eviction), a counted VM reference under refcount-only (the {@code gem_bo -> vma -> vm}
 * back-pointer of the Rust/asahi design in seed 001). The counted one closes a cycle: the VM's
 * mapping holds the object, the object holds the VM.
 */
final class VmBo {

    private final GpuVm vm;
    private final GemObject bo;
    private final boolean countedBackReference;
    /** The GPU VA pages (page numbers) that map the object. */
    private final TreeSet<Long> vaPages = new TreeSet<>();

    VmBo(GpuVm vm, GemObject bo) {
        this.vm = vm;
        this.bo = bo;
        this.countedBackReference = !vm.device().teardownDesign().hasOpenCount();
        bo.get();
        bo.vmBoLinked(this);
        if (countedBackReference) {
            vm.get();
        }
    }

    GpuVm vm() {
        return vm;
    }

    GemObject bo() {
        return bo;
    }

    /** Whether the object holds a reference on the VM through this pairing (refcount-only). */
    boolean countedBackReference() {
        return countedBackReference;
    }

    void pageMapped(long va) {
        vaPages.add(va >>> PageFrame.PAGE_SHIFT);
    }

    /** The page at {@code va} no longer maps the object; true when none is left (the caller then drops the pairing). */
    boolean pageUnmapped(long va) {
        if (!vaPages.remove(va >>> PageFrame.PAGE_SHIFT)) {
            throw new IllegalStateException("vm_bo of " + bo + " in " + vm + " does not map " + Fmt.hex(va));
        }
        return vaPages.isEmpty();
    }

    int mappedPageCount() {
        return vaPages.size();
    }

    /** The first GPU VA of each contiguous run of pages that map the object, ascending. */
    List<Long> mappingStarts() {
        List<Long> out = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (long page : vaPages) {
            if (page != previous + 1) {
                out.add(page << PageFrame.PAGE_SHIFT);
            }
            previous = page;
        }
        return out;
    }

    /**
     * {@code drm_gpuvm_bo_destroy}, once no page maps the object any more and the VM's locks are
     * dropped: unlinks from the object, drops the back-reference (refcount-only) and the object
     * reference. Either put may free what it drops.
     */
    void destroy() {
        bo.vmBoUnlinked(this);
        if (countedBackReference) {
            vm.put();
        }
        bo.put();
    }

    @Override
    public String toString() {
        return "vm_bo " + vm + "/" + bo;
    }
}
