package accelmm.mm;

/**
 * Page migration and reclaim of anonymous pages, as kernel threads trigger them
 * (mm/migrate.c, mm/vmscan.c): the page's contents move to another frame (migration) or to a
 * swap slot (reclaim), and the old frame is freed. Either way the PTE change is bracketed by an
 * invalidation (MIGRATE, or CLEAR for reclaim), so device mirrors must drop the old frame.
 *
 * <p>Pinned pages are skipped ({@code folio_maybe_dma_pinned}: migration would fail on the
 * extra references and reclaim must not take them), as are pages with references beyond their
 * one mapping. Limitation: without reverse mapping the model only moves pages mapped once, so a
 * page COW-shared between parent and child stays where it is.
 */
public final class Migrate {

    private final Kernel kernel;

    Migrate(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Migrates the anonymous pages of {@code [start, start+length)}; returns how many moved. */
    public int migratePages(MmStruct mm, long start, long length) {
        return forEachMovable(mm, start, length, MmuNotifierEvent.MIGRATE, true);
    }

    /** Reclaims (swaps out) the anonymous pages of the range; returns how many went. */
    public int reclaimPages(MmStruct mm, long start, long length) {
        return forEachMovable(mm, start, length, MmuNotifierEvent.CLEAR, false);
    }

    private int forEachMovable(MmStruct mm, long start, long length, MmuNotifierEvent event, boolean migrate) {
        if (length <= 0) {
            return 0;
        }
        long end = start + Mmap.pageAlignUp(length);
        int moved = 0;
        mm.mmapLock().downRead();
        try {
            for (long address : mm.pageTable().addressesIn(MemoryOps.pageAlign(start), end)) {
                if (!movable(mm.pageTable().lookup(address))) {
                    continue;
                }
                mm.invalidateRangeStart(new MmuNotifierRange(mm, address, address + PageFrame.PAGE_SIZE, event));
                Pte pte = mm.pageTable().lookup(address);
                // The notifier callbacks may have slept; the page may have been COW-copied since.
                if (movable(pte)) {
                    if (migrate) {
                        moveToNewFrame(mm, address, pte);
                    } else {
                        swapOut(mm, address, pte);
                    }
                    moved++;
                }
                mm.invalidateRangeEnd();
            }
        } finally {
            mm.mmapLock().upRead();
        }
        return moved;
    }

    private static boolean movable(Pte pte) {
        return pte != null && pte.isPresent() && !pte.special() && pte.frame().isAnon()
                && pte.frame().mapCount() == 1 && pte.frame().refCount() == 1;
    }

    private void moveToNewFrame(MmStruct mm, long address, Pte pte) {
        PageFrame old = pte.frame();
        PageFrame copy = kernel.physicalMemory().allocPage();
        copy.copyFrom(old);
        copy.setAnon(old.isAnonExclusive());
        mm.pageTable().set(address, Pte.present(copy, pte.writable()));
        copy.addMapping();
        copy.put();
        old.removeMapping();
    }

    private void swapOut(MmStruct mm, long address, Pte pte) {
        PageFrame old = pte.frame();
        SwapSlot slot = kernel.newSwapSlot(old.dataSnapshot(), old.labelsSnapshot());
        mm.pageTable().set(address, Pte.swapEntry(slot));
        old.removeMapping();
    }
}
