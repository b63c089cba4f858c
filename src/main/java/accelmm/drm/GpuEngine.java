package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;
import java.util.ArrayDeque;

/**
 * The device's execution engine with its scheduler (in xe: a hardware engine fed by the GuC
 * through {@code drm_sched}), as one daemon actor that runs the jobs of every queue in
 * submission order. It is started with the first job.
 *
 * <p>A job touches memory one page-sized chunk at a time, each chunk after a preemption point:
 * it translates the GPU VA through the VM's page table and reads or writes the frame through
 * {@link PhysicalMemory} as a {@link MemoryAccess.Via#DEVICE} access on behalf of the queue's
 * creator. A VA without a PTE (or a write to a read-only one) is a GPU page fault: the VM is
 * not in fault mode, so the job stops there and its fence signals with -EFAULT.
 */
final class GpuEngine {

    private final DrmDevice device;
    private final Simulation sim;
    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private final WaitQueue work;
    private boolean started;

    GpuEngine(DrmDevice device) {
        this.device = device;
        this.sim = device.sim();
        this.work = new WaitQueue(sim, device.name() + " engine");
    }

    /** Queues {@code job} behind every job already pushed (the scheduler's FIFO). */
    void push(Job job) {
        pending.addLast(job);
        if (!started) {
            started = true;
            sim.spawnDaemon(device.name() + " engine", this::run);
        }
        work.wakeUpAll();
    }

    private void run() {
        while (true) {
            work.waitEvent(() -> !pending.isEmpty());
            execute(pending.pollFirst());
        }
    }

    private void execute(Job job) {
        int err = switch (job.spec()) {
            case JobSpec.Copy c -> copy(job, c);
            case JobSpec.Fill f -> fill(job, f);
        };
        if (err != 0) {
            job.fence().setError(err);
        }
        job.fence().signal();
        sim.traceOperation(job.toString(), Fmt.status(err));
    }

    private int copy(Job job, JobSpec.Copy c) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        String label = "job " + job.fence().name() + " copy";
        for (long done = 0; done < c.sizeBytes(); ) {
            long src = c.srcVa() + done;
            long dst = c.dstVa() + done;
            int chunk = (int) Math.min(c.sizeBytes() - done, Math.min(room(src), room(dst)));
            sim.preemptionPoint(label);
            GpuPte from = job.queue().vm().pte(src);
            GpuPte to = job.queue().vm().pte(dst);
            if (from == null || to == null || !to.writable()) {
                return Errno.EFAULT.neg();
            }
            byte[] data = new byte[chunk];
            memory.read(job.queue().principal(), MemoryAccess.Via.DEVICE, from.ref(), offset(src), data, 0, chunk,
                    "gpu va " + Fmt.hex(src), from.invalidated());
            int[] labels = memory.labels(from.ref().frame(), offset(src), chunk);
            memory.write(job.queue().principal(), MemoryAccess.Via.DEVICE, to.ref(), offset(dst), data, 0, chunk,
                    labels, "gpu va " + Fmt.hex(dst), to.invalidated());
            done += chunk;
        }
        return 0;
    }

    private int fill(Job job, JobSpec.Fill f) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        String label = "job " + job.fence().name() + " fill";
        for (long done = 0; done < f.sizeBytes(); ) {
            long dst = f.dstVa() + done;
            int chunk = (int) Math.min(f.sizeBytes() - done, room(dst));
            sim.preemptionPoint(label);
            GpuPte to = job.queue().vm().pte(dst);
            if (to == null || !to.writable()) {
                return Errno.EFAULT.neg();
            }
            byte[] data = new byte[chunk];
            java.util.Arrays.fill(data, f.value());
            memory.write(job.queue().principal(), MemoryAccess.Via.DEVICE, to.ref(), offset(dst), data, 0, chunk,
                    null, "gpu va " + Fmt.hex(dst), to.invalidated());
            done += chunk;
        }
        return 0;
    }

    private static int offset(long va) {
        return (int) (va & (PageFrame.PAGE_SIZE - 1));
    }

    /** Bytes from {@code va} to the end of its page. */
    private static long room(long va) {
        return PageFrame.PAGE_SIZE - offset(va);
    }
}
