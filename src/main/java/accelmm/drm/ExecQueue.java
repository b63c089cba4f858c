package accelmm.drm;

import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.Principal;
import accelmm.sim.Shared;

/**
 * Models {@code struct xe_exec_queue}: a submission queue bound to one VM, created by a process
 * on whose behalf every job of the queue accesses memory (the device's accesses carry its
 * {@link Principal}). It holds a reference on the VM.
 *
 * <p>{@link #exec} follows {@code xe_exec_ioctl} for a VM not in fault mode: revalidate the
 * userptrs invalidated since the last exec, then, under {@code notifier_lock}, start over if
 * any of them was invalidated again meanwhile; otherwise program their PTEs, add the job's
 * fence to the VM's {@code dma_resv} (BOOKKEEP) and push the job, all before dropping the lock,
 * so that an invalidation either comes before (and the job sees the new PTEs) or waits for the
 * job. Objects imported from another device are locked, and mapped again and rebound if the
 * exporter invalidated them, from before that until the job is pushed ({@link
 * GpuVm#revalidateImports}), for the same reason.
 *
 * <p>A GPU fault of one of its jobs bans the queue ({@link #ban}, by the engine): the jobs still
 * queued behind the faulting one end with -ECANCELED without running, and the exec ioctl
 * refuses the queue with -ECANCELED from then on ({@link #resetStatus}).
 */
public final class ExecQueue implements DrmObject {

    private final DrmDevice device;
    private final DrmFile creator;
    private final int id;
    private final GpuVm vm;
    private final Principal principal;
    private int seqno;
    private DmaFence lastFence;
    private boolean killed;
    /** A job of the queue hit a GPU fault: the engine reset it and the queue takes no more jobs. */
    private boolean banned;
    /** The sequence number, the last fence and the reset flags. */
    private final Shared shared;

    /** Takes over the caller's reference on {@code vm}. */
    ExecQueue(DrmDevice device, DrmFile creator, int id, GpuVm vm, Principal principal) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.vm = vm;
        this.principal = principal;
        this.shared = device.sim().shared("exec queue");
    }

    /** A serial number, unique in the device, for reports (not the per-file queue ID). */
    @Override
    public int id() {
        return id;
    }

    @Override
    public DrmFile creator() {
        return creator;
    }

    /** {@code exec queue 1}. */
    @Override
    public String label() {
        return "exec queue " + id;
    }

    public GpuVm vm() {
        return vm;
    }

    /** On whose behalf the jobs of this queue access memory. */
    public Principal principal() {
        return principal;
    }

    /** The fence of the last job pushed, or {@code null}. */
    public DmaFence lastFence() {
        shared.read();
        return lastFence;
    }

    /**
     * {@code q->ops->reset_status} of the GuC backend ({@code guc_exec_queue_reset_status}): the
     * queue was reset after a fault, banned, or killed; {@code xe_exec_ioctl} refuses it with
     * -ECANCELED.
     */
    boolean resetStatus() {
        shared.read();
        return banned || killed;
    }

    /** Whether a fault banned the queue (as opposed to a destroy killing it). */
    boolean isBanned() {
        shared.read();
        return banned;
    }

    /**
     * A job of this queue faulted on a VM not in fault mode (a CAT error): the GuC resets the
     * engine, and {@code guc_exec_queue_timedout_job} bans the queue ({@code
     * set_exec_queue_banned}); later execs are refused. The VM is not affected: a new queue on it
     * runs.
     */
    void ban() {
        shared.write();
        banned = true;
    }

    /** Runs the exec ioctl's locking dance and queues {@code spec}; see the class comment. */
    Submission exec(JobSpec spec) {
        while (true) {
            if (vm.userptr().checkRepin()) {
                vm.lock().downWrite();
                int ret = vm.userptr().pin();
                vm.lock().downgradeWrite();
                if (ret < 0) {
                    vm.lock().upRead();
                    return new Submission.Refused(ret);
                }
            } else {
                vm.lock().downRead();
            }
            DrmExec imports = null;
            try {
                shared.read();
                if (killed || vm.isClosed()) {
                    // "Trying to schedule after vm is closed or banned" (xe_exec.c).
                    return new Submission.Refused(Errno.ECANCELED.neg());
                }
                imports = vm.lockImports();
                int ret = vm.revalidateImports();
                if (ret < 0) {
                    return new Submission.Refused(ret); // drm_gpuvm_exec_lock's validation failed
                }
                vm.notifierLock().downRead();
                try {
                    if (vm.userptr().needsRepin()) {
                        continue;
                    }
                    vm.userptr().rebind();
                    return new Submission.Queued(push(spec));
                } finally {
                    vm.notifierLock().upRead();
                }
            } finally {
                if (imports != null) {
                    imports.unlock();
                }
                vm.lock().upRead();
            }
        }
    }

    private DmaFence push(JobSpec spec) {
        shared.write();
        DmaFence fence = new DmaFence(device.sim(), device.name() + " q" + id + "#" + (++seqno));
        vm.resv().addFence(fence, DmaResv.Usage.BOOKKEEP);
        lastFence = fence;
        device.engine().push(new Job(this, spec, fence));
        return fence;
    }

    /**
     * Destroy ioctl or file release: no more jobs ({@code xe_exec_queue_kill}); waits until the
     * jobs already pushed have run, then drops the VM reference.
     */
    void destroy() {
        shared.write();
        killed = true;
        DmaFence last = lastFence;
        if (last != null) {
            last.waitSignaled();
        }
        vm.put();
        device.queueFreed(this);
    }


    @Override
    public String toString() {
        return "exec_queue " + id;
    }
}
