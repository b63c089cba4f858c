/**
 * Host memory management: the part of Linux's mm and file layers that GPU and accelerator
 * drivers lean on.
 *
 * <p>What is modelled: page frames with reference, map and pin counts and an allocation
 * generation ({@link accelmm.mm.PageFrame}, {@link accelmm.mm.PhysicalMemory}); processes
 * ({@link accelmm.mm.Task}) with address spaces ({@link accelmm.mm.MmStruct}) made of VMAs and
 * page tables; faults with copy-on-write and the zero page ({@link accelmm.mm.MemoryOps}); mmap,
 * munmap, mprotect, madvise ({@link accelmm.mm.Mmap}), which split VMAs and merge them again
 * when adjacent ones could be one ({@code VmaMerge}); fork under the modern or legacy rule for
 * pinned pages ({@link accelmm.mm.ForkDesign}), exec and exit; open files and fd tables with
 * close-on-exec; interval mmu notifiers with the kernel's sequence protocol ({@link
 * accelmm.mm.MmuIntervalNotifier}) and whole-mm ones with secondary-TLB flushes or range
 * callbacks ({@link accelmm.mm.MmuNotifier}); {@code hmm_range_fault} ({@link accelmm.mm.Hmm}),
 * {@code pin_user_pages}, {@code get_user_pages} (FOLL_GET) and {@code fixup_user_fault} ({@link
 * accelmm.mm.Gup}), {@code follow_pfnmap_start} ({@link accelmm.mm.FollowPfnmap}); the reverse map (anon_vmas and the i_mmap
 * of shmem files, {@code Rmap}), through which migration and reclaim ({@link accelmm.mm.Migrate})
 * move anonymous and shmem pages with every PTE that maps them; {@code access_remote_vm}
 * ({@link accelmm.mm.RemoteVm}), a debugger's access to another process's memory with FOLL_FORCE
 * (a forced write breaks COW in a private mapping; a PFN map is reached through its owner's
 * {@link accelmm.mm.VmOperations#access} hook); each task's {@code real_parent}, which init takes
 * over when the parent exits. Every CPU load and store is reported to {@link
 * accelmm.mm.MemoryAccessObserver}s, as is every access of a debugger, on its behalf.
 *
 * <p>Abstracted away: huge pages, TLBs (a PTE change is visible at once), migration entries (a
 * page's PTEs switch to its new frame in one step), file systems other than shmem, signals (a
 * failed user access returns -EFAULT instead of raising SIGSEGV), NUMA, memory cgroups, swap
 * devices (a swap slot simply holds the bytes), the swap cache (each process that faults a
 * swapped-out anonymous page back gets its own copy of the bytes), and the states between two
 * pages of one 2M span of a CPU access larger than 256K, which takes one step per span ({@link
 * accelmm.mm.BulkAccess}; a smaller access has a preemption point before every page).
 *
 * <p>Locking: {@code mmap_lock} is a {@link accelmm.sim.RwSemaphore}; VMAs and page tables change
 * under it held for writing, faults and walks hold it for reading. Interval notifier callbacks
 * run with the caller's {@code mmap_lock} held, as they do in Linux, and may sleep. Migration
 * and reclaim hold a page's reverse-map lock for reading (the {@code rwsem} of its anon_vma
 * family, or its shmem file's {@code i_mmap_rwsem}) while they invalidate and move it in every
 * mm that maps it; the first notifier registration on an mm takes all those locks of the mm for
 * writing under its {@code mmap_lock} ({@code mm_take_all_locks}), so that no such walk is
 * between an {@code invalidate_range_start} it skipped and its {@code _end}; so does the
 * registration of a whole-mm notifier with range callbacks, which also waits for invalidations
 * the model runs without those locks ({@code unmap_mapping_range}). Order, as in
 * mm/rmap.c: {@code mmap_lock} → {@code mm_all_locks_mutex} → {@code i_mmap_rwsem} → {@code
 * anon_vma->rwsem}.
 *
 * <p>Shared state, for the explorer's reduction ({@link accelmm.sim.Shared}): each object reports
 * its own reads and writes — page frames as entries of one piece by pfn, the page allocator as
 * one piece (an allocation and a free both write it: their order decides which frame is reused),
 * each mm's page table by virtual page number and its VMA tree, with the VMAs' own fields, by
 * address, each mm's counts and notifier lists, each interval subscription and the
 * subscriptions' sequence, each page cache by page index, i_mmap, anon_vma family, file, fd
 * table (by descriptor), process and swap slot. What one thread alone touches reports nothing: an
 * {@link accelmm.mm.HmmRange}, a {@code VmFault}, an {@code MmapSetup}, a thread's task-work queue.
 *
 * <p>Kernel sources followed: mm/memory.c, mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/madvise.c,
 * mm/gup.c, mm/hmm.c, mm/mmu_notifier.c, mm/rmap.c, mm/migrate.c, mm/vmscan.c, mm/shmem.c,
 * mm/vma.c ({@code mm_take_all_locks}), kernel/fork.c, fs/file.c,
 * include/linux/mm.h, include/linux/mmu_notifier.h.
 */
package accelmm.mm;
