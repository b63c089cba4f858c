package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.Principal;
import accelmm.mm.Task;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct drm_file} (with xe's {@code struct xe_file}): one open file of a DRM
 * device, its ID tables — GEM handles, VM IDs, exec-queue IDs, each starting at 1 — and the
 * ioctls, which act only on what the calling file can name. Under {@code handles=per-file} the
 * tables are private to the file; under {@code device-global} they are the device's, shared by
 * every file ({@link FileIds}). IDs are used only at ioctl entry, to find the object; each
 * lookup is reported to the device's {@link HandleLookupObserver}s with whether this file ever
 * obtained the object. The ioctls take an ID as the caller passes it, a {@code long}: a number
 * no table holds (they hand out the lowest free ID from 1) names nothing, and the trace shows
 * it as given.
 *
 * <p>Each ioctl is a preemption point on entry, returns a value &gt;= 0 or a negative errno
 * (the exec ioctl a {@link Submission}) with xe's argument checks and errno values, and reports
 * itself to the trace, e.g. {@code vm_bind userptr addr=0x10000000 va=0x100000 size=16K -> ok}.
 * The caller holds a reference on the file for the duration ({@link DrmFd#ioctl} takes it),
 * so the file is never released under a running ioctl.
 *
 * <p>Release ({@code drm_release}, the last {@code fput}; seed 001's postclose) drops the IDs
 * this file allocated, in the seed's order: exec queues are destroyed (waiting for their jobs),
 * then the VM IDs dropped — under {@code teardown=open-count} the open count reaching zero
 * unbinds everything (unpinned, notifiers removed, mapping references on objects dropped) —
 * then the handles, each with its entry in the file's PRIME cache; objects whose last
 * reference went are freed, objects still named by another file or held by a dma-buf survive. Under {@code teardown=refcount-only} the VM IDs drop only their
 * reference, and a VM that its objects hold back stays. xe's own order runs {@code
 * drm_gem_release} before the driver's {@code postclose}; since VM mappings hold object
 * references, the order changes nothing that can be observed here.
 */
public final class DrmFile {

    private static final long PAGE_MASK = PageFrame.PAGE_SIZE - 1;

    private final DrmDevice device;
    private final int id;
    private final Principal opener;
    private final int pid;
    private final FileIds<GemObject> objects;
    private final FileIds<GpuVm> vms;
    private final FileIds<ExecQueue> queues;
    private final PrimeFilePrivate prime;
    private boolean released;
    /** The released flag (the tables are their own pieces). */
    private final Shared shared;

    DrmFile(DrmDevice device, int id, Principal opener, int pid) {
        this.device = device;
        this.id = id;
        this.opener = opener;
        this.pid = pid;
        boolean global = device.handlesDesign() == HandlesDesign.DEVICE_GLOBAL;
        Simulation sim = device.sim();
        this.objects = new FileIds<>(this, global ? device.globalObjectIds() : new IdTable<>(sim.shared("drm ids")),
                sim.shared("drm obtained"));
        this.vms = new FileIds<>(this, global ? device.globalVmIds() : new IdTable<>(sim.shared("drm ids")),
                sim.shared("drm obtained"));
        this.queues = new FileIds<>(this, global ? device.globalQueueIds() : new IdTable<>(sim.shared("drm ids")),
                sim.shared("drm obtained"));
        this.prime = new PrimeFilePrivate(sim.shared("drm prime cache"));
        this.shared = sim.shared("drm file");
    }

    /** A serial number, unique in the device, for reports. */
    public int id() {
        return id;
    }

    public DrmDevice device() {
        return device;
    }

    public boolean isReleased() {
        shared.read();
        return released;
    }

    /** The process that opened the file (it may since have been passed on or inherited). */
    public Principal opener() {
        return opener;
    }

    /**
     * {@code drm_file->pid}: the thread group of the process that opened the file, which the EU
     * debugger compares with its target's ({@code same_thread_group}). (drm updates it to the
     * ioctl caller's when another process uses the file; the model's files are used by their
     * opener or passed on with their fd, which the model does not follow here.)
     */
    public int pid() {
        return pid;
    }

    /** The VMs this file's own IDs name, by ID ({@code xef->vm.xa}, which discovery walks). */
    public List<GpuVm> ownVms() {
        List<GpuVm> out = new ArrayList<>();
        for (int vmId : vms.ownIds()) {
            out.add(vms.find(vmId));
        }
        return out;
    }

    /** The exec queues this file's own IDs name, by ID ({@code xef->exec_queue.xa}). */
    public List<ExecQueue> ownQueues() {
        List<ExecQueue> out = new ArrayList<>();
        for (int queueId : queues.ownIds()) {
            out.add(queues.find(queueId));
        }
        return out;
    }

    /** The object GEM handle {@code handle} names for this file, or {@code null}; not an ioctl, not reported. */
    public GemObject object(int handle) {
        return objects.find(handle);
    }

    /** Whether this file ever obtained {@code object} (created it or got a handle to it). */
    public boolean obtained(DrmObject object) {
        return switch (object) {
            case GemObject o -> objects.obtained(o);
            case GpuVm v -> vms.obtained(v);
            case ExecQueue q -> queues.obtained(q);
        };
    }

    /** This file's own handles for {@code obj}, ascending. */
    List<Integer> handlesOf(GemObject obj) {
        return objects.idsOf(obj);
    }

    /** This file's own IDs for {@code vm}, ascending. */
    List<Integer> vmIdsOf(GpuVm vm) {
        return vms.idsOf(vm);
    }

    /** This file's own IDs for {@code q}, ascending. */
    List<Integer> queueIdsOf(ExecQueue q) {
        return queues.idsOf(q);
    }

    /** The VM that ID {@code vmId} names in this file, or {@code null}. */
    public GpuVm vm(int vmId) {
        return vms.find(vmId);
    }

    /** The exec queue that ID {@code queueId} names in this file, or {@code null}. */
    public ExecQueue queue(int queueId) {
        return queues.find(queueId);
    }

    // ---- VMs ---------------------------------------------------------------------------------

    /** {@code DRM_IOCTL_XE_VM_CREATE}: a new VM; returns its ID. */
    public int vmCreate() {
        enter("vm_create");
        int vmId = device.discoveryLocked(() -> {
            GpuVm vm = device.createVm(this);
            int id = vms.alloc(vm);
            if (device.eudebug() != null) {
                device.eudebug().vmCreate(vm);
            }
            return id;
        });
        if (tracing()) {
            trace("vm_create", Fmt.value(vmId));
        }
        return vmId;
    }

    /**
     * {@code DRM_IOCTL_XE_VM_DESTROY}: drops the VM's ID, -ENOENT for an unknown one. Under
     * open-count the ID's open reference goes and the VM closes (unbinding everything), as
     * {@code xe_vm_close_and_put} does; under refcount-only only its reference goes.
     */
    public int vmDestroy(long vmId) {
        enter("vm_destroy");
        int ret = device.discoveryLocked(() -> vmDestroyLocked(vmId));
        if (tracing()) {
            trace("vm_destroy " + vmId, Fmt.status(ret));
        }
        return ret;
    }

    private int vmDestroyLocked(long vmId) {
        int ret = 0;
        GpuVm vm = lookup(vms, vmId, "vm_destroy");
        if (vm == null) {
            ret = Errno.ENOENT.neg(); // xe_vm_destroy_ioctl: xa_load fails
        } else {
            if (device.eudebug() != null) {
                device.eudebug().vmDestroy(vm);
            }
            vms.erase((int) vmId);
            vm.lock().downWrite();
            try {
                vm.openPut();
            } finally {
                vm.lock().upWrite();
            }
            vm.put();
        }
        return ret;
    }

    // ---- GEM ---------------------------------------------------------------------------------

    /** {@code DRM_IOCTL_XE_GEM_CREATE} in system memory, write-back: returns the new handle. */
    public int gemCreate(long sizeBytes) {
        return gemCreate(sizeBytes, GemPlacement.SYSTEM, GemCaching.WB);
    }

    /**
     * {@code DRM_IOCTL_XE_GEM_CREATE}: returns the new handle. -EINVAL for a size that is not a
     * positive number of pages, a VRAM placement on a device without VRAM, or a placement that
     * allows VRAM with a caching other than {@code wc} ({@code xe_gem_create_ioctl} checks the
     * caching before any memory is allocated; {@code uc} is the model's, not xe's); -E2BIG for a VRAM
     * placement larger than the whole VRAM; when the object does not fit in the free VRAM, other
     * objects are evicted to make room, and -ENOSPC when that cannot make room for a VRAM-only
     * object ({@code vram,system} then falls back to system memory).
     */
    public int gemCreate(long sizeBytes, GemPlacement placement, GemCaching caching) {
        enter("gem_create");
        int ret;
        if (sizeBytes <= 0 || (sizeBytes & PAGE_MASK) != 0) {
            ret = Errno.EINVAL.neg(); // xe_gem_create_ioctl: size & ~PAGE_MASK; xe_bo_init_locked: !size
        } else if (placement.allowsVram() && device.vram() == null) {
            ret = Errno.EINVAL.neg(); // xe_gem_create_ioctl: placement & ~xe->info.mem_region_mask
        } else if (placement.allowsVram() && caching != GemCaching.WC) {
            ret = Errno.EINVAL.neg(); // xe_gem_create_ioctl: a VRAM placement needs DRM_XE_GEM_CPU_CACHING_WC
        } else if (placement.allowsVram() && sizeBytes > device.vramSizeBytes()) {
            // xe_ttm_vram_mgr_new: "don't trigger eviction for the impossible"; TTM returns this
            // error at once, without trying a fallback placement.
            ret = Errno.E2BIG.neg();
        } else if (sizeBytes > DrmDevice.MAX_OBJECT_BYTES) {
            ret = Errno.ENOMEM.neg(); // the model's limit; TTM fails what it cannot back with -ENOMEM
        } else {
            GemObject obj = device.createObject(this, sizeBytes, placement, caching);
            if (obj == null) {
                // ttm_bo_validate keeps the VRAM manager's -ENOSPC for xe (TTM_ALLOCATION_PROPAGATE_ENOSPC).
                ret = Errno.ENOSPC.neg();
            } else {
                ret = objects.alloc(obj);
                obj.handleCreated();
            }
        }
        if (tracing()) {
            trace("gem_create " + Fmt.size(sizeBytes) + (placement == GemPlacement.SYSTEM ? "" : " placement=" + placement)
                    + (caching == GemCaching.defaultFor(placement) ? "" : " caching=" + caching), Fmt.value(ret));
        }
        return ret;
    }

    /**
     * {@code drm_gem_handle_create}: a new handle in this file for an object the caller holds a
     * reference on (taken over by the handle) — what PRIME import and {@code GEM_OPEN} do. The
     * file has then obtained the object.
     */
    int handleCreate(GemObject obj) {
        int handle = objects.alloc(obj);
        obj.handleCreated();
        return handle;
    }

    /** {@code DRM_IOCTL_GEM_CLOSE}: drops a handle; -EINVAL for an unknown one (or one closed already). */
    public int gemClose(long handle) {
        enter("gem_close");
        int ret = 0;
        GemObject obj = lookup(objects, handle, "gem_close");
        if (obj == null) {
            ret = Errno.EINVAL.neg(); // drm_gem_handle_delete: idr_replace finds nothing
        } else {
            objects.erase((int) handle);
            prime.remove((int) handle);
            obj.handleDeleted();
        }
        if (tracing()) {
            trace("gem_close " + handle, Fmt.status(ret));
        }
        return ret;
    }

    /** {@code DRM_IOCTL_XE_GEM_MMAP_OFFSET}: the fake offset to mmap the object at; -ENOENT for an unknown handle. */
    public long gemMmapOffset(long handle) {
        enter("gem_mmap_offset");
        GemObject obj = lookup(objects, handle, "gem_mmap_offset");
        long ret = obj == null ? Errno.ENOENT.neg() : obj.mmapOffset(); // xe_gem_mmap_offset_ioctl
        if (tracing()) {
            trace("gem_mmap_offset " + handle, Errno.isError(ret) ? Fmt.status(ret) : Fmt.hex(ret));
        }
        return ret;
    }

    /**
     * {@code drm_gem_mmap}, called by mmap of this file under {@code mmap_lock}: -EINVAL when no
     * object starts at the offset or the mapping is larger than the object, -EACCES when this
     * file has no handle for it ({@code drm_vma_node_is_allowed}), then the object's own mmap
     * ({@code drm_gem_mmap_obj} → {@link GemObject#mmapObj}) with the object as the VMA's ops.
     */
    int mmap(MmapSetup setup) {
        GemObject obj = device.objectAtOffset(setup.pgoff());
        if (obj == null || setup.lengthBytes() > obj.sizeBytes()) {
            return Errno.EINVAL.neg();
        }
        if (objects.idsOf(obj).isEmpty()) {
            return Errno.EACCES.neg(); // drm_vma_node_allow is per file, whatever the ID space
        }
        return obj.mmapObj(setup, obj);
    }

    // ---- PRIME (the ioctls are in PrimeIoctl) --------------------------------------------------

    /**
     * {@code DRM_IOCTL_PRIME_HANDLE_TO_FD}: a new fd in {@code caller} for the object's dma-buf
     * (made on first export; {@code flags} of {@link PrimeIoctl#DRM_CLOEXEC} and {@link
     * PrimeIoctl#DRM_RDWR}); -EINVAL for other flags, -ENOENT for an unknown handle.
     */
    public int primeHandleToFd(Task caller, long handle, boolean cloexec, boolean rdwr) {
        return primeHandleToFd(caller, handle,
                (cloexec ? PrimeIoctl.DRM_CLOEXEC : 0) | (rdwr ? PrimeIoctl.DRM_RDWR : 0));
    }

    /** {@code DRM_IOCTL_PRIME_HANDLE_TO_FD} with the raw flags word. */
    public int primeHandleToFd(Task caller, long handle, int flags) {
        return PrimeIoctl.handleToFd(this, caller, handle, flags);
    }

    /**
     * {@code DRM_IOCTL_PRIME_FD_TO_HANDLE}: this file's handle for the dma-buf behind {@code fd}
     * of {@code caller} — the same handle for a buffer this file exported or imported before.
     * {@code fd} is the number as the caller passes it: one outside an {@code int} is no open fd.
     */
    public int primeFdToHandle(Task caller, long fd) {
        return PrimeIoctl.fdToHandle(this, caller, fd);
    }

    PrimeFilePrivate prime() {
        return prime;
    }

    // ---- VM_BIND (the ioctl's checks and locking are in VmBindIoctl) -------------------------

    /**
     * {@code DRM_XE_VM_BIND_OP_MAP}: maps {@code sizeBytes} of the object from {@code boOffset}
     * at {@code va}, replacing what was bound there.
     */
    public int vmBindMap(long vmId, long handle, long boOffset, long va, long sizeBytes) {
        return vmBindMap(vmId, handle, boOffset, va, sizeBytes, false);
    }

    /**
     * {@link #vmBindMap(long, long, long, long, long)}, with {@code DRM_XE_VM_BIND_FLAG_DUMPABLE}
     * when {@code dumpable}: the mapping then shows in a device coredump of the VM (DCD-05).
     */
    public int vmBindMap(long vmId, long handle, long boOffset, long va, long sizeBytes, boolean dumpable) {
        return VmBindIoctl.map(this, vmId, handle, boOffset, va, sizeBytes, dumpable);
    }

    /**
     * {@code DRM_XE_VM_BIND_OP_MAP_USERPTR}: mirrors {@code [cpuAddr, cpuAddr + sizeBytes)} of
     * the caller's address space at {@code va}, under the run's {@link UserptrDesign}. -EFAULT
     * when the CPU range cannot be faulted in or pinned (nothing is left behind).
     */
    public int vmBindUserptr(Task caller, long vmId, long cpuAddr, long va, long sizeBytes) {
        return vmBindUserptr(caller, vmId, cpuAddr, va, sizeBytes, false);
    }

    /**
     * {@link #vmBindUserptr(Task, long, long, long, long)}, with {@code
     * DRM_XE_VM_BIND_FLAG_DUMPABLE} when {@code dumpable} (DCD-05).
     */
    public int vmBindUserptr(Task caller, long vmId, long cpuAddr, long va, long sizeBytes, boolean dumpable) {
        return VmBindIoctl.userptr(this, caller, vmId, cpuAddr, va, sizeBytes, dumpable);
    }

    /** {@code DRM_XE_VM_BIND_OP_UNMAP}: unbinds whatever is bound in the range (possibly part of a mapping). */
    public int vmBindUnmap(long vmId, long va, long sizeBytes) {
        return VmBindIoctl.unmap(this, vmId, va, sizeBytes);
    }

    /** {@code xe_vm_lookup} for {@code ioctl}: the VM with a reference the caller drops, or {@code null}. */
    GpuVm vmLookup(long vmId, String ioctl) {
        GpuVm vm = lookup(vms, vmId, ioctl);
        if (vm != null) {
            vm.get();
        }
        return vm;
    }

    /** {@code drm_gem_object_lookup} for {@code ioctl}: the object with a reference the caller drops, or {@code null}. */
    GemObject objectLookup(long handle, String ioctl) {
        GemObject obj = lookup(objects, handle, ioctl);
        if (obj != null) {
            obj.get();
        }
        return obj;
    }

    /** The object {@code id} names, reported to the device's lookup observers; {@code null} if none. */
    private <T extends DrmObject> T lookup(FileIds<T> ids, long id, String ioctl) {
        T obj = ids.find(id);
        if (obj != null) {
            device.reportLookup(this, obj, ids.obtained(obj), ioctl);
        }
        return obj;
    }

    // ---- exec queues and exec (ExecQueueIoctl) -------------------------------------------------

    /**
     * {@code DRM_IOCTL_XE_EXEC_QUEUE_CREATE}: a queue on the VM whose jobs act on behalf of
     * {@code caller}; returns its ID, or -ENOENT for an unknown or closed VM.
     */
    public int execQueueCreate(Task caller, long vmId) {
        return ExecQueueIoctl.create(this, caller, vmId);
    }

    /** {@code DRM_IOCTL_XE_EXEC_QUEUE_DESTROY}: waits for the queue's jobs; -ENOENT for an unknown ID. */
    public int execQueueDestroy(long queueId) {
        return ExecQueueIoctl.destroy(this, queueId);
    }

    /**
     * {@code DRM_IOCTL_XE_EXEC}: submits {@code spec} on the queue. -ENOENT for an unknown queue,
     * -EINVAL for an empty job, -ECANCELED once the queue is banned (a job of it faulted) or its
     * VM is closed.
     */
    public Submission exec(long queueId, JobSpec spec) {
        return ExecQueueIoctl.exec(this, queueId, spec);
    }

    /** The file's exec-queue IDs. */
    FileIds<ExecQueue> queueIds() {
        return queues;
    }

    /** The queue with {@code queueId} for an ioctl, reported to the lookup observers, or null. */
    ExecQueue queueLookup(long queueId, String ioctl) {
        return lookup(queues, queueId, ioctl);
    }

    // ---- release -----------------------------------------------------------------------------

    /**
     * {@code drm_release} → postclose ({@code xe_file_close}) and {@code drm_gem_release}, in the
     * seed's order: queues, then VMs, then handles; see the class comment.
     */
    void release() {
        shared.write();
        if (released) {
            throw new IllegalStateException("drm file " + id + " released twice");
        }
        released = true;
        if (device.eudebug() != null) {
            // xe_file_close tells the debugger first, under the discovery lock for reading.
            device.discoveryLocked(() -> {
                device.eudebug().fileClose(this);
                return 0;
            });
        }
        // What release did, for the trace only.
        List<String> steps = tracing() ? new ArrayList<>() : null;
        for (int queueId : queues.ownIds()) {
            ExecQueue q = queues.erase(queueId);
            q.destroy();
            if (steps != null) {
                steps.add(q.label() + " destroyed");
            }
        }
        for (int vmId : vms.ownIds()) {
            GpuVm vm = vms.erase(vmId);
            vm.openPut();
            vm.put();
            if (steps != null) {
                steps.add(vm.label() + (vm.refCount() == 0 ? " freed" : vm.isClosed() ? " closed" : " kept"));
            }
        }
        for (int handle : objects.ownIds()) {
            GemObject obj = objects.erase(handle);
            prime.remove(handle);
            obj.handleDeleted();
            if (steps != null) {
                steps.add("handle " + handle + (obj.isFreed() ? " freed " : " dropped, kept ") + obj.label());
            }
        }
        prime.destroy();
        device.fileReleased(this);
        if (steps != null) {
            sim().traceOperation(device.name() + " release file " + id, String.join(", ", steps));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Simulation sim() {
        return device.sim();
    }

    void enter(String ioctl) {
        shared.read();
        if (released) {
            throw new IllegalStateException("ioctl " + ioctl + " on released drm file " + id);
        }
        sim().preemptionPoint("ioctl " + ioctl);
    }

    /** Whether the simulation records a trace; callers skip building trace text when not. */
    boolean tracing() {
        return sim().tracing();
    }

    void trace(String operation, String result) {
        sim().traceOperation(operation, result);
    }

    /** {@code gpu0 file 1}. */
    @Override
    public String toString() {
        return device.name() + " file " + id;
    }
}
