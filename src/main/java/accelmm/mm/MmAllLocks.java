package accelmm.mm;

import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.RwSemaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mm_take_all_locks} and {@code mm_drop_all_locks} (mm/vma.c): every reverse-map lock an
 * mm's VMAs lead to, taken for writing, so that no reverse-map walker is at work in the mm —
 * which is what the first notifier registration on an mm needs ({@code __mmu_notifier_register}):
 * a walker that found the mm without notifiers and skipped its {@code invalidate_range_start}
 * must not come to the matching {@code _end} after they appeared.
 *
 * <p>In the kernel's order (mm/rmap.c's lock ordering: {@code mmap_lock} → {@code
 * i_mmap_rwsem} → {@code anon_vma->rwsem}): under the mm's {@code mmap_lock} held for writing,
 * the global {@code mm_all_locks_mutex} (the "taken already" marks live in the shared files
 * and anon_vma families, so one taker at a time), then the {@code
 * i_mmap_rwsem} of each file mapped, then the {@code rwsem} of each anon_vma family a VMA is
 * linked to — each lock once ({@code AS_MM_ALL_LOCKS} and the mark in the anon_vma root are the
 * kernel's "taken already"), under {@code mmap_lock} as nest lock. The kernel first marks every
 * VMA write-locked ({@code vma_start_write}) against per-VMA-lock faults; the model's faults run
 * under {@code mmap_lock}, which the caller holds for writing.
 */
final class MmAllLocks {

    /** The lockdep class of {@code mm_all_locks_mutex}. */
    static final LockClass MUTEX = new LockClass("mm_all_locks_mutex");

    private final Mutex mutex;
    private final List<RwSemaphore> taken;

    private MmAllLocks(Mutex mutex, List<RwSemaphore> taken) {
        this.mutex = mutex;
        this.taken = taken;
    }

    /** {@code mm_take_all_locks}; the caller holds {@code mm}'s {@code mmap_lock} for writing. */
    static MmAllLocks take(MmStruct mm) {
        mm.mmapLock().assertWriteHeld();
        Mutex mutex = mm.kernel().mmAllLocksMutex();
        mutex.lock();
        List<RwSemaphore> taken = new ArrayList<>();
        for (Vma vma : mm.vmas()) {
            AddressSpace mapping = vma.mapping();
            if (mapping != null) {
                lockOnce(mm, mapping.iMmapRwsem(), taken);
            }
        }
        for (Vma vma : mm.vmas()) {
            for (AnonVma anonVma : vma.anonVmaChain()) {
                lockOnce(mm, anonVma.lock(), taken);
            }
        }
        return new MmAllLocks(mutex, taken);
    }

    private static void lockOnce(MmStruct mm, RwSemaphore lock, List<RwSemaphore> taken) {
        if (!taken.contains(lock)) {
            lock.downWriteNestLock(mm.mmapLock());
            taken.add(lock);
        }
    }

    /** {@code mm_drop_all_locks}. */
    void drop() {
        for (int i = taken.size() - 1; i >= 0; i--) {
            taken.get(i).upWrite();
        }
        mutex.unlock();
    }
}
