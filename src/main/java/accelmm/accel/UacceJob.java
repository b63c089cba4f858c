package accelmm.accel;

import accelmm.dmabuf.DmaFence;

/**
 * One descriptor a process wrote and rang the doorbell for: a copy of {@code sizeBytes} from
 * {@code srcVa} to {@code dstVa}, addresses of the address space the queue is bound to (its
 * PASID), whatever process rang. Its fence signals when the engine has run it, with -EFAULT when
 * an I/O page fault could not be resolved.
 */
record UacceJob(UacceQueue queue, int seqno, long srcVa, long dstVa, long sizeBytes, DmaFence fence) {

    UacceJob(UacceQueue queue, int seqno, long srcVa, long dstVa, long sizeBytes) {
        this(queue, seqno, srcVa, dstVa, sizeBytes,
                new DmaFence(queue.device().sim(), queue.device().name() + " q" + queue.qpId() + " job " + seqno));
    }

    @Override
    public String toString() {
        return "job " + fence.name() + " copy 0x" + Long.toHexString(srcVa) + " -> 0x" + Long.toHexString(dstVa)
                + " (" + sizeBytes + " bytes, " + queue.addressing() + ")";
    }
}
