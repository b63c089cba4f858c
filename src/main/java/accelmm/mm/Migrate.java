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

    /**
     * Migrates the pages {@code task} maps in {@code [start, start+length)}; returns how many
     * moved. The kernel reaches the address space with {@link Task#getTaskMm} and holds it for the
     * walk, as DAMON's migration actions do ({@code damon_get_mm}); a process that has exited has
     * no address space left and nothing moves (0), where the {@code move_pages} and
     * {@code process_madvise} system calls would say -ESRCH.
     */
    public int migratePages(Task task, long start, long length) {
        return withTaskMm(task, mm -> migratePages(mm, start, length));
    }

    /** Reclaims the pages {@code task} maps in the range, as {@link #migratePages(Task, long, long)}. */
    public int reclaimPages(Task task, long start, long length) {
        return withTaskMm(task, mm -> reclaimPages(mm, start, length));
    }

    /**
     * Migrates the pages of {@code [start, start+length)} of {@code mm}; returns how many moved.
     * The caller holds a user reference on {@code mm}.
     */
    public int migratePages(MmStruct mm, long start, long length) {
        return forEachMovable(mm, start, length, MmuNotifierEvent.MIGRATE, true);
    }

    /** Reclaims (swaps out) the pages of the range; returns how many went. The caller holds {@code mm}. */
    public int reclaimPages(MmStruct mm, long start, long length) {
        return forEachMovable(mm, start, length, MmuNotifierEvent.CLEAR, false);
    }

    private static int withTaskMm(Task task, java.util.function.ToIntFunction<MmStruct> walk) {
        MmStruct mm = task.getTaskMm();
        if (mm == null) {
            return 0;
        }
        try {
            return walk.applyAsInt(mm);
        } finally {
            mm.mmput();
        }
    }

    private int forEachMovable(MmStruct mm, long start, long length, MmuNotifierEvent event, boolean migrate) {
        if (mm.users() <= 0) {
            throw new IllegalStateException("page walk of " + mm + " without a user reference");
        }
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
