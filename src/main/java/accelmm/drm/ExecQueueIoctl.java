package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.Task;

/**
 * The exec-queue ioctls of a {@link DrmFile}, after xe: {@code xe_exec_queue_create_ioctl},
 * {@code xe_exec_queue_destroy_ioctl} and {@code xe_exec_ioctl}, with their errno values.
 */
final class ExecQueueIoctl {

    private ExecQueueIoctl() {
    }

    /**
     * {@code DRM_IOCTL_XE_EXEC_QUEUE_CREATE}: a queue on the VM whose jobs act on behalf of
     * {@code caller}; returns its ID, or -ENOENT for an unknown or closed VM.
     */
    static int create(DrmFile f, Task caller, long vmId) {
        f.enter("exec_queue_create");
        int ret = f.device().discoveryLocked(() -> createLocked(f, caller, vmId));
        if (f.tracing()) {
            f.trace("exec_queue_create vm=" + vmId, Fmt.value(ret));
        }
        return ret;
    }

    private static int createLocked(DrmFile f, Task caller, long vmId) {
        int ret;
        GpuVm vm = f.vmLookup(vmId, "exec_queue_create");
        if (vm == null) {
            ret = Errno.ENOENT.neg(); // xe_exec_queue_create_ioctl: xe_vm_lookup fails -> -ENOENT
        } else {
            boolean closed;
            vm.lock().downRead();
            try {
                closed = vm.isClosed();
                // The queue takes over the lookup's VM reference.
                ret = closed ? Errno.ENOENT.neg()
                        : f.queueIds().alloc(f.device().createQueue(f, vm, caller.principal()));
            } finally {
                vm.lock().upRead();
            }
            if (closed) {
                vm.put(); // xe_vm_is_closed_or_banned: -ENOENT
            } else if (f.device().eudebug() != null) {
                f.device().eudebug().execQueueCreate(f.queue(ret));
            }
        }
        return ret;
    }

    /** {@code DRM_IOCTL_XE_EXEC_QUEUE_DESTROY}: waits for the queue's jobs; -ENOENT for an unknown ID. */
    static int destroy(DrmFile f, long queueId) {
        f.enter("exec_queue_destroy");
        int ret = f.device().discoveryLocked(() -> {
            ExecQueue q = f.queueLookup(queueId, "exec_queue_destroy");
            if (q == null) {
                return Errno.ENOENT.neg(); // xe_exec_queue_destroy_ioctl: xa_erase finds nothing
            }
            f.queueIds().erase((int) queueId);
            if (f.device().eudebug() != null) {
                f.device().eudebug().execQueueDestroy(q);
            }
            q.destroy();
            return 0;
        });
        if (f.tracing()) {
            f.trace("exec_queue_destroy " + queueId, Fmt.status(ret));
        }
        return ret;
    }

    /**
     * {@code DRM_IOCTL_XE_EXEC}: submits {@code spec} on the queue. -ENOENT for an unknown queue,
     * -EINVAL for an empty job, -ECANCELED once the queue is banned (a job of it faulted) or its
     * VM is closed.
     */
    static Submission exec(DrmFile f, long queueId, JobSpec spec) {
        f.enter("exec");
        Submission result;
        ExecQueue q = f.queueLookup(queueId, "exec");
        if (q == null) {
            result = new Submission.Refused(Errno.ENOENT.neg()); // xe_exec_ioctl: xe_exec_queue_lookup fails
        } else if (spec.sizeBytes() <= 0) {
            result = new Submission.Refused(Errno.EINVAL.neg());
        } else if (q.resetStatus()) {
            result = new Submission.Refused(Errno.ECANCELED.neg()); // xe_exec_ioctl: q->ops->reset_status(q)
        } else {
            result = q.exec(spec);
        }
        if (f.tracing()) {
            f.trace("exec queue=" + queueId + " " + spec, switch (result) {
                case Submission.Queued queued -> queued.fence().name();
                case Submission.Refused refused -> refused.toString();
            });
        }
        return result;
    }
}
