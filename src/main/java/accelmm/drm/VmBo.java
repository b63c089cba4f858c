package accelmm.drm;

/**
 * Models {@code struct drm_gpuvm_bo}: the pairing of one VM and one GEM object, which exists
 * while some GPU VA page of the VM maps the object and holds one reference on the object for
 * all of them ({@code drm_gpuvm_bo_obtain} / {@code drm_gpuvm_bo_put}).
 */
final class VmBo {

    private final GpuVm vm;
    private final GemObject bo;
    private int mappedPageCount;

    VmBo(GpuVm vm, GemObject bo) {
        this.vm = vm;
        this.bo = bo;
        bo.get();
    }

    GpuVm vm() {
        return vm;
    }

    GemObject bo() {
        return bo;
    }

    void pageMapped() {
        mappedPageCount++;
    }

    /** One page less maps the object; true when none is left (the caller then drops the pairing). */
    boolean pageUnmapped() {
        if (mappedPageCount <= 0) {
            throw new IllegalStateException("vm_bo of " + bo + " unmapped more pages than it mapped");
        }
        return --mappedPageCount == 0;
    }

    int mappedPageCount() {
        return mappedPageCount;
    }
}
