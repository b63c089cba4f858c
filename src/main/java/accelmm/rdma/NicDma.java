package accelmm.rdma;

import accelmm.mm.BulkAccess;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PageTable;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Task;
import accelmm.mm.Through;
import accelmm.sim.Cost;
import accelmm.sim.Simulation;

/**
 * The NIC's DMA through a memory region: what an RDMA READ or WRITE that targets the region does
 * to memory, as {@link MemoryAccess.Via#NIC} accesses on behalf of the region's owner, so that
 * use-after-free, stale-access and secret-leak judge them as the owner's.
 *
 * <p>The statements are synchronous in the model: {@code rdma_read} and {@code rdma_write}
 * stand for posting the work request and polling its completion. The NIC holds nothing across
 * pages, so an access of at most {@link BulkAccess#PAGEWISE_MAX_BYTES} has a preemption point
 * before each page of the region it touches, as a GPU engine's copy has; a larger one has one
 * before each 2M span of the region ({@link BulkAccess}).
 *
 * <p>{@code rdma_read} brings the bytes into the caller's memory at {@code into}: in RDMA that
 * is the NIC writing a local registered buffer; the model stores them as the caller's own CPU
 * store ({@link Task#write}), step by step behind the NIC's reads, with their secret labels. So
 * the local buffer needs no registration of its own, and its writes are the caller's.
 *
 * <p>Errors. A work request that fails completes with an error status, not an errno: a range
 * outside the region or an unknown region is a remote access error ({@code
 * IB_WC_REM_ACCESS_ERR}), a local buffer that cannot be written a local protection error
 * ({@code IB_WC_LOC_PROT_ERR}). The statement reports every failed completion as -EIO, as the
 * kernel's own RDMA users turn one into an errno (ksmbd's {@code read_write_done},
 * fs/smb/server/transport_rdma.c). The bytes before the failure stay done.
 */
final class NicDma {

    private NicDma() {
    }

    /** RDMA READ of {@code size} bytes at {@code offset} of {@code mr} into the caller's {@code into}. */
    static int read(IbMr mr, long offset, long size, Task caller, long into) {
        if (!inRange(mr, offset, size)) {
            return Errno.EIO.neg();
        }
        PhysicalMemory memory = mr.file().device().kernel().physicalMemory();
        Simulation sim = mr.file().device().sim();
        String label = mr.file().device().name() + " rdma_read " + mr.describe();
        String through = "mr " + mr.handle() + " offset";
        for (long done = 0; done < size; ) {
            int step = (int) stepBytes(mr, offset + done, size - done);
            sim.preemptionPoint(label);
            byte[] data = new byte[step];
            int[] labels = null;
            for (int at = 0; at < step; ) {
                long pos = mr.firstPageOffset() + offset + done + at;
                int chunk = (int) Math.min(step - at, PageFrame.PAGE_SIZE - (pos & (PageFrame.PAGE_SIZE - 1)));
                PhysicalMemory.FrameRef ref = translate(mr, (int) (pos >>> PageFrame.PAGE_SHIFT));
                if (ref == null) {
                    return Errno.EIO.neg();
                }
                int inPage = (int) (pos & (PageFrame.PAGE_SIZE - 1));
                memory.read(mr.owner(), MemoryAccess.Via.NIC, ref, inPage, data, at, chunk,
                        new Through(through, offset + done + at), false);
                labels = withLabels(labels, memory.labels(ref.frame(), inPage, chunk), at, step);
                at += chunk;
            }
            if (caller.write(into + done, data, labels) < 0) {
                return Errno.EIO.neg();
            }
            done += step;
        }
        return 0;
    }

    /** RDMA WRITE of {@code data} (with its secret labels, or null) at {@code offset} of {@code mr}. */
    static int write(IbMr mr, long offset, byte[] data, int[] labels) {
        if (!inRange(mr, offset, data.length)) {
            return Errno.EIO.neg();
        }
        PhysicalMemory memory = mr.file().device().kernel().physicalMemory();
        Simulation sim = mr.file().device().sim();
        String label = mr.file().device().name() + " rdma_write " + mr.describe();
        String through = "mr " + mr.handle() + " offset";
        long stepEnd = 0;
        for (int done = 0; done < data.length; ) {
            long pos = mr.firstPageOffset() + offset + done;
            int inPage = (int) (pos & (PageFrame.PAGE_SIZE - 1));
            int chunk = Math.min(data.length - done, PageFrame.PAGE_SIZE - inPage);
            if (done >= stepEnd) {
                stepEnd = done + stepBytes(mr, offset + done, data.length - done);
                sim.preemptionPoint(label);
            }
            PhysicalMemory.FrameRef ref = translate(mr, (int) (pos >>> PageFrame.PAGE_SHIFT));
            if (ref == null) {
                return Errno.EIO.neg();
            }
            int[] chunkLabels = labels == null ? null : java.util.Arrays.copyOfRange(labels, done, done + chunk);
            memory.write(mr.owner(), MemoryAccess.Via.NIC, ref, inPage, data, done, chunk, chunkLabels,
                    new Through(through, offset + done), false);
            done += chunk;
        }
        return 0;
    }

    /**
     * The frame the NIC reaches for page {@code index} of {@code mr}: through its translation,
     * after a page fault that maps it again if an invalidation zapped it (RMR-04: the region is
     * re-fetched transparently); {@code null} when the fault fails (the work request fails). The
     * translation may be zapped again while the fault handler drops the reservation lock, so
     * the NIC faults until it finds an entry.
     */
    private static PhysicalMemory.FrameRef translate(IbMr mr, int index) {
        PhysicalMemory.FrameRef ref = mr.dmaPage(index);
        while (ref == null) {
            if (!mr.overDmabuf()) {
                return null;
            }
            mr.file().device().sim().costs().count(Cost.DEVICE_FAULT); // the NIC's page fault event
            if (mr.pageFault() < 0) {
                return null;
            }
            ref = mr.dmaPage(index);
        }
        return ref;
    }

    /** Whether {@code [offset, offset + size)} lies inside the region (unsigned, without wrapping). */
    private static boolean inRange(IbMr mr, long offset, long size) {
        return Long.compareUnsigned(offset, mr.lengthBytes()) <= 0
                && Long.compareUnsigned(size, mr.lengthBytes() - offset) <= 0;
    }

    /**
     * Bytes of the access from region offset {@code offset} that one step covers: to the end of
     * the page, or of the 2M span for an access larger than {@link BulkAccess#PAGEWISE_MAX_BYTES}
     * (spans counted in the region's own page layout), at most {@code left}.
     */
    private static long stepBytes(IbMr mr, long offset, long left) {
        long pos = mr.firstPageOffset() + offset;
        long end = BulkAccess.bySpan(left) ? PageTable.pmdAddrEnd(pos, pos + left)
                : Math.min(pos + left, (pos | (PageFrame.PAGE_SIZE - 1)) + 1);
        return end - pos;
    }

    /** {@code all} with {@code chunk}'s labels copied in at {@code at}; created when first needed. */
    private static int[] withLabels(int[] all, int[] chunk, int at, int length) {
        if (chunk == null) {
            return all;
        }
        int[] out = all == null ? new int[length] : all;
        System.arraycopy(chunk, 0, out, at, chunk.length);
        return out;
    }
}
