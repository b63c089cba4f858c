/**
 * A DRM-style GPU device, after Linux's DRM core and the xe driver: device files with per-file
 * ID tables, GEM buffer objects, GPU VMs with VM_BIND, userptr ranges mirrored from process
 * memory, exec queues, jobs run by a device engine through the GPU page tables, and dma_fence
 * / dma_resv.
 *
 * <p>What is modelled. {@link accelmm.drm.DrmDevice} opens {@link accelmm.drm.DrmFile}s; a file
 * names its objects through {@link accelmm.drm.IdTable}s private to it (GEM handles, VM IDs and
 * queue IDs all start at 1). {@link accelmm.drm.GemObject}s are system-memory buffers,
 * refcounted, mmap-able through a fake offset (a PFN mapping). A {@link accelmm.drm.GpuVm} binds
 * GPU VA pages to object pages or to a userptr range, page by page (a bind replaces what it
 * overlaps; an unbind may split). Userptr ranges follow the {@link accelmm.drm.UserptrDesign} of
 * the run: mirrored through an mmu interval notifier with {@code hmm_range_fault} and the
 * sequence-retry protocol (hmm, as xe does), the same without the retry check (hmm-no-retry),
 * or long-term pinned (pin). {@link accelmm.drm.ExecQueue}s submit {@link accelmm.drm.JobSpec}s
 * (copy, fill) that one engine actor per device runs in order, page by page, as device
 * accesses on behalf of the queue's creator; a missing PTE ends the job with -EFAULT on its
 * {@link accelmm.drm.DmaFence}.
 *
 * <p>Lifecycle. open → ioctls → last {@code fput} releases the file: exec queues (waiting for
 * their jobs), VMs (everything unbound: notifiers removed, pages unpinned), handles; objects
 * are freed with their last reference (handles, VM mappings, CPU mappings).
 * {@link accelmm.drm.DrmDevice#liveObjects()} lists what is still alive.
 *
 * <p>Locking. Per VM: {@code vm->lock} (rwsem; binds write, exec read or write while it
 * revalidates userptrs) → {@code mmap_lock} (read, to fault or pin user pages) →
 * {@code vm->userptr.notifier_lock} (rwsem; the invalidate callback writes, bind and exec read
 * while they check {@code read_retry} and program PTEs). The invalidate callback runs under the
 * invalidating thread's {@code mmap_lock}, waits for the VM's unfinished job fences and zaps
 * the range's GPU PTEs before the CPU pages can be freed. Every ioctl is a preemption point; so
 * is every page a job touches.
 *
 * <p>Abstracted away: VRAM and placement, caching modes, eviction, drm_gpuvm split/merge as
 * ranges (binds are kept per page), PRIME, syncobjs and in/out fences of ioctls (exec returns
 * its fence; binds are synchronous), preempt-fence and fault-mode VMs, GPU TLBs, batch buffers
 * (a job is a copy or a fill), engine classes (one engine per device), the drm_mm allocator of
 * fake offsets (a bump allocator from {@code DRM_FILE_PAGE_OFFSET_START}).
 *
 * <p>Kernel sources followed: drivers/gpu/drm/drm_file.c, drm_gem.c, drm_vma_manager.c,
 * drivers/gpu/drm/xe/xe_vm.c, xe_userptr.c, xe_hmm.c, xe_exec.c, xe_exec_queue.c, xe_bo.c,
 * xe_device.c, drivers/dma-buf/dma-fence.c, dma-resv.c, include/uapi/drm/xe_drm.h.
 */
package accelmm.drm;
