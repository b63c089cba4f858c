package accelmm.drm;

import java.util.Map.Entry;
import java.util.NavigableMap;

/**
 * The invariants of a {@link DrmGpuvm} and its {@link GpuvmBo}s, checked from outside the
 * mutating code (they observe, never mutate):
 *
 * <ul>
 *   <li>the tree is keyed by start address and its nodes do not overlap;
 *   <li>every mapping but the kernel node lies in the VA space and off the kernel node, which
 *       is in the tree if the VM has one;
 *   <li>every live vm_bo is registered under its own object, holds a reference for each
 *       linked mapping, and each of those is in the tree with that object.
 * </ul>
 */
final class GpuvmInvariants {

    private GpuvmInvariants() {
    }

    static <O> void check(DrmGpuvm<O> vm, NavigableMap<Long, GpuVa<O>> tree) {
        checkTree(vm, tree);
        for (GpuvmBo<O> vmBo : vm.vmBos()) {
            checkVmBo(vm, tree, vmBo);
        }
    }

    private static <O> void checkTree(DrmGpuvm<O> vm, NavigableMap<Long, GpuVa<O>> tree) {
        GpuVa<O> kernelNode = vm.kernelNode();
        if (kernelNode != null && !kernelNode.equals(tree.get(kernelNode.addr()))) {
            fail(vm, "kernel node " + kernelNode + " missing");
        }
        GpuVa<O> before = null;
        for (Entry<Long, GpuVa<O>> e : tree.entrySet()) {
            GpuVa<O> va = e.getValue();
            if (e.getKey() != va.addr()) {
                fail(vm, va + " keyed at " + e.getKey());
            }
            if (before != null && before.end() > va.addr()) {
                fail(vm, before + " overlaps " + va);
            }
            if (va != kernelNode && !vm.rangeValid(va.addr(), va.range())) {
                fail(vm, va + " outside the VA space or on the kernel node");
            }
            before = va;
        }
    }

    private static <O> void checkVmBo(DrmGpuvm<O> vm, NavigableMap<Long, GpuVa<O>> tree, GpuvmBo<O> vmBo) {
        if (vm.vmBoLookup(vmBo.obj()) != vmBo || vmBo.isDestroyed()) {
            fail(vm, vmBo + " registered but not live");
        }
        if (vmBo.refCount() < vmBo.vaCount()) {
            fail(vm, vmBo + " holds " + vmBo.refCount() + " references for " + vmBo.vaCount() + " mappings");
        }
        for (GpuVa<O> va : vmBo.vas()) {
            if (!va.equals(tree.get(va.addr())) || !vmBo.obj().equals(va.obj())) {
                fail(vm, vmBo + " links " + va + ", which is not mapped to its object");
            }
        }
    }

    private static void fail(DrmGpuvm<?> vm, String what) {
        throw new IllegalStateException("drm_gpuvm " + vm.name() + ": " + what);
    }
}
