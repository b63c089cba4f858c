package accelmm.drm;

import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Cost;
import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Models {@code struct xe_vm} (a {@code drm_gpuvm} with its page table): one GPU address space
 * of a DRM file — its mappings of GEM objects and userptr ranges, the GPU page table the
 * device engine translates through, the userptr ranges, and the fences of the jobs still
 * running in it (its {@code dma_resv}, BOOKKEEP usage).
 *
 * <p>Design note. The VA space is a {@link DrmGpuvm} over {@code [0, VA_SIZE)}, as xe builds
 * its VM_BIND on drm_gpuvm: a map request runs {@code drm_gpuvm_sm_map}, an unmap request and
 * the close of the VM {@code drm_gpuvm_sm_unmap}, and {@link VmBindOps} applies the resulting
 * unmap / remap / map ops to the tree, the page table and the userptr bookkeeping. So a bind
 * over existing mappings replaces exactly the overlap and keeps the rest as split pieces with
 * their offsets advanced (GV-05..GV-15), and a partial unbind cuts a mapping apart (GV-16). The
 * pieces of a split keep their PTEs; what leaves the VA space loses them; a GEM map writes its
 * PTEs with the bind, a userptr page's PTE comes and goes with its CPU pages. Each object
 * mapped has one {@link VmBo} with its {@link GpuvmBo}, holding the object while any mapping
 * of it is left.
 *
 * <p>Locking, as in xe: {@code vm->lock} (a rwsem) serialises binds (write) against exec
 * (read; write while revalidating userptrs). {@code vm->userptr.notifier_lock} guards the
 * userptr PTEs and the invalidated state: invalidate callbacks take it for writing, binds and
 * exec for reading while they check {@code read_retry} and program PTEs. A request changes
 * mappings only while it also holds the reservation locks of the GEM objects it maps or unmaps
 * ({@link DrmExec}, as xe's {@code op_lock_and_prep}), which an eviction holds while it moves the
 * object and retargets its PTEs. Lock order: {@code vm->lock} → {@code mmap_lock} → the objects'
 * {@code dma_resv} → {@code notifier_lock} (pages are got before the objects are locked).
 *
 * <p>Lifetime (seed 001): a refcount and an open count. The file's VM ID holds both; every exec
 * queue and every lookup in progress holds a reference; under {@code teardown=refcount-only}
 * so does every GEM object mapped in the VM, through its {@link VmBo}. Under open-count,
 * dropping the last open reference ({@link #openPut}: VM destroy or file postclose) closes the
 * VM — unbinds everything, which drops the mappings' object references — and the last {@link
 * #put} frees it. Under refcount-only there is no open count: the last {@link #put} unbinds
 * and frees (plain Drop), and a VM whose objects map it never gets there.
 *
 * <p>Exec queues hold only a reference, as xe's do: {@code xe_vm_destroy_ioctl} closes the VM
 * even under a queue, whose later execs are refused. (The seed lets a context hold an open
 * reference too; since postclose tears the queues down first, file close ends the same way.)
 */
public final class GpuVm implements DrmObject {

    /** The lockdep class of every VM's {@code vm->lock}. */
    public static final LockClass VM_LOCK = new LockClass("vm->lock");
    /** The GPU VA space: 48 bits ({@code 1 << xe->info.va_bits}). */
    public static final long VA_SIZE = 1L << 48;

    private final DrmDevice device;
    private final DrmFile creator;
    private final int id;
    private final boolean hasOpenCount;
    private final RwSemaphore lock;
    private final UserptrVm userptr;
    private final DmaResv resv;
    private final DrmGpuvm<GpuVaBacking> gpuvm;
    private final TreeMap<Long, GpuPte> pageTable = new TreeMap<>();
    private final TreeMap<Integer, VmBo> vmBos = new TreeMap<>();
    /** Where the mappings carry {@code XE_VMA_DUMPABLE} (DCD-05). */
    private final DumpableRanges dumpable = new DumpableRanges();
    /** How many of {@link #vmBos} pair the VM with an object imported from another device. */
    private int importedBos;
    /**
     * Pairings whose imported object's mapping was invalidated since the last exec ({@code
     * vm->gpuvm.evict.list}): the next exec maps the object again and rebinds them.
     */
    private final List<VmBo> evictedImports = new ArrayList<>(1);
    private int refCount = 1;
    private int openCount;
    private boolean closed;
    /**
     * The VM's own state: counts, the closed flag, the vm_bo registry and the imports to
     * revalidate, the dumpable ranges.
     */
    private final Shared shared;
    /** The page table, by virtual page number. */
    private final Shared ptes;

    /** A new VM with one reference (and, under open-count, one open reference) for the caller. */
    GpuVm(DrmDevice device, DrmFile creator, int id) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.hasOpenCount = device.teardownDesign().hasOpenCount();
        this.openCount = hasOpenCount ? 1 : 0;
        this.lock = new RwSemaphore(device.sim(), "vm->lock " + id, VM_LOCK);
        this.userptr = new UserptrVm(this);
        this.resv = new DmaResv(device.sim());
        this.shared = device.sim().shared("gpu vm");
        this.ptes = device.sim().shared("gpu vm ptes");
        this.gpuvm = new DrmGpuvm<>("vm " + id, 0, VA_SIZE, device.sim().shared("gpu va tree")); // xe: drm_gpuvm_init(..., 0, vm->size, 0, 0, ...)
    }

    /** A serial number, unique in the device, for reports (not the per-file VM ID). */
    @Override
    public int id() {
        return id;
    }

    @Override
    public DrmFile creator() {
        return creator;
    }

    /** {@code vm 1}. */
    @Override
    public String label() {
        return "vm " + id;
    }

    DrmDevice device() {
        return device;
    }

    RwSemaphore lock() {
        return lock;
    }

    /** {@code vm->userptr}: the userptr ranges, their lock and their revalidation. */
    UserptrVm userptr() {
        return userptr;
    }

    /** {@code vm->userptr.notifier_lock}. */
    RwSemaphore notifierLock() {
        return userptr.notifierLock();
    }

    DmaResv resv() {
        return resv;
    }

    /** {@code xe_vm_is_closed}: destroyed or its file released; binds and execs are refused. */
    public boolean isClosed() {
        shared.read();
        return closed;
    }

    public int refCount() {
        shared.read();
        return refCount;
    }

    /** Open references: 1 while the VM's ID exists (open-count), always 0 under refcount-only. */
    public int openCount() {
        shared.read();
        return openCount;
    }

    /** The objects mapped in the VM, by object serial number. */
    List<VmBo> vmBos() {
        shared.read();
        return List.copyOf(vmBos.values());
    }

    /** The PTE the GPU translates {@code va} through, or {@code null} (a GPU page fault). */
    public GpuPte pte(long va) {
        ptes.read(va >>> PageFrame.PAGE_SHIFT, (va >>> PageFrame.PAGE_SHIFT) + 1);
        return pageTable.get(va >>> PageFrame.PAGE_SHIFT);
    }

    /** Every PTE with its GPU VA, ascending (a snapshot; only reads). */
    java.util.SortedMap<Long, GpuPte> ptes() {
        ptes.read();
        java.util.SortedMap<Long, GpuPte> out = new TreeMap<>();
        pageTable.forEach((vpn, pte) -> out.put(vpn << PageFrame.PAGE_SHIFT, pte));
        return out;
    }

    /**
     * What the PTEs of the GPU pages in [{@code start}, {@code end}) point at, grouped as reports
     * group frames ({@code pfn 5..8@gpu0 vram}; {@code none} for pages without one). Only reads.
     */
    String pteFrames(long start, long end) {
        ptes.read(start >>> PageFrame.PAGE_SHIFT, end >>> PageFrame.PAGE_SHIFT);
        List<PhysicalMemory.FrameRef> refs = new ArrayList<>();
        for (long vpn = start >>> PageFrame.PAGE_SHIFT; vpn < end >>> PageFrame.PAGE_SHIFT; vpn++) {
            GpuPte pte = pageTable.get(vpn);
            refs.add(pte == null ? null : pte.ref());
        }
        return PhysicalMemory.FrameRef.runs(refs);
    }

    /** GPU pages with a PTE. */
    public int pteCount() {
        ptes.read();
        return pageTable.size();
    }

    /** GPU pages bound to something (with or without a PTE). */
    public int boundPageCount() {
        long bytes = 0;
        for (GpuVa<GpuVaBacking> va : gpuvm.vas()) {
            bytes += va.range();
        }
        return pages(bytes);
    }

    /**
     * Whether the mapping at {@code va} was bound with {@code DRM_XE_VM_BIND_FLAG_DUMPABLE} (or
     * is a piece split off one that was): {@code XE_VMA_DUMPABLE}, what {@code
     * xe_vm_snapshot_capture} selects (DCD-05). False where nothing is mapped.
     */
    public boolean isDumpable(long va) {
        shared.read();
        return dumpable.covers(va, va + 1);
    }

    /**
     * {@code xe_vm_snapshot_capture}: phase 1 of a device coredump of this VM (DCD-04, DCD-05),
     * listing its dumpable mappings; userptr ones only when {@code includeUserptr} (the mainline
     * behaviour, DCD-07). Runs in the timeout handler, which takes no lock the model needs here.
     */
    public VmSnapshot snapshotCapture(boolean includeUserptr) {
        shared.read();
        List<GpuVa<GpuVaBacking>> listed = new ArrayList<>();
        for (GpuVa<GpuVaBacking> va : gpuvm.vas()) {
            if (dumpable.covers(va.addr(), va.end())) {
                listed.add(va);
            }
        }
        return VmSnapshot.capture(device, listed, includeUserptr);
    }

    /** {@code vm->gpuvm}: the VA space, its mappings ({@link GpuVa}s) and their vm_bos. */
    DrmGpuvm<GpuVaBacking> gpuvm() {
        return gpuvm;
    }

    /** The mappings, in address order. */
    List<GpuVa<GpuVaBacking>> vas() {
        return gpuvm.vas();
    }

    /** Writes the PTE of {@code va}; the caller holds {@code notifier_lock}. */
    void setPte(long va, GpuPte pte) {
        notifierLock().assertHeld();
        device.sim().costs().count(Cost.DEVICE_PTE_WRITE);
        ptes.write(va >>> PageFrame.PAGE_SHIFT, (va >>> PageFrame.PAGE_SHIFT) + 1);
        pageTable.put(va >>> PageFrame.PAGE_SHIFT, pte);
    }

    /**
     * Clears the PTE of {@code va} (a later GPU access faults); the caller holds {@code
     * notifier_lock}. Returns whether there was one: an absent entry costs no write, as
     * {@code xe_pt_zap_ptes} walks nothing for a range already invalidated.
     */
    boolean clearPte(long va) {
        notifierLock().assertHeld();
        ptes.write(va >>> PageFrame.PAGE_SHIFT, (va >>> PageFrame.PAGE_SHIFT) + 1);
        if (pageTable.remove(va >>> PageFrame.PAGE_SHIFT) == null) {
            return false;
        }
        device.sim().costs().count(Cost.DEVICE_PTE_WRITE);
        return true;
    }

    /**
     * The GPU TLB invalidation after PTEs were cleared or rewritten, so that the GPU stops
     * translating through the old entries ({@code xe_vm_invalidate_vma}, an unbind's page-table
     * update and a moved BO's rebind each issue one for their range); counted, nothing else is
     * modelled (the new entries take effect at once).
     */
    void invalidateTlb() {
        device.sim().costs().count(Cost.TLB_INVALIDATION);
    }

    /** Clears the PTEs of {@code [from, to)}; the caller holds {@code notifier_lock}. */
    void clearPtes(long from, long to) {
        notifierLock().assertHeld();
        ptes.write(from >>> PageFrame.PAGE_SHIFT, to >>> PageFrame.PAGE_SHIFT);
        java.util.SortedMap<Long, GpuPte> range = pageTable.subMap(from >>> PageFrame.PAGE_SHIFT, to >>> PageFrame.PAGE_SHIFT);
        device.sim().costs().count(Cost.DEVICE_PTE_WRITE, range.size());
        range.clear();
    }

    /** {@code xe_vm_get}: a VM reference, for a holder outside the driver (the debugger's VM file). */
    public void get() {
        shared.write();
        if (refCount <= 0) {
            throw new IllegalStateException("get of freed vm " + id);
        }
        refCount++;
    }

    /**
     * {@code xe_vm_put}: the last reference frees the VM. Under open-count it must have been
     * closed by then; under refcount-only the last put is the Drop that unbinds everything.
     */
    public void put() {
        shared.write();
        if (refCount <= 0) {
            throw new IllegalStateException("refcount underflow on vm " + id);
        }
        if (--refCount > 0) {
            return;
        }
        if (!closed) {
            if (hasOpenCount) {
                throw new IllegalStateException("vm " + id + " freed without being closed");
            }
            close();
        }
        device.vmFreed(this);
    }

    /**
     * Drops an open reference (the VM's ID went: VM destroy or file postclose). The last one
     * closes the VM, unbinding everything — which drops every mapping's object reference. No-op
     * under refcount-only, which has no open count.
     */
    void openPut() {
        shared.write();
        if (!hasOpenCount) {
            return;
        }
        if (openCount <= 0) {
            throw new IllegalStateException("open count underflow on vm " + id);
        }
        if (--openCount == 0) {
            close();
        }
    }

    // ---- VM_BIND: the caller holds vm->lock for writing ---------------------------------------

    /**
     * Whether {@code [va, va + size)} lies in the VA space ({@code range > vm->size || addr >
     * vm->size - range} is -EINVAL in {@code xe_vm_bind_ioctl}).
     */
    boolean rangeValid(long va, long size) {
        return gpuvm.rangeValid(va, size);
    }

    /**
     * Maps {@code size} bytes of {@code bo} from {@code boOffset} at {@code va}: the ops of
     * {@code drm_gpuvm_sm_map} unmap or split what the range overlapped, then map it. The caller
     * checked the range against the VM and the object. Returns 0, or, for an object imported
     * from another device whose exporter refuses to map it again (a revoked buffer: -ENODEV),
     * that errno with nothing changed: {@code op_lock_and_prep} validates the object it maps
     * under its lock before any op is applied ({@code vma_lock_and_validate}).
     */
    int bindBo(GemObject bo, long boOffset, long va, long size, boolean dumpableFlag) {
        lock.assertWriteHeld();
        VaOps<GpuVaBacking> ops = refusedIsABug(gpuvm.smMap(va, size, new GpuVaBacking.Bo(bo), boOffset));
        BoBind bound = commitLocked(ops, () -> {
            int ret = bo.isImported() ? bo.validateImport() : 0;
            if (ret < 0) {
                return new BoBind(null, ret);
            }
            // As xe_vm_bind_ioctl_ops_create: the vm_bo is obtained, with a reference, before the
            // ops are applied, so unmapping the object's old mappings cannot destroy it (GV-01).
            GpuvmBo<GpuVaBacking> gpuvmBo = vmBoObtain(bo);
            VmBindOps applied = VmBindOps.apply(this, ops);
            if (gpuvmBo.put()) {
                throw new IllegalStateException(gpuvmBo + " destroyed right after a map of it");
            }
            shared.write();
            dumpable.map(va, va + size, dumpableFlag);
            return new BoBind(applied, 0);
        });
        if (bound.applied() != null) {
            bound.applied().release();
        }
        return bound.errno();
    }

    /** What a bind of an object did under the locks: the ops applied, or none and the validation's errno. */
    private record BoBind(VmBindOps applied, int errno) {
    }

    /**
     * Mirrors {@code [cpuAddr, cpuAddr + size)} of {@code mm} at {@code va}: 0, or the error of
     * getting the pages (-EFAULT for an unmapped or inaccessible range), in which case nothing
     * changed. Loops while the pages collided with an invalidation. The range becomes one
     * {@link GpuVa} whose object is the {@link Userptr}, mapped with {@code drm_gpuvm_sm_map}
     * like any other.
     *
     * <p>A range larger than {@link DrmDevice#MAX_OBJECT_BYTES} is -ENOMEM: the model's limit
     * (it keeps a record per page of the range), given as the error xe returns when it cannot
     * allocate the per-page array of a range ({@code kvmalloc_array} in {@code
     * xe_hmm_userptr_populate_range}, before any page is faulted).
     */
    int bindUserptr(MmStruct mm, long cpuAddr, long va, long size, boolean dumpableFlag) {
        lock.assertWriteHeld();
        if (cpuAddr < 0 || cpuAddr > MmStruct.TASK_SIZE - size) {
            return Errno.EFAULT.neg(); // not user memory: hmm_range_fault / GUP find no VMA there
        }
        if (size > DrmDevice.MAX_OBJECT_BYTES) {
            return Errno.ENOMEM.neg();
        }
        Userptr u = device.createUserptr(this, mm, cpuAddr, va, pages(size));
        u.setup();
        while (true) {
            int ret = u.getPages();
            if (ret < 0) {
                u.destroy();
                return ret;
            }
            VaOps<GpuVaBacking> ops = refusedIsABug(gpuvm.smMap(va, size, new GpuVaBacking.UserptrRange(u), 0));
            VmBindOps old = commitLocked(ops, () -> {
                if (u.collided()) {
                    return null;
                }
                VmBindOps applied = VmBindOps.apply(this, ops);
                userptr.add(u);
                u.program();
                shared.write();
                dumpable.map(va, va + size, dumpableFlag);
                return applied;
            });
            if (old != null) {
                old.release();
                return 0;
            }
        }
    }

    /**
     * Unbinds {@code [va, va + size)} with the ops of {@code drm_gpuvm_sm_unmap} (GV-16):
     * mappings inside go, mappings partly inside are split and keep their outside pieces.
     */
    void unbind(long va, long size) {
        lock.assertWriteHeld();
        smUnmap(va, size);
    }

    /**
     * {@code xe_vm_close_and_put} without the put: unbinds everything, as an unmap of the whole
     * VA space (open count at zero, or the Drop of the last reference under refcount-only),
     * under {@code vm->lock} held for writing as {@code xe_vm_close} and the VMA teardown after
     * it take it. The VM destroy ioctl of the model holds it already; a file's release takes
     * it here, so an access that holds it meanwhile (the debugger's VM file, whose reference
     * keeps the VM alive after its file is gone) finishes before the mappings go. A file's
     * release never runs under {@code mmap_lock} (its fput is deferred to the return to user
     * space), so taking {@code vm->lock} here inverts no lock order. It takes the mapped
     * objects' reservation locks, as {@code xe_vma_destroy_unlocked} does.
     */
    void close() {
        boolean locked = lock.writeHeldByCurrent();
        if (!locked) {
            lock.downWrite();
        }
        try {
            shared.write();
            closed = true;
            smUnmap(0, VA_SIZE);
        } finally {
            if (!locked) {
                lock.upWrite();
            }
        }
    }

    private void smUnmap(long va, long size) {
        VaOps<GpuVaBacking> ops = refusedIsABug(gpuvm.smUnmap(va, size));
        commitLocked(ops, () -> {
            shared.write();
            dumpable.clear(va, va + size);
            return VmBindOps.apply(this, ops);
        }).release();
    }

    /**
     * Runs {@code commit} — which applies {@code ops} (or, for a userptr, returns {@code null}
     * to start over; for an imported object, refuses when it cannot be validated) — and returns
     * what it returned, under the reservation locks of the objects the ops touch ({@link DrmExec}: {@code
     * op_lock_and_prep}, which keeps eviction from moving them meanwhile) and {@code
     * notifier_lock} held for reading. The caller releases what the ops took away once the
     * locks are dropped.
     */
    private <T> T commitLocked(VaOps<GpuVaBacking> ops, Supplier<T> commit) {
        DrmExec exec = DrmExec.lock(DrmExec.objectsOf(ops));
        try {
            notifierLock().downRead();
            try {
                return commit.get();
            } finally {
                notifierLock().upRead();
            }
        } finally {
            exec.unlock();
        }
    }

    /**
     * {@code drm_gpuvm_bo_obtain} for {@code bo}, with a reference for the caller; a new pairing
     * gets its {@link VmBo}, which takes the object reference.
     */
    private GpuvmBo<GpuVaBacking> vmBoObtain(GemObject bo) {
        shared.write();
        GpuvmBo<GpuVaBacking> gpuvmBo = GpuvmBo.obtain(gpuvm, new GpuVaBacking.Bo(bo));
        VmBo vmBo = vmBos.get(bo.id());
        if (vmBo == null) {
            vmBos.put(bo.id(), new VmBo(this, bo, gpuvmBo));
            if (bo.isImported()) {
                importedBos++;
            }
        } else if (vmBo.gpuvmBo() != gpuvmBo) {
            throw new IllegalStateException(vmBo + " outlived its drm_gpuvm_bo");
        }
        return gpuvmBo;
    }

    /** The pairing of {@code bo}, if its last mapping went: taken out of the VM, to be destroyed. */
    VmBo vmBoIfUnmapped(GemObject bo) {
        shared.write();
        VmBo vmBo = vmBos.get(bo.id());
        if (vmBo == null || !vmBo.gpuvmBo().isDestroyed()) {
            return null;
        }
        vmBos.remove(bo.id());
        if (bo.isImported()) {
            importedBos--;
            evictedImports.remove(vmBo);
        }
        return vmBo;
    }

    /** {@link GemObject#importEvicted}: {@code vmBo}'s object must be mapped again before the next job. */
    void importEvicted(VmBo vmBo) {
        shared.write();
        if (!evictedImports.contains(vmBo)) {
            evictedImports.add(vmBo);
        }
    }

    /**
     * The part of {@code xe_exec_ioctl} for objects imported from other devices, with {@code
     * vm->lock} held: locks the reservation of every such object the VM maps ({@code drm_exec}
     * over the VM's external objects). The caller then revalidates them ({@link
     * #revalidateImports}), pushes the job and drops the locks, so no invalidation falls between
     * the rebind and the job's fence in the shared reservation objects. {@code null} for a VM
     * that maps no import: nothing to lock.
     */
    DrmExec lockImports() {
        shared.read();
        if (importedBos == 0) {
            return null;
        }
        List<GemObject> imports = new ArrayList<>();
        for (VmBo vmBo : vmBos.values()) {
            if (vmBo.bo().isImported()) {
                imports.add(vmBo.bo());
            }
        }
        return DrmExec.lock(imports);
    }

    /**
     * {@code xe_vm_validate_rebind} for the imports {@link #lockImports} locked: maps each object
     * invalidated since the last exec again ({@code drm_gpuvm_validate}) and rebinds its PTEs
     * ({@code xe_vm_rebind}). Returns 0, or the first exporter's refusal (a revoked buffer:
     * -ENODEV), which the exec returns as it is; the objects stay marked, and an object that
     * did map again is rebound by the next exec that gets this far.
     */
    int revalidateImports() {
        shared.write();
        if (evictedImports.isEmpty()) {
            return 0;
        }
        for (VmBo vmBo : evictedImports) {
            int ret = vmBo.bo().validateImport(); // maps before notifier_lock: a map may move the exporter
            if (ret < 0) {
                return ret;
            }
        }
        notifierLock().downWrite();
        try {
            for (VmBo vmBo : evictedImports) {
                vmBo.rebind();
            }
        } finally {
            notifierLock().upWrite();
        }
        evictedImports.clear();
        return 0;
    }

    /** The ioctl checked the range first; a refused request here is a model bug. */
    private static VaOps<GpuVaBacking> refusedIsABug(VaOps<GpuVaBacking> ops) {
        if (ops.isError()) {
            throw new IllegalArgumentException("vm_bind range refused by drm_gpuvm: " + Errno.describe(ops.ret()));
        }
        return ops;
    }

    /** Pages of a bind; binds of more than 2^31 pages are not modelled. */
    static int pages(long size) {
        long pages = size >>> PageFrame.PAGE_SHIFT;
        if (pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bind of " + Fmt.size(size) + " is beyond the model");
        }
        return (int) pages;
    }

    /**
     * The VM's invariants on top of drm_gpuvm's own: each object's {@link VmBo} is registered
     * exactly while its {@link GpuvmBo} lives, and every GPU page with a PTE lies in a mapping.
     * Observes only; throws {@link IllegalStateException} on the first broken one.
     */
    void checkInvariants() {
        shared.read();
        ptes.read();
        gpuvm.checkInvariants();
        List<GpuvmBo<GpuVaBacking>> live = gpuvm.vmBos();
        for (VmBo vmBo : vmBos.values()) {
            if (!live.contains(vmBo.gpuvmBo())) {
                throw new IllegalStateException(vmBo + " registered without a live drm_gpuvm_bo");
            }
        }
        for (GpuvmBo<GpuVaBacking> gpuvmBo : live) {
            if (gpuvmBo.obj() instanceof GpuVaBacking.Bo(GemObject bo) && vmBos.get(bo.id()) == null) {
                throw new IllegalStateException(gpuvmBo + " has no vm_bo");
            }
        }
        for (long page : pageTable.keySet()) {
            if (gpuvm.findFirst(page << PageFrame.PAGE_SHIFT, PageFrame.PAGE_SIZE) == null) {
                throw new IllegalStateException("PTE of unmapped " + Fmt.hex(page << PageFrame.PAGE_SHIFT) + " in " + this);
            }
        }
    }

    @Override
    public String toString() {
        return "vm " + id;
    }
}
