package accelmm.accel;

import accelmm.dmabuf.DmaFence;
import java.util.List;

/**
 * One descriptor a process wrote and rang the doorbell for: a copy of {@code sizeBytes} from
 * {@code srcVa} to {@code dstVa}, addresses of the address space the queue is bound to (its
 * PASID), whatever process rang. Its fence signals when the engine has run it, with -EFAULT when
 * an I/O page fault could not be resolved. Under {@code accel=kernel-submit} it holds the pins the
 * submission took of its buffers, which the engine translates through and drops at its end.
 */
record UacceJob(UacceQueue queue, int seqno, long srcVa, long dstVa, long sizeBytes, List<UacceDmaMap> pins,
        DmaFence fence) {

    UacceJob(UacceQueue queue, int seqno, long srcVa, long dstVa, long sizeBytes, List<UacceDmaMap> pins) {
        this(queue, seqno, srcVa, dstVa, sizeBytes, pins,
                new DmaFence(queue.device().sim(), queue.device().name() + " q" + queue.qpId() + " job " + seqno));
    }

    @Override
    public String toString() {
        return "job " + fence.name() + " copy 0x" + Long.toHexString(srcVa) + " -> 0x" + Long.toHexString(dstVa)
                + " (" + sizeBytes + " bytes, " + queue.addressing() + ")";
    }
}
