package accelmm.mm;

import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models {@code struct address_space} of a shmem file: its page cache ({@code i_pages}: a page
 * or, once reclaimed, a swap entry per index) and {@code i_mmap}, the VMAs that map the file,
 * through which the reverse map finds every PTE of a page cache page (see {@link Rmap}).
 *
 * <p>The page cache holds one reference on each of its pages. A page moves to a new frame when
 * migrated ({@code folio_migrate_mapping}) and leaves for a swap slot when reclaimed ({@code
 * shmem_writeout}); the next fault reads it back ({@code shmem_swapin_folio}). {@code i_mmap}
 * is a list in link order, so walks are deterministic. {@code i_mmap_rwsem} guards it as the
 * kernel's does against the two users that matter here: a reverse-map walk holds it for reading
 * ({@code i_mmap_lock_read}), {@code mm_take_all_locks} for writing ({@link MmAllLocks}).
 *
 * <p>Shared state: the page cache by page index ({@code pageCache}: its pages and swap slots),
 * and {@code i_mmap} ({@code iMmapShared}).
 */
public final class AddressSpace {

    /** The lockdep class of every address space's {@code i_mmap_rwsem}. */
    static final LockClass I_MMAP_RWSEM = new LockClass("mapping->i_mmap_rwsem");

    private final Kernel kernel;
    private final TreeMap<Long, PageFrame> pages = new TreeMap<>();
    private final TreeMap<Long, SwapSlot> swapped = new TreeMap<>();
    private final List<Vma> iMmap = new ArrayList<>(2);
    private final RwSemaphore iMmapRwsem;
    private final Shared pageCache;
    private final Shared iMmapShared;

    AddressSpace(Kernel kernel, String name) {
        this.kernel = kernel;
        this.iMmapRwsem = new RwSemaphore(kernel.sim(), "i_mmap_rwsem of " + name, I_MMAP_RWSEM);
        this.pageCache = kernel.sim().shared("page cache");
        this.iMmapShared = kernel.sim().shared("i_mmap");
    }

    /** {@code mapping->i_mmap_rwsem}. */
    RwSemaphore iMmapRwsem() {
        return iMmapRwsem;
    }

    /**
     * {@code shmem_get_folio}: the page at {@code index} with a new reference for the caller —
     * the cached one, one read back from swap, or a new zeroed one the cache keeps from now on.
     */
    PageFrame getPage(long index) {
        pageCache.write(index, index + 1);
        PageFrame page = pages.get(index);
        if (page == null) {
            page = kernel.physicalMemory().allocPage();
            SwapSlot slot = swapped.remove(index);
            if (slot != null) {
                page.restore(slot.data(), slot.labels());
                slot.free();
            }
            page.setPageCache(this, index);
            pages.put(index, page);
        }
        page.get();
        return page;
    }

    /** {@code folio_migrate_mapping}: {@code fresh} takes {@code old}'s place and cache reference. */
    void replacePage(PageFrame old, PageFrame fresh) {
        long index = old.index();
        pageCache.write(index, index + 1);
        if (pages.get(index) != old) {
            throw new IllegalStateException(old + " is not in the page cache at " + index);
        }
        fresh.setPageCache(this, index);
        fresh.get();
        pages.put(index, fresh);
        old.put();
    }

    /** {@code shmem_writeout} then {@code __remove_mapping}: the cache keeps the slot instead of the page. */
    void swapOutPage(PageFrame old, SwapSlot slot) {
        long index = old.index();
        pageCache.write(index, index + 1);
        if (pages.remove(index) != old) {
            throw new IllegalStateException(old + " is not in the page cache at " + index);
        }
        swapped.put(index, slot);
        old.put();
    }

    /** {@code truncate_inode_pages} at the final release: drops every page and swap slot. */
    void truncate() {
        pageCache.write();
        for (Map.Entry<Long, PageFrame> e : pages.entrySet()) {
            e.getValue().put();
        }
        pages.clear();
        for (SwapSlot slot : swapped.values()) {
            slot.free();
        }
        swapped.clear();
    }

    /** {@code i_mmap}: the VMAs mapping this file, in link order (not a copy: callers only read). */
    List<Vma> iMmap() {
        iMmapShared.read();
        return iMmap;
    }

    /** {@code vma_interval_tree_insert}. */
    void link(Vma vma) {
        iMmapShared.write();
        if (iMmap.contains(vma)) {
            throw new IllegalStateException(vma + " linked twice to i_mmap");
        }
        iMmap.add(vma);
    }

    /** {@code vma_interval_tree_remove}. */
    void unlink(Vma vma) {
        iMmapShared.write();
        if (!iMmap.remove(vma)) {
            throw new IllegalStateException(vma + " is not in i_mmap");
        }
    }
}
