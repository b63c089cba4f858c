package accelmm.drm;

/**
 * Models the entry points of xe_eudebug.h that the xe driver calls from its own paths, so that
 * the EU debugger (a layer above, which this package never imports) learns what the debuggee
 * does: {@code xe_eudebug_file_open}/{@code _close} from {@code xe_file_open}/{@code
 * xe_file_close}, {@code xe_eudebug_vm_create}/{@code _destroy} from the VM ioctls, {@code
 * xe_eudebug_exec_queue_create}/{@code _destroy} from the exec-queue ioctls, and {@code
 * xe_eudebug_vm_bind_start}, {@code _op_add} and {@code _end} from {@code xe_vm_bind_ioctl}.
 * A {@link DrmDevice} has none until a debugger is installed ({@link
 * DrmDevice#installEudebug}); then its VM, bind and exec-queue ioctls and its open run under
 * the device's discovery lock for reading.
 */
public interface EudebugHooks {

    /** What a bind op does, as {@code xe_eudebug_vm_bind_op_add} tells the ops apart. */
    enum BindOp {
        /** {@code DRM_XE_VM_BIND_OP_MAP}: a CREATE op. */
        MAP,
        /** {@code DRM_XE_VM_BIND_OP_MAP_USERPTR}: a CREATE op. */
        MAP_USERPTR,
        /** {@code DRM_XE_VM_BIND_OP_UNMAP}: a DESTROY op. */
        UNMAP
    }

    /** {@code xe_eudebug_file_open}: {@code file} was just opened (it is on the device's list). */
    void fileOpen(DrmFile file);

    /** {@code xe_eudebug_file_close}: {@code file} is being released, before its queues and VMs go. */
    void fileClose(DrmFile file);

    /** {@code xe_eudebug_vm_create}: {@code vm} was created and given its ID. */
    void vmCreate(GpuVm vm);

    /** {@code xe_eudebug_vm_destroy}: {@code vm}'s ID is being destroyed by the VM destroy ioctl. */
    void vmDestroy(GpuVm vm);

    /** {@code xe_eudebug_exec_queue_create}: {@code queue} was created and given its ID. */
    void execQueueCreate(ExecQueue queue);

    /** {@code xe_eudebug_exec_queue_destroy}: {@code queue}'s ID is being destroyed. */
    void execQueueDestroy(ExecQueue queue);

    /** {@code xe_eudebug_vm_bind_start}: a bind on {@code vm} begins, under {@code vm->lock} for writing. */
    void vmBindStart(GpuVm vm);

    /** {@code xe_eudebug_vm_bind_op_add}: the bind does {@code op} on {@code [addr, addr + range)}. */
    void vmBindOpAdd(GpuVm vm, BindOp op, long addr, long range);

    /** {@code xe_eudebug_vm_bind_end}: the bind ended with {@code err} (0 or a negative errno). */
    void vmBindEnd(GpuVm vm, int err);
}
