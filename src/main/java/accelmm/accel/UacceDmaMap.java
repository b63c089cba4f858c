package accelmm.accel;

import accelmm.mm.Errno;
import accelmm.mm.Gup;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;

/**
 * One {@code dma_map} range of a queue on a device without SVA: the pages pinned for it and the
 * 1:1 IOVA mapping over them (IOVA = the process's virtual address when it was mapped), as a
 * VFIO type1 {@code vfio_dma} or the 2018 WarpDrive RFC's mapping holds them. The device reaches
 * the frames of the pin, not the process's page tables: what the process maps there later (a
 * COW copy after fork, a new mapping after munmap) the device does not see.
 */
final class UacceDmaMap {

    private final long iova;
    private final long lengthBytes;
    private final PageFrame[] pages;
    private final PhysicalMemory.FrameRef[] refs;
    private final CostCounters costs;
    private boolean unpinned;

    /** A mapping of {@code pages} (pinned by the caller), the first at the page of {@code iova}. */
    UacceDmaMap(long iova, long lengthBytes, PageFrame[] pages, CostCounters costs) {
        this.costs = costs;
        this.iova = iova;
        this.lengthBytes = lengthBytes;
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
     * Pins the pages of {@code [addr, addr + size)} of {@code mm} ({@code pin_user_pages},
     * FOLL_WRITE when the device writes them, FOLL_LONGTERM when the pin outlives a system call)
     * and maps them 1:1. A page that cannot be pinned unpins what was pinned: the errno of GUP,
     * or -EFAULT when it stopped short.
     */
    static Pinned pin(MmStruct mm, long addr, long size, boolean write, boolean longterm) {
        long first = addr & ~(long) (PageFrame.PAGE_SIZE - 1);
        int pageCount = (int) ((addr + size - first + PageFrame.PAGE_SIZE - 1) >>> PageFrame.PAGE_SHIFT);
        PageFrame[] pages = new PageFrame[pageCount];
        long ret = mm.kernel().gup().pinUserPagesUnlocked(mm, addr, pageCount, write, longterm, pages);
        if (ret != pageCount) {
            if (ret > 0) {
                Gup.unpinUserPages(pages, (int) ret);
            }
            return new Pinned(null, ret < 0 ? (int) ret : Errno.EFAULT.neg());
        }
        mm.kernel().sim().costs().count(Cost.DEVICE_PTE_WRITE, pageCount); // iommu_map: one IOMMU PTE a page
        return new Pinned(new UacceDmaMap(addr, size, pages, mm.kernel().sim().costs()), 0);
    }

    long iova() {
        return iova;
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
