/**
 * A DRM-style GPU device, after Linux's DRM core and the xe driver: device files with per-file
 * ID tables, GEM buffer objects, GPU VMs with VM_BIND, userptr ranges mirrored from process
 * memory, exec queues, jobs run by a device engine through the GPU page tables, and PRIME. One of
 * the device drivers above {@link accelmm.dmabuf}, whose dma_buf, dma_fence and dma_resv it uses;
 * it never uses another device driver.
 *
 * <p>What is modelled. {@link accelmm.drm.DrmDevice} opens {@link accelmm.drm.DrmFile}s; a file
 * names its objects through {@link accelmm.drm.IdTable}s (GEM handles, VM IDs and queue IDs all
 * the lowest free number from 1), private to it under {@link accelmm.drm.HandlesDesign} per-file
 * or one per device, shared by every file, under device-global. IDs are used only at ioctl
 * entry: each lookup is reported to the {@link accelmm.drm.HandleLookupObserver}s with whether
 * the calling file ever obtained the object (created or imported it; a file shared by fork or
 * fd passing is the same file). {@link accelmm.drm.GemObject}s are refcounted buffers in
 * system memory or in the device's VRAM ({@link accelmm.drm.Vram}: a {@link
 * accelmm.drm.DrmBuddy} over frames of the device's memory zone), placed as their {@link
 * accelmm.drm.GemPlacement} allows — when VRAM is full, after evicting other objects in LRU
 * order ({@link accelmm.drm.EvictWalk}, TTM's {@code ttm_bo_evict_alloc}); vram-only: -ENOSPC
 * when nothing can be evicted; vram,system: then falls back to system memory; larger than the
 * VRAM: -E2BIG — with a recorded {@link accelmm.drm.GemCaching} mode, mmap-able through a fake
 * offset (a PFN mapping, of device frames for VRAM). Memory management evicts VRAM objects to system memory
 * ({@link accelmm.drm.GemEvict}: under the object's reservation lock, wait for its jobs' fences,
 * zap its CPU mappings, copy, point the GPU PTEs at the new pages, free the VRAM; -EBUSY when
 * pinned). Every job adds its fence to the {@link accelmm.dmabuf.DmaResv} of each object it
 * touches (WRITE or READ) and runs after the fences implicit sync makes it wait for (the
 * writers for a reader, everything for a writer, moves always). A {@link accelmm.drm.GpuVm}
 * maps GPU VA ranges to objects or userptr ranges through a {@link accelmm.drm.DrmGpuvm}, as xe
 * does: a bind replaces what it overlaps and an unbind may split, by drm_gpuvm's split/merge ops.
 * Userptr ranges follow the {@link accelmm.drm.UserptrDesign} of
 * the run: mirrored through an mmu interval notifier with {@code hmm_range_fault} and the
 * sequence-retry protocol (hmm, as xe does), the same without the retry check (hmm-no-retry),
 * or long-term pinned (pin). {@link accelmm.drm.ExecQueue}s submit {@link accelmm.drm.JobSpec}s
 * (copy, fill) that one engine actor per device runs in order, page by page, as device
 * accesses on behalf of the queue's creator; a missing PTE bans the job's queue and ends the
 * job with -EFAULT on its {@link accelmm.dmabuf.DmaFence}, as xe's engine reset after a CAT error
 * does:
 * the queue's jobs still waiting end with -ECANCELED without running, one pushed after the ban
 * with -EIO, and the exec ioctl refuses the queue with -ECANCELED (a new queue on the VM runs).
 *
 * <p>PRIME ({@link accelmm.drm.PrimeIoctl}). An object is shared as a {@link
 * accelmm.dmabuf.DmaBuf}: one per object, made on first export by {@link accelmm.drm.PrimeExport}
 * (GEM's {@link accelmm.dmabuf.DmaBufOps}), a new fd for it on every export. Each file caches which
 * buffer goes with which handle ({@link accelmm.drm.PrimeFilePrivate}), so an import finds the
 * same handle again; on the exporting device import names the exporter's own object, on another
 * device it makes an object over the pages the buffer's attachment maps ({@link
 * accelmm.drm.PrimeImport}: dynamic, as xe, or static under {@code importer=pinned}; refused,
 * -EOPNOTSUPP, for a VRAM-only object the importer cannot reach peer to peer, xe's exporter
 * check, DBM-2), sharing the buffer's reservation object. The exporter's map migrates the object
 * to system memory for an importer that cannot reach VRAM; its pin migrates and pins it there
 * too unless every attachment reaches VRAM peer to peer, which pins it in place (xe's {@code xe_dma_buf_map}, {@code xe_dma_buf_pin}); an eviction of an exported object tells
 * its dynamic importers first ({@code dma_buf_invalidate_mappings}), and they map the new place
 * at their next exec or bind (a CPU fault on an import is SIGBUS, as xe's is). A buffer another driver exported (the accelerator's
 * device memory) is imported the same way; the exporter's refusals are the import's errno
 * (-EPERM from a map without peer-to-peer access), and once it revoked the buffer the next exec
 * or bind of the object is -ENODEV. CPU mmap of the buffer maps the exporter's pages. What
 * is drm_prime.c's and xe_dma_buf.c's stays here (the exporter's ops bound to a GEM object, the
 * importing side, the per-file cache, the ioctls); the buffer
 * itself, its file and lifetime, {@code dma_buf_get}/{@code dma_buf_fd} and the mmap range check
 * are the dma-buf core's ({@code accelmm.dmabuf}).
 *
 * <p>Lifecycle (seed 001). References go one way: exec queue → VM → GEM object (a {@link
 * accelmm.drm.VmBo} per mapped object holds it); a VM has a refcount and an open count, and its
 * ID holds both. open → ioctls → last {@code fput} releases the file, dropping the IDs it
 * allocated: exec queues (waiting for their jobs), then VMs — under {@link
 * accelmm.drm.TeardownDesign} open-count the open count reaching zero unbinds everything
 * (notifiers removed, pages unpinned, object references dropped) — then handles; objects are
 * freed with their last reference (handles, VM mappings, CPU mappings, the dma-buf they are
 * exported as), and those another file still names or a dma-buf holds survive; a dma-buf lives
 * while an fd, a mapping, an importing object, or a file's prime cache (while the handle lives)
 * holds it. References flow importing object → dma-buf → exporting object, never back. Under refcount-only, each mapped object holds a counted reference back on
 * its VM and file close only drops the file's own references, so a VM with mappings and its
 * objects keep each other alive. {@link accelmm.drm.DrmDevice#liveObjects()} lists what is
 * still alive and what holds each ({@code gem object 1 (16K) held by vm 1 mapping va
 * 0x200000}).
 *
 * <p>Locking. Per VM: {@code vm->lock} (rwsem; binds write, exec read or write while it
 * revalidates userptrs) → {@code mmap_lock} (read, to fault or pin user pages) →
 * {@code vm->userptr.notifier_lock} (rwsem; the invalidate callback writes, bind and exec read
 * while they check {@code read_retry} and program PTEs). The invalidate callback runs under the
 * invalidating thread's {@code mmap_lock}, waits for the VM's unfinished job fences and zaps
 * the range's GPU PTEs before the CPU pages can be freed. Every ioctl is a preemption point; so
 * is every page a job touches.
 *
 * <p>Locking of VRAM objects: {@code mmap_lock} (a CPU fault) → the object's {@code dma_resv}
 * lock → a VM's {@code notifier_lock} (an eviction rewriting GPU PTEs). A bind, and the unbind of
 * everything when a VM closes, holds the reservation locks of every object it maps or unmaps
 * ({@link accelmm.drm.DrmExec}, as xe's {@code op_lock_and_prep}), taken after {@code vm->lock}
 * and any {@code mmap_lock} and before {@code notifier_lock}, so that it never changes an
 * object's mappings in the middle of a move. The exec ioctl takes only the reservation locks of
 * the objects the VM imports from other devices (xe's drm_exec takes every object's); an eviction publishes its KERNEL fence before it waits, so that a job
 * submitted meanwhile waits for the move instead. An allocation that evicts holds no lock of its
 * own and takes one victim's reservation at a time (trylock first, then waiting).
 *
 * <p>Abstracted away: moving back to VRAM (so the VRAM's LRU order is allocation order),
 * kernel objects in VRAM (page tables, rings), the cgroup limits of eviction, checks of caching
 * modes, contiguous and visible-VRAM placements, VM-private objects sharing the VM's resv, the split of a userptr VMA into new
 * VMAs (its pieces stay one range), flink ({@code DrmFile.handleCreate} is the {@code
 * drm_gem_handle_create} it will call), moving an evicted exported object back to VRAM when a
 * peer importer validates it again (DBM-7's last step: the model has no move into VRAM), the
 * ww_mutex backoff between two execs that lock the same imported objects in opposite orders
 * on two devices,
 * compute-mode VMs (whose destroy is -EBUSY
 * while exec queues use them), syncobjs and in/out fences of ioctls (exec returns
 * its fence; binds are synchronous), preempt-fence and fault-mode VMs, GPU TLBs, batch buffers
 * (a job is a copy or a fill), engine classes (one engine per device), the drm_mm allocator of
 * fake offsets (a bump allocator from {@code DRM_FILE_PAGE_OFFSET_START}).
 *
 * <p>Shared state, as the explorer sees it ({@link accelmm.sim.Shared}): each file, GEM
 * object, VM, exec queue, userptr and PRIME import reports the reads and writes of its own
 * fields in its own methods; a VM's page table is observed by virtual page number, its VA tree
 * by address, a GEM object's pages by index, ID tables and the PRIME cache by ID, the device's
 * frame owners by page frame number. The VRAM allocator and its LRU list are one piece that
 * every allocation and free writes, as are the device's registries and next IDs.
 *
 * <p>Kernel sources followed: drivers/gpu/drm/drm_file.c ({@code drm_file_free}: {@code
 * drm_gem_release}, postclose), drm_gem.c ({@code drm_gem_handle_create}, {@code
 * drm_gem_handle_delete}), drm_prime.c, drm_vma_manager.c, drm_gpuvm.c,
 * drivers/gpu/drm/xe/xe_vm.c, xe_userptr.c, xe_hmm.c, xe_exec.c, xe_exec_queue.c, xe_bo.c,
 * xe_device.c, xe_ttm_vram_mgr.c, xe_dma_buf.c, xe_guc_submit.c, drivers/gpu/drm/ttm/ttm_bo.c,
 * ttm_bo_util.c, drm_exec.c, drm_buddy.c,
 * drivers/gpu/drm/scheduler/sched_main.c, include/uapi/drm/xe_drm.h.
 */
package accelmm.drm;
