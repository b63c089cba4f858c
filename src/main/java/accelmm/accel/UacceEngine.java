package accelmm.accel;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Through;
import accelmm.sim.KthreadWorker;
import accelmm.sim.Simulation;

/**
 * The accelerator's engine, as one daemon actor that runs the jobs of every queue in the order
 * their doorbells were rung, started with the first job. A job's DMA goes through the IOMMU by
 * the queue's PASID: the addresses are those of the address space the queue is bound to, the
 * accesses are made on behalf of that process (the queue's owner, the bound mm's), and a missing page is an I/O
 * page fault resolved as the owner's CPU fault would be ({@link accelmm.mm.Uaccess#dmaCopyInMm}).
 * If the address space is gone (its process exited), or a fault cannot be resolved, the job ends
 * with -EFAULT. Nothing is pinned and no device page table is kept: the IOMMU walks the CPU's.
 * Without SVA ({@code accel=pin}) the addresses are IOVAs mapped 1:1 by {@code dma_map} onto
 * pinned frames ({@link #copyThroughIova}).
 *
 * <p>A {@link KthreadWorker}, as the GPU engine of the {@code drm} layer, without its scheduler: no
 * implicit synchronisation, no queue ban (a faulting descriptor completes with an error status
 * and the queue goes on).
 */
final class UacceEngine {

    private final UacceDevice device;
    private final Simulation sim;
    private final KthreadWorker<UacceJob> worker;

    UacceEngine(UacceDevice device) {
        this.device = device;
        this.sim = device.sim();
        this.worker = new KthreadWorker<>(sim, device.name() + " engine", this::execute);
    }

    void push(UacceJob job) {
        worker.queue(job);
    }

    private void execute(UacceJob job) {
        int err = copy(job);
        if (err != 0) {
            job.fence().setError(err);
        }
        job.pins().forEach(UacceDmaMap::unmapAndUnpin);
        job.fence().signal();
        device.trace(job.toString(), err == 0 ? "ok" : Errno.describe(err));
        job.queue().jobEnded();
    }

    /** The copy through the queue's PASID, or without SVA through its IOMMU mappings. */
    private int copy(UacceJob job) {
        return device.accelDesign() == AccelDesign.SVA ? copyThroughPasid(job) : copyThroughIova(job);
    }

    /** The copy through the queue's PASID: the IOMMU's {@code mmget_not_zero} of the bound mm first. */
    private int copyThroughPasid(UacceJob job) {
        MmStruct mm = job.queue().domain().mm();
        if (!mm.mmgetNotZero()) {
            return Errno.EFAULT.neg();
        }
        try {
            return device.kernel().uaccess().dmaCopyInMm(mm, job.queue().owner(), job.queue().addressing() + " va",
                    job.srcVa(), job.dstVa(), job.sizeBytes());
        } finally {
            mm.mmput();
        }
    }

    /**
     * The copy without SVA: each address is an IOVA the IOMMU translates through the queue's
     * {@code dma_map} ranges (or the job's own pins) to the frames pinned for them, never through
     * a page table; each access is made on behalf of the process the frames were pinned in (a
     * kernel submission's pins are its submitter's, whoever opened the queue). An
     * address no range maps is an IOMMU fault, which without a page request interface nobody
     * resolves: the job ends with -EFAULT (the bytes before it stay copied).
     */
    private int copyThroughIova(UacceJob job) {
        PhysicalMemory memory = device.kernel().physicalMemory();
        byte[] data = new byte[PageFrame.PAGE_SIZE];
        for (long done = 0; done < job.sizeBytes(); ) {
            long from = job.srcVa() + done;
            long to = job.dstVa() + done;
            int chunk = (int) Math.min(job.sizeBytes() - done, Math.min(pageRoom(from), pageRoom(to)));
            sim.preemptionPoint(device.name() + " iova dma copy");
            UacceDmaMap inMap = mappingOf(job, from);
            UacceDmaMap outMap = mappingOf(job, to);
            if (inMap == null || outMap == null) {
                return Errno.EFAULT.neg();
            }
            PhysicalMemory.FrameRef in = inMap.translate(from);
            PhysicalMemory.FrameRef out = outMap.translate(to);
            int fromOffset = inPage(from);
            memory.read(inMap.principal(), MemoryAccess.Via.DEVICE, in, fromOffset, data, 0, chunk,
                    new Through("iova", from), false);
            int[] labels = memory.labels(in.frame(), fromOffset, chunk);
            memory.write(outMap.principal(), MemoryAccess.Via.DEVICE, out, inPage(to), data, 0, chunk, labels,
                    new Through("iova", to), false);
            done += chunk;
        }
        return 0;
    }

    /** The mapping that translates {@code iova}: the job's own pins (kernel-submit), else the queue's {@code dma_map} ranges. */
    private static UacceDmaMap mappingOf(UacceJob job, long iova) {
        if (job.pins().isEmpty()) {
            return job.queue().mappingOf(iova);
        }
        for (UacceDmaMap m : job.pins()) {
            if (m.translate(iova) != null) {
                return m;
            }
        }
        return null;
    }

    private static int inPage(long address) {
        return (int) (address & (PageFrame.PAGE_SIZE - 1));
    }

    private static long pageRoom(long address) {
        return PageFrame.PAGE_SIZE - inPage(address);
    }
}
