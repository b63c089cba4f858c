package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * {@code xe_vm_bind_ioctl} for one bind op, its checks in xe's order: the VM lookup (an unknown
 * VM ID is -EINVAL, not -ENOENT, in this ioctl), {@code vm_bind_ioctl_check_args} (addr, range
 * and obj_offset page aligned, range not zero: -EINVAL), {@code vm->lock} for writing, the
 * closed-VM check (-ENOENT), the range against {@code vm->size} (-EINVAL), the object lookup
 * (-ENOENT) and {@code xe_vm_bind_ioctl_validate_bo} (obj_offset + range beyond the object:
 * -EINVAL); then the op on the {@link GpuVm}, which runs {@code drm_gpuvm_sm_map} or
 * {@code _sm_unmap} and applies the ops.
 */
final class VmBindIoctl {

    private static final long PAGE_MASK = PageFrame.PAGE_SIZE - 1;

    private VmBindIoctl() {
    }

    static int map(DrmFile f, long vmId, long handle, long boOffset, long va, long sizeBytes, boolean dumpable) {
        Supplier<String> what = () -> "map bo=" + handle + (boOffset != 0 ? " bo_offset=" + Fmt.hex(boOffset) : "")
                + (dumpable ? " dumpable" : "");
        return bind(f, what, EudebugHooks.BindOp.MAP, vmId, va, sizeBytes, boOffset, vm -> {
            GemObject bo = f.objectLookup(handle, "vm_bind");
            if (bo == null) {
                return Errno.ENOENT.neg(); // xe_vm_bind_ioctl: drm_gem_object_lookup fails
            }
            try {
                if (sizeBytes > bo.sizeBytes() || boOffset < 0 || boOffset > bo.sizeBytes() - sizeBytes) {
                    return Errno.EINVAL.neg(); // xe_vm_bind_ioctl_validate_bo: range beyond the object
                }
                return vm.bindBo(bo, boOffset, va, sizeBytes, dumpable);
            } finally {
                bo.put();
            }
        });
    }

    static int userptr(DrmFile f, Task caller, long vmId, long cpuAddr, long va, long sizeBytes, boolean dumpable) {
        Supplier<String> what = () -> "userptr addr=" + Fmt.hex(cpuAddr) + (dumpable ? " dumpable" : "");
        return bind(f, what, EudebugHooks.BindOp.MAP_USERPTR, vmId, va, sizeBytes, cpuAddr, vm -> {
            MmStruct mm = caller.mm();
            return mm == null ? Errno.EFAULT.neg() : vm.bindUserptr(mm, cpuAddr, va, sizeBytes, dumpable);
        });
    }

    static int unmap(DrmFile f, long vmId, long va, long sizeBytes) {
        return bind(f, () -> "unmap", EudebugHooks.BindOp.UNMAP, vmId, va, sizeBytes, 0, vm -> {
            vm.unbind(va, sizeBytes);
            return 0;
        });
    }

    /** {@code what} describes the bind for the trace; built only when tracing. */
    private static int bind(DrmFile f, Supplier<String> what, EudebugHooks.BindOp kind, long vmId, long va,
            long sizeBytes, long alsoAligned, ToIntFunction<GpuVm> op) {
        f.enter("vm_bind");
        int ret = f.device().discoveryLocked(() -> checkedBind(f, kind, vmId, va, sizeBytes, alsoAligned, op));
        if (f.tracing()) {
            f.trace("vm_bind " + what.get() + " va=" + Fmt.hex(va) + " size=" + Fmt.size(sizeBytes), Fmt.status(ret));
        }
        return ret;
    }

    private static int checkedBind(DrmFile f, EudebugHooks.BindOp kind, long vmId, long va, long sizeBytes,
            long alsoAligned, ToIntFunction<GpuVm> op) {
        GpuVm vm = f.vmLookup(vmId, "vm_bind");
        if (vm == null) {
            return Errno.EINVAL.neg(); // xe_vm_bind_ioctl: xe_vm_lookup fails -> -EINVAL
        }
        try {
            if (!argsValid(va, sizeBytes, alsoAligned)) {
                return Errno.EINVAL.neg();
            }
            vm.lock().downWrite();
            try {
                if (vm.isClosed()) {
                    return Errno.ENOENT.neg(); // xe_vm_is_closed_or_banned
                }
                if (!vm.rangeValid(va, sizeBytes)) {
                    return Errno.EINVAL.neg(); // range > vm->size || addr > vm->size - range
                }
                EudebugHooks eudebug = f.device().eudebug();
                if (eudebug == null) {
                    return op.applyAsInt(vm);
                }
                return debuggedOp(eudebug, vm, kind, va, sizeBytes, op);
            } finally {
                vm.lock().upWrite();
            }
        } finally {
            vm.put();
        }
    }

    /**
     * The op of a bind whose VM a debugger may watch: {@code xe_eudebug_vm_bind_start}, the op
     * added, the op, then {@code xe_eudebug_vm_bind_end} with its result, which sends the
     * events only for a bind that succeeded.
     */
    private static int debuggedOp(EudebugHooks eudebug, GpuVm vm, EudebugHooks.BindOp kind, long va, long sizeBytes,
            ToIntFunction<GpuVm> op) {
        eudebug.vmBindStart(vm);
        eudebug.vmBindOpAdd(vm, kind, va, sizeBytes);
        int ret = Errno.EINVAL.neg();
        try {
            ret = op.applyAsInt(vm);
        } finally {
            eudebug.vmBindEnd(vm, Math.min(ret, 0));
        }
        return ret;
    }

    /**
     * {@code vm_bind_ioctl_check_args}: addr, range and obj_offset (for userptr: the CPU address)
     * page aligned, range not zero. (A negative va stands for a u64 beyond the VA space: the
     * range check refuses it.)
     */
    private static boolean argsValid(long va, long sizeBytes, long alsoAligned) {
        return ((va | sizeBytes | alsoAligned) & PAGE_MASK) == 0 && sizeBytes > 0;
    }
}
