package accelmm.dmabuf;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * An exporter for the core's tests: a buffer of system frames that never moves, dynamic (with
 * {@code pin}/{@code unpin}) or not, with a {@code ->mmap} (that refuses, -EINVAL) or without,
 * recording every call the core makes.
 */
final class TestExporter implements DmaBufOps {

    final List<String> calls = new ArrayList<>();
    private final boolean dynamic;
    private final PageFrame[] frames;
    int pinResult;
    int mapResult;
    /** The ops' {@code ->mmap}: records the call and refuses; {@code null} for none. */
    MmapOp mmapOp = (buf, setup) -> {
        calls.add("mmap");
        return Errno.EINVAL.neg();
    };

    /** The ops' answer to {@code DMA_BUF_INFO_MAP_INFO}; {@code null} for no op. */
    DmaBufMapInfo mapInfo;

    TestExporter(Kernel kernel, int pages, boolean dynamic) {
        this.dynamic = dynamic;
        this.frames = new PageFrame[pages];
        for (int i = 0; i < pages; i++) {
            frames[i] = kernel.physicalMemory().allocPage();
        }
    }

    @Override
    public int attach(DmaBuf buf, DmaBufAttachment attach) {
        calls.add("attach " + attach.dev().name());
        return 0;
    }

    @Override
    public void detach(DmaBuf buf, DmaBufAttachment attach) {
        calls.add("detach " + attach.dev().name());
    }

    @Override
    public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
        calls.add("map " + attach.dev().name() + " " + direction);
        return mapResult != 0 ? DmaBuf.Mapped.error(mapResult) : DmaBuf.Mapped.of(SgTable.of(frames, false));
    }

    @Override
    public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        calls.add("unmap " + attach.dev().name() + " " + direction);
    }

    @Override
    public DmaBufMapInfo mapInfo() {
        return mapInfo;
    }

    @Override
    public boolean dynamic() {
        return dynamic;
    }

    @Override
    public int pin(DmaBufAttachment attach) {
        calls.add("pin " + attach.dev().name());
        return pinResult;
    }

    @Override
    public void unpin(DmaBufAttachment attach) {
        calls.add("unpin " + attach.dev().name());
    }

    @Override
    public MmapOp mmapOp() {
        return mmapOp;
    }

    @Override
    public void release(DmaBuf buf) {
        calls.add("release");
    }

    @Override
    public String exporterName() {
        return "test exporter";
    }
}
