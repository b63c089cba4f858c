package accelmm.rdma;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaBufOps;
import accelmm.dmabuf.DmaDataDirection;
import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.dmabuf.SgTable;
import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import java.util.ArrayList;
import java.util.List;

/**
 * A dynamic exporter for the rdma tests: a buffer of system frames that {@link #move} moves to
 * new frames the way a TTM eviction does (under the reservation lock: invalidate the importers'
 * mappings, publish a KERNEL fence, copy, free the old frames, signal), unless it is pinned
 * ({@code -EBUSY}). It records the calls the core makes.
 */
final class MovingExporter implements DmaBufOps {

    final List<String> calls = new ArrayList<>();
    final DmaResv resv;
    private final Kernel kernel;
    private PageFrame[] frames;
    private int pins;
    private DmaBuf buf;
    boolean released;

    MovingExporter(Kernel kernel, int pages) {
        this.kernel = kernel;
        this.resv = new DmaResv(kernel, "test export");
        this.frames = new PageFrame[pages];
        for (int i = 0; i < pages; i++) {
            frames[i] = kernel.physicalMemory().allocPage();
        }
    }

    /** Exports the buffer; the caller owns its one reference. */
    DmaBuf export() {
        buf = DmaBuf.export(kernel, this, resv, (long) frames.length * PageFrame.PAGE_SIZE, true);
        return buf;
    }

    PageFrame frame(int index) {
        return frames[index];
    }

    /** Moves the buffer to new frames (see the class comment): 0, or -EBUSY while pinned. */
    int move() {
        resv.lock();
        try {
            if (pins > 0) {
                return Errno.EBUSY.neg();
            }
            buf.invalidateMappings();
            DmaFence fence = new DmaFence(kernel.sim(), "test move");
            resv.addFence(fence, DmaResv.Usage.KERNEL);
            PhysicalMemory memory = kernel.physicalMemory();
            PageFrame[] fresh = new PageFrame[frames.length];
            byte[] data = new byte[PageFrame.PAGE_SIZE];
            for (int i = 0; i < frames.length; i++) {
                fresh[i] = memory.allocPage();
                PhysicalMemory.FrameRef from = PhysicalMemory.FrameRef.of(frames[i]);
                memory.read(Principal.KERNEL, MemoryAccess.Via.KERNEL, from, 0, data, 0, data.length, "move");
                memory.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(fresh[i]), 0, data,
                        0, data.length, memory.labels(from.frame(), 0, data.length), "move");
                frames[i].put();
            }
            frames = fresh;
            fence.signal();
            calls.add("move");
            return 0;
        } finally {
            resv.unlock();
        }
    }

    @Override
    public int attach(DmaBuf b, DmaBufAttachment attach) {
        calls.add("attach " + attach.dev().name() + (DmaBuf.attachRevocable(attach) ? " revocable" : ""));
        return 0;
    }

    @Override
    public void detach(DmaBuf b, DmaBufAttachment attach) {
        calls.add("detach");
    }

    @Override
    public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
        resv.assertHeld();
        calls.add("map " + direction);
        return DmaBuf.Mapped.of(SgTable.of(frames, false));
    }

    @Override
    public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        resv.assertHeld();
        calls.add("unmap");
    }

    @Override
    public boolean dynamic() {
        return true;
    }

    @Override
    public int pin(DmaBufAttachment attach) {
        calls.add("pin");
        pins++;
        return 0;
    }

    @Override
    public void unpin(DmaBufAttachment attach) {
        calls.add("unpin");
        pins--;
    }

    @Override
    public void release(DmaBuf b) {
        calls.add("release");
        released = true;
        for (PageFrame f : frames) {
            f.put();
        }
    }

    @Override
    public String exporterName() {
        return "test exporter";
    }
}
