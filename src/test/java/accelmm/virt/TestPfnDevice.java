package accelmm.virt;

import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryZone;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory.FrameRef;
import accelmm.mm.Principal;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Vma;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmOperations;
import java.util.ArrayList;
import java.util.List;

/**
 * A device whose buffer of one page is mapped VM_IO | VM_PFNMAP, as TTM maps a GEM object: the
 * fault handler inserts the PFN of the buffer's current frame with the buffer's memory type
 * ({@code vmf_insert_pfn_prot}), and {@link #move} does what an eviction does: zap every CPU
 * mapping ({@code unmap_mapping_range}), copy the page to a frame elsewhere, free the old one.
 */
final class TestPfnDevice implements FileOperations, VmOperations {

    static final MemoryZone VRAM = new MemoryZone("vram", true);

    private final Kernel kernel;
    private final PageCacheMode cacheMode;
    private final List<Vma> vmas = new ArrayList<>();
    PageFrame frame;
    int faults;

    /** A buffer in {@code zone} of type {@code cacheMode} (the frame's own type is set to it). */
    TestPfnDevice(Kernel kernel, MemoryZone zone, PageCacheMode cacheMode) {
        this.kernel = kernel;
        this.cacheMode = cacheMode;
        this.frame = allocate(zone);
    }

    private PageFrame allocate(MemoryZone zone) {
        PageFrame f = kernel.physicalMemory().allocPage(zone);
        f.setCacheMode(cacheMode, "test buffer");
        return f;
    }

    @Override
    public int mmap(File file, MmapSetup setup) {
        return setup.pfnMapping(this);
    }

    @Override
    public VmFaultResult fault(VmFault fault) {
        faults++;
        if (!vmas.contains(fault.vma())) {
            vmas.add(fault.vma());
        }
        fault.insertPfnProt(frame, cacheMode);
        return VmFaultResult.NOPAGE;
    }

    /** An eviction to {@code zone}: CPU mappings zapped, contents copied, the old frame freed. */
    void move(MemoryZone zone) {
        for (Vma vma : vmas) {
            kernel.memoryOps().unmapMappingRange(vma);
        }
        PageFrame old = frame;
        PageFrame moved = allocate(zone);
        Principal kernelSide = new Principal("kernel");
        byte[] data = kernel.physicalMemory().read(kernelSide, MemoryAccess.Via.KERNEL, FrameRef.of(old), 0,
                PageFrame.PAGE_SIZE, "move");
        kernel.physicalMemory().write(kernelSide, MemoryAccess.Via.KERNEL, FrameRef.of(moved), 0, data, 0,
                PageFrame.PAGE_SIZE, kernel.physicalMemory().labels(old, 0, PageFrame.PAGE_SIZE), "move");
        frame = moved;
        old.put();
    }

    @Override
    public void release(File file) {
        if (frame != null) {
            frame.put();
            frame = null;
        }
    }

    @Override
    public String name() {
        return "test pfn device";
    }
}
