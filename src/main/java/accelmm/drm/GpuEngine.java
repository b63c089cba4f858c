package accelmm.drm;

import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.mm.BulkAccess;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PageTable;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Through;
import accelmm.sim.Cost;
import accelmm.sim.KthreadWorker;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The device's execution engine with its scheduler (in xe: a hardware engine fed by the GuC
 * through {@code drm_sched}), as one daemon actor that runs the jobs of every queue in
 * submission order. It is started with the first job.
 *
 * <p>A job touches memory one page at a time: for each page it translates the GPU VA through
 * the VM's page table and reads or writes the frame through {@link PhysicalMemory} as a {@link
 * MemoryAccess.Via#DEVICE} access on behalf of the queue's creator. An engine holds no lock
 * across pages, so a job of at most {@link BulkAccess#PAGEWISE_MAX_BYTES} has a preemption
 * point before each page (each chunk, when source and destination are aligned differently);
 * a larger job has one before each 2M span of its range (a GPU page-table page), and what
 * could happen between two pages of one span of it is not explored ({@link BulkAccess}). A VA
 * without a PTE (or a write to a read-only one) is a GPU page fault: the VM is not in fault
 * mode, so the job stops there; the engine reset bans the job's queue, then the job's fence
 * signals with -EFAULT, its jobs still waiting end with -ECANCELED ({@link #cancelPending})
 * and the queue takes no more.
 *
 * <p>Implicit sync through {@code dma_resv}, as i915 and amdgpu do it for the objects of a
 * submission (xe leaves it to user space and adds BOOKKEEP fences only): when a job is pushed,
 * the objects its GPU PTEs reach are looked up; the job depends on the fences their resvs hold
 * for {@link DmaResv#usageRw} (a writer on every earlier reader and writer, a reader on the
 * writers; KERNEL fences — moves — always), and its own fence goes into each resv, WRITE for the
 * objects it writes and READ for those it only reads. The scheduler runs a job only once all
 * its dependencies have signalled ({@code drm_sched_job_add_implicit_dependencies}). With one
 * engine running jobs in order, the fences of earlier jobs have signalled by then; what a job
 * really waits for is a move in progress, and, later, other devices' work.
 */
final class GpuEngine {

    private final DrmDevice device;
    private final Simulation sim;
    /** A pushed job with the fences it waits for before it runs. */
    private record Scheduled(Job job, List<DmaFence> dependencies) {
    }

    private final KthreadWorker<Scheduled> worker;

    GpuEngine(DrmDevice device) {
        this.device = device;
        this.sim = device.sim();
        this.worker = new KthreadWorker<>(sim, device.name() + " engine", this::run);
    }

    /**
     * Queues {@code job} behind every job already pushed (the scheduler's FIFO), after taking
     * its implicit dependencies and adding its fence to the resvs of the objects it touches.
     */
    void push(Job job) {
        if (job.queue().resetStatus()) {
            // The ban (a fault) or the kill (destroy) came after the exec ioctl checked the queue:
            // the job is not run. xe's scheduler does not submit it (guc_exec_queue_run_job) and
            // the timeout handler ends it with the reset's -EIO (-ETIME once the GuC has
            // deregistered the queue, an errno the model does not have).
            end(job, Errno.EIO.neg(), job.queue().isBanned() ? "queue banned" : "queue killed");
            return;
        }
        worker.queue(new Scheduled(job, implicitSync(job)));
    }

    /** The worker's step: the job runs once its dependencies have signalled. */
    private void run(Scheduled next) {
        for (DmaFence dependency : next.dependencies()) {
            dependency.waitSignaled();
        }
        execute(next.job());
    }

    /** The fences {@code job} waits for; adds its fence to the objects' resvs. See the class comment. */
    private List<DmaFence> implicitSync(Job job) {
        Set<GemObject> written = new LinkedHashSet<>();
        Set<GemObject> read = new LinkedHashSet<>();
        switch (job.spec()) {
            case JobSpec.Copy c -> {
                objectsIn(job.queue().vm(), c.dstVa(), c.sizeBytes(), written);
                objectsIn(job.queue().vm(), c.srcVa(), c.sizeBytes(), read);
            }
            case JobSpec.Fill f -> objectsIn(job.queue().vm(), f.dstVa(), f.sizeBytes(), written);
        }
        read.removeAll(written);
        Set<DmaFence> dependencies = new LinkedHashSet<>();
        for (GemObject obj : written) {
            dependencies.addAll(obj.resv().unsignaled(DmaResv.usageRw(true)));
            obj.resv().addFence(job.fence(), DmaResv.Usage.WRITE);
        }
        for (GemObject obj : read) {
            dependencies.addAll(obj.resv().unsignaled(DmaResv.usageRw(false)));
            obj.resv().addFence(job.fence(), DmaResv.Usage.READ);
        }
        return new ArrayList<>(dependencies);
    }

    /** Adds the objects the VM's PTEs in {@code [va, va + size)} point into. */
    private void objectsIn(GpuVm vm, long va, long size, Set<GemObject> out) {
        long end = va + size;
        for (long page = va & ~(long) (PageFrame.PAGE_SIZE - 1); page < end; page += PageFrame.PAGE_SIZE) {
            GpuPte pte = vm.pte(page);
            GemObject obj = pte == null ? null : device.objectOf(pte.ref());
            if (obj != null) {
                out.add(obj);
            }
        }
    }

    /** A GPU page fault the VM does not serve (not in fault mode): counted, and the job fails -EFAULT. */
    private int gpuFault() {
        sim.costs().count(Cost.DEVICE_FAULT);
        return Errno.EFAULT.neg();
    }

    private void execute(Job job) {
        int err = switch (job.spec()) {
            case JobSpec.Copy c -> copy(job, c);
            case JobSpec.Fill f -> fill(job, f);
        };
        if (err != 0) {
            // guc_exec_queue_timedout_job bans the queue and sets the job's error before fence
            // signalling restarts: whoever the signal wakes finds the queue banned.
            job.fence().setError(err);
            job.queue().ban();
        }
        job.fence().signal();
        if (sim.tracing()) {
            sim.traceOperation(job.toString(), Fmt.status(err));
        }
        if (err != 0) {
            cancelPending(job.queue());
        }
    }

    /**
     * After a GPU fault of one of {@code q}'s jobs, which banned the queue: every job of it still
     * waiting here ends with -ECANCELED without running, its fence signalled now, after the
     * faulting job's ({@code guc_exec_queue_timedout_job} marks every pending job after the
     * faulting one -ECANCELED). The jobs of other queues run on.
     */
    private void cancelPending(ExecQueue q) {
        for (Iterator<Scheduled> it = worker.pending(); it.hasNext(); ) {
            Job job = it.next().job();
            if (job.queue() == q) {
                it.remove();
                end(job, Errno.ECANCELED.neg(), "queue banned");
            }
        }
    }

    /** Signals the fence of a job that does not run with {@code errno}. */
    private void end(Job job, int errno, String why) {
        job.fence().setError(errno);
        job.fence().signal();
        if (sim.tracing()) {
            sim.traceOperation(job.toString(), Fmt.status(errno) + " (" + why + ")");
        }
    }

    private int copy(Job job, JobSpec.Copy c) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        String label = "job " + job.fence().name() + " copy";
        byte[] data = new byte[PageFrame.PAGE_SIZE];
        boolean bySpan = BulkAccess.bySpan(c.sizeBytes());
        long stepEnd = 0;
        for (long done = 0; done < c.sizeBytes(); ) {
            long src = c.srcVa() + done;
            long dst = c.dstVa() + done;
            int chunk = (int) Math.min(c.sizeBytes() - done, Math.min(room(src), room(dst)));
            if (done >= stepEnd) {
                long left = c.sizeBytes() - done;
                stepEnd = done + (bySpan ? Math.min(spanBytes(src, left), spanBytes(dst, left)) : chunk);
                sim.preemptionPoint(label);
            }
            GpuPte from = job.queue().vm().pte(src);
            GpuPte to = job.queue().vm().pte(dst);
            if (from == null || to == null || !to.writable()) {
                return gpuFault();
            }
            memory.read(job.queue().principal(), MemoryAccess.Via.DEVICE, from.ref(), offset(src), data, 0, chunk,
                    new Through("gpu va", src), from.invalidated());
            int[] labels = memory.labels(from.ref().frame(), offset(src), chunk);
            memory.write(job.queue().principal(), MemoryAccess.Via.DEVICE, to.ref(), offset(dst), data, 0, chunk,
                    labels, new Through("gpu va", dst), to.invalidated());
            done += chunk;
        }
        return 0;
    }

    private int fill(Job job, JobSpec.Fill f) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        String label = "job " + job.fence().name() + " fill";
        byte[] data = new byte[PageFrame.PAGE_SIZE];
        java.util.Arrays.fill(data, f.value());
        boolean bySpan = BulkAccess.bySpan(f.sizeBytes());
        long stepEnd = 0;
        for (long done = 0; done < f.sizeBytes(); ) {
            long dst = f.dstVa() + done;
            int chunk = (int) Math.min(f.sizeBytes() - done, room(dst));
            if (done >= stepEnd) {
                stepEnd = done + (bySpan ? spanBytes(dst, f.sizeBytes() - done) : chunk);
                sim.preemptionPoint(label);
            }
            GpuPte to = job.queue().vm().pte(dst);
            if (to == null || !to.writable()) {
                return gpuFault();
            }
            memory.write(job.queue().principal(), MemoryAccess.Via.DEVICE, to.ref(), offset(dst), data, 0, chunk,
                    null, new Through("gpu va", dst), to.invalidated());
            done += chunk;
        }
        return 0;
    }

    private static int offset(long va) {
        return (int) (va & (PageFrame.PAGE_SIZE - 1));
    }

    /**
     * Bytes from {@code va} to the end of its GPU page-table page (2M), at most {@code left}: a
     * copy or fill larger than {@link BulkAccess#PAGEWISE_MAX_BYTES} takes one step per such
     * span, with no preemption point between its pages. A CPU, a notifier or an eviction acts
     * between the spans of such a job, not inside one.
     */
    private static long spanBytes(long va, long left) {
        return PageTable.pmdAddrEnd(va, va + left) - va;
    }

    /** Bytes from {@code va} to the end of its page. */
    private static long room(long va) {
        return PageFrame.PAGE_SIZE - offset(va);
    }
}
