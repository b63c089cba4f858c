package accelmm.mm;

import accelmm.sim.RwSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Page migration and reclaim as the kernel's own activity does them (mm/migrate.c,
 * mm/vmscan.c): a page's contents move to another frame (migration) or to a swap slot
 * (reclaim), every PTE that maps it follows, and the old frame is freed.
 *
 * <p>Design note. The caller names a range of one process; each page mapped there is moved
 * with all its mappings, found through the reverse map ({@link Rmap}): a page COW-shared between
 * parent and child after fork, or a shmem page mapped in two processes, is moved for both. Per
 * page, in the order of the walk, under the page's reverse-map lock held for reading (its
 * anon_vma family's or its file's, as {@code rmap_walk} holds it; {@code mm_take_all_locks} of
 * a first notifier registration in any of the mms waits for it, see {@link MmAllLocks}):
 *
 * <ol>
 *   <li>{@code invalidate_range_start} over the page, in the mm of each mapping (CLEAR, as
 *       {@code try_to_migrate_one} and {@code try_to_unmap_one} do; MIGRATE with an owner is
 *       {@code migrate_vma}'s, for device memory); the callbacks may sleep;</li>
 *   <li>then, as one step, a second walk: if the page is still movable and mapped exactly where
 *       it was (a callback may have slept while a fork added a mapping, a COW fault dropped one or
 *       a pin came), migration copies it to a new frame and points every PTE there
 *       ({@code remove_migration_ptes}); reclaim points every anonymous PTE at one swap slot
 *       ({@code try_to_unmap_one}: the same swap entry in every mapping) or clears every PTE of a
 *       shmem page, whose page cache keeps the slot; otherwise the page stays where it is, as a
 *       migration whose reference count did not match fails;</li>
 *   <li>{@code invalidate_range_end} for each.</li>
 * </ol>
 *
 * The kernel unmaps each mapping under its own invalidation and installs migration entries,
 * faults on which wait; the model makes the switch of all PTEs one step instead, which a fault
 * cannot observe half done.
 *
 * <p>Not moved: pinned pages ({@code folio_maybe_dma_pinned}: migration would fail on the
 * extra references and reclaim must not take them), pages with any other reference beyond
 * their mappings and page cache, and pages that are neither anonymous nor shmem (device memory,
 * the zero page, drivers' pages behind special PTEs).
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
    int migratePages(MmStruct mm, long start, long length) {
        return forEachPage(mm, start, length, true);
    }

    /** Reclaims (swaps out) the pages of the range; returns how many went. The caller holds {@code mm}. */
    int reclaimPages(MmStruct mm, long start, long length) {
        return forEachPage(mm, start, length, false);
    }

    private static int withTaskMm(Task task, ToIntFunction<MmStruct> walk) {
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

    private int forEachPage(MmStruct mm, long start, long length, boolean migrate) {
        if (mm.users() <= 0) {
            throw new IllegalStateException("page walk of " + mm + " without a user reference");
        }
        if (length <= 0) {
            return 0;
        }
        long end = start + Mmap.pageAlignUp(length);
        // Migration moves a page mapped at two addresses of the range once: its second address
        // already maps the copy this walk made (the kernel isolates each page once). A copy is
        // told by its frame and generation, since a copy freed while a later page's callbacks
        // sleep can come back as another page of the range. Reclaim needs no such list: a page
        // it swapped out is mapped nowhere any more.
        List<PhysicalMemory.FrameRef> made = new ArrayList<>();
        int moved = 0;
        mm.mmapLock().downRead();
        try {
            for (long address : mm.pageTable().addressesIn(MemoryOps.pageAlign(start), end)) {
                Pte pte = mm.pageTable().lookup(address);
                if (pte != null && pte.isPresent() && !pte.special() && movable(pte.frame())
                        && !made.contains(new PhysicalMemory.FrameRef(pte.frame(), pte.generation()))) {
                    PageFrame movedTo = moveFolio(pte.frame(), migrate);
                    if (movedTo != null) {
                        moved++;
                        if (migrate) {
                            made.add(PhysicalMemory.FrameRef.of(movedTo));
                        }
                    }
                }
            }
        } finally {
            mm.mmapLock().upRead();
        }
        return moved;
    }

    /**
     * Whether the page can be moved: anonymous or in a shmem page cache, not pinned, and
     * referenced by nothing but its mappings and its page cache ({@code folio_expected_refs}).
     */
    private static boolean movable(PageFrame frame) {
        if (frame.isFree() || (!frame.isAnon() && frame.mapping() == null) || frame.maybeDmaPinned()) {
            return false;
        }
        return frame.mapCount() > 0 && frame.refCount() == frame.mapCount() + (frame.isAnon() ? 0 : 1);
    }

    /**
     * Moves one page with all its mappings (see the class comment) under the reverse-map lock of
     * the page ({@link Rmap#lockOf}, held for reading from the first walk to the last
     * {@code invalidate_range_end}); returns the frame it moved to (the old one when it went to
     * swap), or null if it stayed. Taking the lock may sleep: a page freed or changed meanwhile
     * stays, as an isolation that failed.
     */
    private PageFrame moveFolio(PageFrame frame, boolean migrate) {
        long generation = frame.generation();
        RwSemaphore rmapLock = Rmap.lockOf(frame);
        rmapLock.downRead();
        try {
            if (frame.generation() != generation || !movable(frame) || Rmap.lockOf(frame) != rmapLock) {
                return null;
            }
            return moveFolioLocked(frame, generation, migrate);
        } finally {
            rmapLock.upRead();
        }
    }

    private PageFrame moveFolioLocked(PageFrame frame, long generation, boolean migrate) {
        List<Rmap.Mapping> mappings = Rmap.walk(frame);
        List<MmuNotifierRange> ranges = new ArrayList<>(mappings.size());
        for (Rmap.Mapping m : mappings) {
            MmuNotifierRange range = new MmuNotifierRange(m.mm(), m.address(), m.address() + PageFrame.PAGE_SIZE,
                    MmuNotifierEvent.CLEAR);
            ranges.add(range);
            m.mm().invalidateRangeStart(range);
        }
        // The callbacks may have slept: move only what is still exactly as the walk found it.
        PageFrame movedTo = null;
        if (frame.generation() == generation && movable(frame) && Rmap.walk(frame).equals(mappings)) {
            if (migrate) {
                movedTo = moveToNewFrame(frame, mappings);
            } else {
                if (frame.isAnon()) {
                    swapOutAnon(frame, mappings);
                } else {
                    swapOutShmem(frame, mappings);
                }
                movedTo = frame;
            }
            // try_to_migrate_one / try_to_unmap_one flush each mapping's old entry.
            for (Rmap.Mapping m : mappings) {
                m.mm().flushTlbRange(m.address(), m.address() + PageFrame.PAGE_SIZE);
            }
        }
        for (MmuNotifierRange range : ranges) {
            range.mm().invalidateRangeEnd(range);
        }
        return movedTo;
    }

    /** {@code migrate_folio} and {@code remove_migration_ptes}: a copy takes the page's place everywhere. */
    private PageFrame moveToNewFrame(PageFrame old, List<Rmap.Mapping> mappings) {
        PageFrame copy = kernel.physicalMemory().allocPage();
        copy.copyFrom(old);
        if (old.isAnon()) {
            copy.setAnon(old.anonVma(), old.index(), old.isAnonExclusive());
        } else {
            old.mapping().replacePage(old, copy);
        }
        for (Rmap.Mapping m : mappings) {
            PageTable pt = m.mm().pageTable();
            pt.set(m.address(), Pte.present(copy, pt.lookup(m.address()).writable()));
            copy.addMapping();
            old.removeMapping();
        }
        copy.put();
        return copy;
    }

    /** {@code add_to_swap} then {@code try_to_unmap}: one swap slot, duplicated for every PTE. */
    private void swapOutAnon(PageFrame old, List<Rmap.Mapping> mappings) {
        SwapSlot slot = kernel.newSwapSlot(old.dataSnapshot(), old.labelsSnapshot());
        for (int i = 0; i < mappings.size(); i++) {
            if (i > 0) {
                slot.duplicate();
            }
            mappings.get(i).mm().pageTable().set(mappings.get(i).address(), Pte.swapEntry(slot));
            old.removeMapping();
        }
    }

    /** {@code try_to_unmap} of a shmem page (its PTEs are cleared) and {@code shmem_writeout}. */
    private void swapOutShmem(PageFrame old, List<Rmap.Mapping> mappings) {
        SwapSlot slot = kernel.newSwapSlot(old.dataSnapshot(), old.labelsSnapshot());
        for (Rmap.Mapping m : mappings) {
            m.mm().pageTable().clear(m.address());
            old.removeMapping();
        }
        old.mapping().swapOutPage(old, slot);
    }
}
