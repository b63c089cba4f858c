package accelmm.drm;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Models {@code struct drm_gpuvm_bo}: the pairing of one {@link DrmGpuvm} and one GEM object,
 * with the list of the object's mappings in that VM ({@code list.gpuva}).
 *
 * <p>There is at most one per (VM, object): {@link #obtain} looks it up before it creates one
 * (the kernel searches the object's {@code gpuva.list}; the model keeps the registry in the
 * VM, which comes to the same). It is reference counted ({@code kref}): obtain and
 * {@link #find} return a reference, every linked mapping holds one ({@code drm_gpuva_link}
 * takes it, {@code drm_gpuva_unlink} drops it), and the {@link #put} of the last one destroys
 * it, which takes it out of the registry. Mappings are kept in link order
 * ({@code list_add_tail}), in a linked hash set so that unlinking costs O(1).
 *
 * <p>Its state is part of its VM's, as the explorer sees it ({@link DrmGpuvm#writeVmBos}).
 *
 * @param <O> the type the VM's user names GEM objects by
 */
public final class GpuvmBo<O> {

    private final DrmGpuvm<O> vm;
    private final O obj;
    private final LinkedHashSet<GpuVa<O>> vas = new LinkedHashSet<>();
    private int refCount = 1;

    private GpuvmBo(DrmGpuvm<O> vm, O obj) {
        this.vm = vm;
        this.obj = obj;
    }

    /**
     * {@code drm_gpuvm_bo_obtain}: the vm_bo of ({@code vm}, {@code obj}) with a new reference,
     * created (with its first reference) if there is none yet.
     */
    public static <O> GpuvmBo<O> obtain(DrmGpuvm<O> vm, O obj) {
        GpuvmBo<O> found = find(vm, obj);
        if (found != null) {
            return found;
        }
        GpuvmBo<O> created = new GpuvmBo<>(vm, obj);
        vm.vmBoAdded(created);
        return created;
    }

    /** {@code drm_gpuvm_bo_find}: the vm_bo of ({@code vm}, {@code obj}) with a new reference, or {@code null}. */
    public static <O> GpuvmBo<O> find(DrmGpuvm<O> vm, O obj) {
        if (obj == null) {
            throw new IllegalArgumentException("vm_bo of no object in " + vm.name());
        }
        GpuvmBo<O> vmBo = vm.vmBoLookup(obj);
        return vmBo == null ? null : vmBo.get();
    }

    public DrmGpuvm<O> vm() {
        return vm;
    }

    public O obj() {
        return obj;
    }

    public int refCount() {
        vm.readVmBos();
        return refCount;
    }

    /** Whether the last reference has been put. */
    public boolean isDestroyed() {
        vm.readVmBos();
        return refCount == 0;
    }

    /** {@code list.gpuva}: the object's mappings in this VM, in the order they were linked. */
    public List<GpuVa<O>> vas() {
        vm.readVmBos();
        return List.copyOf(vas);
    }

    /** {@code drm_gpuvm_bo_get}: only legal while holding a reference. */
    public GpuvmBo<O> get() {
        vm.writeVmBos();
        if (refCount <= 0) {
            throw new IllegalStateException("get of destroyed vm_bo " + this);
        }
        refCount++;
        return this;
    }

    /** {@code drm_gpuvm_bo_put}: true if this was the last reference and the vm_bo is destroyed. */
    public boolean put() {
        vm.writeVmBos();
        if (refCount <= 0) {
            throw new IllegalStateException("refcount underflow on vm_bo " + this);
        }
        if (--refCount > 0) {
            return false;
        }
        if (!vas.isEmpty()) {
            throw new IllegalStateException("vm_bo " + this + " destroyed with mappings linked");
        }
        vm.vmBoDestroyed(this);
        return true;
    }

    /** {@code drm_gpuva_link}: appends {@code va} and takes a reference for it. */
    void link(GpuVa<O> va) {
        vm.writeVmBos();
        if (!obj.equals(va.obj())) {
            throw new IllegalArgumentException("link of " + va + " to the vm_bo of " + obj);
        }
        get();
        if (!vas.add(va)) {
            throw new IllegalStateException(va + " linked twice to " + this);
        }
    }

    /** {@code drm_gpuva_unlink}: removes {@code va} if linked here and drops its reference. */
    void unlink(GpuVa<O> va) {
        vm.writeVmBos();
        if (vas.remove(va)) {
            put();
        }
    }

    /** The number of linked mappings. */
    int vaCount() {
        vm.readVmBos();
        return vas.size();
    }

    @Override
    public String toString() {
        return "vm_bo(" + vm.name() + ", " + obj + ")";
    }
}
