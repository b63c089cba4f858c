package accelmm.drm;

import accelmm.mm.PageFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Performs the {@link VaOp}s of one VM_BIND request on a {@link GpuVm}, as xe's
 * {@code xe_vma_op_commit} and the page-table update of {@code xe_vm_ops_execute} do: the
 * mapping tree first ({@link DrmGpuvm#apply}), then for each op in order
 *
 * <pre>
 *   unmap  [addr, end)                  PTEs cleared; userptr pages unbound
 *   remap  [addr |prev| cut |next| end) PTEs of prev and next kept, of the cut cleared
 *   map    [addr, end) obj@offset       PTEs written from the object's pages at offset
 *                                       (a userptr's pages are marked bound; its caller programs them)
 * </pre>
 *
 * An unmap with {@code keep} clears too: the map after it writes the same PTEs again, and no
 * GPU access can come in between (no preemption point inside {@code notifier_lock}).
 *
 * <p>What the request took away — GEM objects whose last mapping in the VM went (their {@link
 * VmBo}s) and userptr ranges with no page left — is collected and released by {@link #release}
 * once the caller has dropped {@code notifier_lock}, since releasing may free pages or remove a
 * notifier (which waits for invalidations that take the lock).
 */
final class VmBindOps {

    private final GpuVm vm;
    private final List<VmBo> vmBos = new ArrayList<>();
    private final List<Userptr> userptrs = new ArrayList<>();

    private VmBindOps(GpuVm vm) {
        this.vm = vm;
    }

    /** Applies {@code ops}, computed from {@code vm}'s current tree; the caller holds {@code notifier_lock}. */
    static VmBindOps apply(GpuVm vm, VaOps<GpuVaBacking> ops) {
        vm.notifierLock().assertHeld();
        vm.gpuvm().apply(ops);
        VmBindOps out = new VmBindOps(vm);
        for (VaOp<GpuVaBacking> op : ops.ops()) {
            switch (op) {
                case VaOp.Map<GpuVaBacking> map -> out.map(map);
                case VaOp.Remap<GpuVaBacking> remap -> {
                    GpuVa<GpuVaBacking> old = remap.unmap().va();
                    long cutStart = remap.prev() != null ? remap.prev().end() : old.addr();
                    long cutEnd = remap.next() != null ? remap.next().addr() : old.end();
                    out.unmap(old, cutStart, cutEnd);
                }
                case VaOp.Unmap<GpuVaBacking> unmap -> out.unmap(unmap.va(), unmap.va().addr(), unmap.va().end());
            }
        }
        return out;
    }

    /** Releases what the request took away: vm_bos destroyed, userptr notifiers removed or pages unpinned. */
    void release() {
        for (VmBo vmBo : vmBos) {
            vmBo.destroy();
        }
        for (Userptr u : userptrs) {
            u.destroy();
        }
    }

    private void map(VaOp.Map<GpuVaBacking> map) {
        int first = Math.toIntExact(map.offset() >>> PageFrame.PAGE_SHIFT);
        int count = GpuVm.pages(map.range());
        switch (map.obj()) {
            case GpuVaBacking.Bo(GemObject bo) -> {
                for (int i = 0; i < count; i++) {
                    vm.setPte(pageVa(map.addr(), i), new GpuPte(bo.pageRef(first + i), true));
                }
            }
            case GpuVaBacking.UserptrRange(Userptr u) -> {
                for (int i = 0; i < count; i++) {
                    u.markMapped(first + i);
                }
            }
            case null -> throw new IllegalStateException("sparse mapping " + map + " in " + vm);
        }
    }

    /** {@code [cutStart, cutEnd)} of {@code old} left the VA space. */
    private void unmap(GpuVa<GpuVaBacking> old, long cutStart, long cutEnd) {
        vm.clearPtes(cutStart, cutEnd);
        vm.invalidateTlb();
        switch (old.obj()) {
            case GpuVaBacking.Bo(GemObject bo) -> {
                VmBo gone = vm.vmBoIfUnmapped(bo);
                if (gone != null) {
                    vmBos.add(gone);
                }
            }
            case GpuVaBacking.UserptrRange(Userptr u) -> {
                boolean none = false;
                for (long a = cutStart; a < cutEnd; a += PageFrame.PAGE_SIZE) {
                    none = u.unmapPage(Math.toIntExact(old.offsetAt(a) >>> PageFrame.PAGE_SHIFT));
                }
                if (none) {
                    u.markDestroyed();
                    vm.userptr().remove(u);
                    userptrs.add(u);
                }
            }
            case null -> throw new IllegalStateException("sparse mapping " + old + " in " + vm);
        }
    }

    private static long pageVa(long addr, int index) {
        return addr + ((long) index << PageFrame.PAGE_SHIFT);
    }
}
