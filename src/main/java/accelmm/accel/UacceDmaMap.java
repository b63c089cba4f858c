package accelmm.accel;

import accelmm.mm.Errno;
import accelmm.mm.Gup;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code dma_map} range of a queue on a device without SVA: the pages pinned for it and the
 * 1:1 IOVA mapping over them (IOVA = the process's virtual address when it was mapped), as a
 * VFIO type1 {@code vfio_dma} or the 2018 WarpDrive RFC's mapping holds them. The device reaches
 * the frames of the pin, not the process's page tables: what the process maps there later (a
 * COW copy after fork, a new mapping after munmap) the device does not see. The device's
 * accesses through it are made on behalf of the process whose address space the pages were
 * pinned in (the pin's, not the queue opener's: under kernel submission the submitter's).
 */
final class UacceDmaMap {

    private final long iova;
    private final long lengthBytes;
    private final Principal principal;
    private final PageFrame[] pages;
    private final PhysicalMemory.FrameRef[] refs;
    private final CostCounters costs;
    private boolean unpinned;
    /** The unpinned flag: the engine translates through the mapping while the queue's owner may drop it. */
    private final Shared shared;

    /**
     * A mapping of {@code pages} (pinned by the caller in an address space of {@code principal}),
     * the first at the page of {@code iova}.
     */
    UacceDmaMap(long iova, long lengthBytes, Principal principal, PageFrame[] pages, CostCounters costs,
            Shared shared) {
        this.costs = costs;
        this.shared = shared;
        this.iova = iova;
        this.lengthBytes = lengthBytes;
        this.principal = principal;
        this.pages = pages;
        this.refs = new PhysicalMemory.FrameRef[pages.length];
        for (int i = 0; i < pages.length; i++) {
            refs[i] = PhysicalMemory.FrameRef.of(pages[i]);
        }
    }

    /** What {@link #pin} made: the mapping, or the errno and no mapping. */
    record Pinned(UacceDmaMap map, int errno) {
    }

    /**
     * Whether {@code [addr, addr + size)} is a non-empty range of the user address space: one
     * that wraps or ends past it is refused, as {@code vfio_dma_do_map} refuses a range whose
     * end wraps (drivers/vfio/vfio_iommu_type1.c).
     */
    static boolean inAddressSpace(long addr, long size) {
        return size > 0 && addr >= 0 && addr < MmStruct.TASK_SIZE && size <= MmStruct.TASK_SIZE - addr;
    }

    /** {@link #pin} taking {@code mmap_lock} for reading around it ({@code pin_user_pages_unlocked}). */
    static Pinned pinUnlocked(MmStruct mm, long addr, long size, boolean write, boolean longterm) {
        mm.mmapLock().downRead();
        try {
            return pin(mm, addr, size, write, longterm);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /**
     * Pins the pages of {@code [addr, addr + size)} of {@code mm} ({@code pin_user_pages},
     * FOLL_WRITE when the device writes them, FOLL_LONGTERM when the pin outlives a system call)
     * and maps them 1:1; the device's accesses through the mapping are made on behalf of the
     * process whose address space it is. The caller holds {@code mmap_lock} and has checked
     * the range ({@link #inAddressSpace}). The pages are pinned one at a time and the first
     * that cannot be stops it, as GUP stops at the first address without a VMA: what was
     * pinned is unpinned and the errno is GUP's (-EFAULT for a hole), so a range far larger
     * than what is mapped costs only the pages before its first hole.
     */
    static Pinned pin(MmStruct mm, long addr, long size, boolean write, boolean longterm) {
        if (!inAddressSpace(addr, size)) {
            throw new IllegalArgumentException("pin of a range outside the address space: 0x" + Long.toHexString(addr)
                    + " + " + size);
        }
        long first = addr & ~(long) (PageFrame.PAGE_SIZE - 1);
        long end = addr + size;
        List<PageFrame> pinned = new ArrayList<>();
        PageFrame[] one = new PageFrame[1];
        for (long page = first; page < end; page += PageFrame.PAGE_SIZE) {
            long ret = mm.kernel().gup().pinUserPages(mm, page, 1, write, longterm, one);
            if (ret != 1) {
                Gup.unpinUserPages(pinned.toArray(PageFrame[]::new), pinned.size());
                return new Pinned(null, ret < 0 ? (int) ret : Errno.EFAULT.neg());
            }
            pinned.add(one[0]);
        }
        mm.kernel().sim().costs().count(Cost.DEVICE_PTE_WRITE, pinned.size()); // iommu_map: one IOMMU PTE a page
        return new Pinned(new UacceDmaMap(addr, size, mm.owner(), pinned.toArray(PageFrame[]::new),
                mm.kernel().sim().costs(), mm.kernel().sim().shared("uacce dma map")), 0);
    }

    /** On whose behalf the device accesses these pages: the process they were pinned in. */
    Principal principal() {
        return principal;
    }

    /** Adds to {@code graph} that {@code queue} holds this mapping's pinned frames at their IOVAs. */
    void addTo(accelmm.sim.ObjectGraph graph, Object queue) {
        shared.read();
        for (int i = 0; i < refs.length; i++) {
            if (refs[i] != null) {
                refs[i].addTo(graph, queue, "dma map", iova + ((long) i << PageFrame.PAGE_SHIFT));
            }
        }
    }

    long iova() {
        return iova;
    }

    /** {@code dma map 0x10000000 -> pfn 1..4}: the IOVA and the frames pinned behind it. */
    String describe() {
        shared.read();
        return "dma map 0x" + Long.toHexString(iova) + " -> " + PhysicalMemory.FrameRef.runs(Arrays.asList(refs));
    }

    long lengthBytes() {
        return lengthBytes;
    }

    /** Whether {@code [start, start + length)} overlaps this mapping ({@code vfio_find_dma}). */
    boolean overlaps(long start, long length) {
        return start < iova + lengthBytes && iova < start + length;
    }

    /** The frame the IOMMU translates {@code address} to, or {@code null} outside the mapping. */
    PhysicalMemory.FrameRef translate(long address) {
        shared.read();
        if (unpinned || address < iova || address >= iova + lengthBytes) {
            return null;
        }
        long first = iova & ~(long) (PageFrame.PAGE_SIZE - 1);
        return refs[(int) ((address - first) >>> PageFrame.PAGE_SHIFT)];
    }

    /** Drops the IOMMU mapping and unpins the pages ({@code unpin_user_pages}), once. */
    void unmapAndUnpin() {
        if (unpinned) {
            throw new IllegalStateException("dma mapping at 0x" + Long.toHexString(iova) + " unpinned twice");
        }
        shared.write();
        unpinned = true;
        // iommu_unmap clears a PTE a page and flushes the IOTLB for the range before the pages go.
        costs.count(Cost.DEVICE_PTE_WRITE, pages.length);
        costs.count(Cost.TLB_INVALIDATION);
        Gup.unpinUserPages(pages, pages.length);
    }

    @Override
    public String toString() {
        return "iova 0x" + Long.toHexString(iova) + " (" + lengthBytes + " bytes)";
    }
}
