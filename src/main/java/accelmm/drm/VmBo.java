package accelmm.drm;

import accelmm.mm.PageFrame;

import java.util.Comparator;
import java.util.List;

/**
 * Models {@code struct drm_gpuvm_bo} as a driver sees it: the pairing of one VM and one GEM
 * object, which exists while some {@link GpuVa} of the VM maps the object. The VA bookkeeping
 * is the VM's {@link GpuvmBo} (one per pair, {@code drm_gpuvm_bo_obtain}; each linked mapping
 * holds a reference, the last {@code drm_gpuva_unlink} destroys it); this is the rest of the
 * kernel structure, created and freed with it: one reference on the object for all of its
 * mappings ({@code drm_gpuvm_bo_create} / {@code drm_gpuvm_bo_destroy}) and the link into the
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
    private final GpuvmBo<GpuVaBacking> gpuvmBo;
    private final boolean countedBackReference;

    /** {@code drm_gpuvm_bo_create} for the new {@code gpuvmBo} of ({@code vm}, {@code bo}). */
    VmBo(GpuVm vm, GemObject bo, GpuvmBo<GpuVaBacking> gpuvmBo) {
        this.vm = vm;
        this.bo = bo;
        this.gpuvmBo = gpuvmBo;
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

    /** The VA side of the pairing: its reference count and its list of mappings. */
    GpuvmBo<GpuVaBacking> gpuvmBo() {
        return gpuvmBo;
    }

    /** Whether the object holds a reference on the VM through this pairing (refcount-only). */
    boolean countedBackReference() {
        return countedBackReference;
    }

    /** The first GPU VA of each mapping of the object in the VM, ascending. */
    List<Long> mappingStarts() {
        return mappings().stream().map(GpuVa::addr).toList();
    }

    /** The mappings of the object in the VM, by first GPU VA. */
    List<GpuVa<GpuVaBacking>> mappings() {
        return gpuvmBo.vas().stream().sorted(Comparator.comparingLong(GpuVa::addr)).toList();
    }

    /**
     * Points every PTE of the object's mappings in the VM at the object's pages as they are now
     * ({@code xe_vm_rebind} after the object was validated again), under the VM's {@code
     * notifier_lock}: VA page {@code i} of a mapping maps object page {@code offset / PAGE_SIZE +
     * i}, with the permission it had.
     */
    void rebind() {
        vm.notifierLock().assertHeld();
        for (GpuVa<GpuVaBacking> va : gpuvmBo.vas()) {
            int first = Math.toIntExact(va.offset() >>> PageFrame.PAGE_SHIFT);
            for (long page = 0; page < va.range() >>> PageFrame.PAGE_SHIFT; page++) {
                long gpuVa = va.addr() + (page << PageFrame.PAGE_SHIFT);
                GpuPte old = vm.pte(gpuVa);
                boolean writable = old == null || old.writable();
                vm.setPte(gpuVa, new GpuPte(bo.pageRef(Math.toIntExact(first + page)), writable));
            }
        }
    }

    /**
     * {@code drm_gpuvm_bo_destroy}, once the last mapping was unlinked and the VM's locks are
     * dropped: unlinks from the object, drops the back-reference (refcount-only) and the object
     * reference. Either put may free what it drops.
     */
    void destroy() {
        if (!gpuvmBo.isDestroyed()) {
            throw new IllegalStateException(this + " destroyed while " + gpuvmBo + " is alive");
        }
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
