package accelmm.drm;

import accelmm.dmabuf.DmaFence;

/**
 * Models {@code struct xe_sched_job}: one submission of an exec queue, run by the device engine
 * through the queue's VM, whose completion (and GPU page fault, if any) {@code fence} reports.
 */
record Job(ExecQueue queue, JobSpec spec, DmaFence fence) {

    @Override
    public String toString() {
        return "job " + fence.name() + " " + spec;
    }
}
