package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Models {@code struct xe_vm} (a {@code drm_gpuvm} with its page table): one GPU address space
 * of a DRM file — what each GPU page is bound to (a GEM object page or a userptr page), the GPU
 * page table the device engine translates through, the userptr ranges, and the fences of the
 * jobs still running in it (its {@code dma_resv}, BOOKKEEP usage).
 *
 * <p>Design note. Binds and unbinds are page-granular: a bind first unbinds whatever the range
 * covered, so overlapping binds replace and a partial unbind cuts a range apart. A GEM page's
 * PTE is written with the bind; a userptr page's PTE comes and goes with its CPU pages.
 *
 * <p>Locking, as in xe: {@code vm->lock} (a rwsem) serialises binds (write) against exec
 * (read; write while revalidating userptrs). {@code vm->userptr.notifier_lock} guards the
 * userptr PTEs and the invalidated state: invalidate callbacks take it for writing, binds and
 * exec for reading while they check {@code read_retry} and program PTEs. Lock order:
 * {@code vm->lock} → {@code mmap_lock} → {@code notifier_lock}.
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

    /** What an unbind took away; released after {@code notifier_lock} is dropped. */
    private record Unbound(List<VmBo> vmBos, List<Userptr> userptrs) {
        void release() {
            for (VmBo vmBo : vmBos) {
                vmBo.destroy();
            }
            for (Userptr u : userptrs) {
                u.destroy();
            }
        }
    }

    private final DrmDevice device;
    private final DrmFile creator;
    private final int id;
    private final boolean hasOpenCount;
    private final RwSemaphore lock;
    private final UserptrVm userptr;
    private final DmaResv resv = new DmaResv();
    private final TreeMap<Long, GpuVaPage> vas = new TreeMap<>();
    private final TreeMap<Long, GpuPte> pageTable = new TreeMap<>();
    private final TreeMap<Integer, VmBo> vmBos = new TreeMap<>();
    private int refCount = 1;
    private int openCount;
    private boolean closed;

    /** A new VM with one reference (and, under open-count, one open reference) for the caller. */
    GpuVm(DrmDevice device, DrmFile creator, int id) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.hasOpenCount = device.teardownDesign().hasOpenCount();
        this.openCount = hasOpenCount ? 1 : 0;
        this.lock = new RwSemaphore(device.sim(), "vm->lock " + id, VM_LOCK);
        this.userptr = new UserptrVm(this);
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
        return closed;
    }

    public int refCount() {
        return refCount;
    }

    /** Open references: 1 while the VM's ID exists (open-count), always 0 under refcount-only. */
    public int openCount() {
        return openCount;
    }

    /** The objects mapped in the VM, by object serial number. */
    List<VmBo> vmBos() {
        return List.copyOf(vmBos.values());
    }

    /** The PTE the GPU translates {@code va} through, or {@code null} (a GPU page fault). */
    public GpuPte pte(long va) {
        return pageTable.get(va >>> PageFrame.PAGE_SHIFT);
    }

    /** GPU pages with a PTE. */
    public int pteCount() {
        return pageTable.size();
    }

    /** GPU pages bound to something (with or without a PTE). */
    public int boundPageCount() {
        return vas.size();
    }

    /** Writes the PTE of {@code va}; the caller holds {@code notifier_lock}. */
    void setPte(long va, GpuPte pte) {
        notifierLock().assertHeld();
        pageTable.put(va >>> PageFrame.PAGE_SHIFT, pte);
    }

    /** Clears the PTE of {@code va} (a later GPU access faults); the caller holds {@code notifier_lock}. */
    void clearPte(long va) {
        notifierLock().assertHeld();
        pageTable.remove(va >>> PageFrame.PAGE_SHIFT);
    }

    /** {@code xe_vm_get}. */
    void get() {
        if (refCount <= 0) {
            throw new IllegalStateException("get of freed vm " + id);
        }
        refCount++;
    }

    /**
     * {@code xe_vm_put}: the last reference frees the VM. Under open-count it must have been
     * closed by then; under refcount-only the last put is the Drop that unbinds everything.
     */
    void put() {
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

    /** Maps {@code size} bytes of {@code bo} from {@code boOffset} at {@code va}, replacing what was there. */
    void bindBo(GemObject bo, long boOffset, long va, long size) {
        lock.assertWriteHeld();
        int first = (int) (boOffset >>> PageFrame.PAGE_SHIFT);
        notifierLock().downRead();
        Unbound old;
        try {
            old = unbindLocked(va, size);
            VmBo vmBo = vmBos.computeIfAbsent(bo.id(), k -> new VmBo(this, bo));
            for (int i = 0; i < pages(size); i++) {
                long page = va + ((long) i << PageFrame.PAGE_SHIFT);
                vas.put(page >>> PageFrame.PAGE_SHIFT, new GpuVaPage.BoPage(vmBo, first + i));
                vmBo.pageMapped(page);
                setPte(page, new GpuPte(bo.pageRef(first + i), true));
            }
        } finally {
            notifierLock().upRead();
        }
        old.release();
    }

    /**
     * Mirrors {@code [cpuAddr, cpuAddr + size)} of {@code mm} at {@code va}: 0, or the error of
     * getting the pages (-EFAULT for an unmapped or inaccessible range), in which case nothing
     * changed. Loops while the pages collided with an invalidation.
     */
    int bindUserptr(MmStruct mm, long cpuAddr, long va, long size) {
        lock.assertWriteHeld();
        if (size > DrmDevice.MAX_OBJECT_BYTES) {
            throw new IllegalArgumentException("userptr of " + Fmt.size(size) + " is beyond the model's limit");
        }
        if (cpuAddr < 0 || cpuAddr > MmStruct.TASK_SIZE - size) {
            return Errno.EFAULT.neg(); // not user memory: hmm_range_fault / GUP find no VMA there
        }
        Userptr u = device.createUserptr(this, mm, cpuAddr, va, pages(size));
        u.setup();
        while (true) {
            int ret = u.getPages();
            if (ret < 0) {
                u.destroy();
                return ret;
            }
            notifierLock().downRead();
            Unbound old;
            try {
                if (u.collided()) {
                    continue;
                }
                old = unbindLocked(va, size);
                for (int i = 0; i < u.pageCount(); i++) {
                    vas.put((va >>> PageFrame.PAGE_SHIFT) + i, new GpuVaPage.UserptrPage(u, i));
                    u.markMapped(i);
                }
                userptr.add(u);
                u.program();
            } finally {
                notifierLock().upRead();
            }
            old.release();
            return 0;
        }
    }

    /** Unbinds {@code [va, va + size)}; pages not bound are skipped. */
    void unbind(long va, long size) {
        lock.assertWriteHeld();
        notifierLock().downRead();
        Unbound old;
        try {
            old = unbindLocked(va, size);
        } finally {
            notifierLock().upRead();
        }
        old.release();
    }

    /**
     * {@code xe_vm_close_and_put} without the put: unbinds everything (open count at zero, or the
     * Drop of the last reference under refcount-only). The VM destroy ioctl holds
     * {@code vm->lock}; file release does not need it, because no ioctl can be running on a file
     * being released (each holds a file reference) — and the release may run inside
     * {@code exit_mmap}, under {@code mmap_lock}, where taking {@code vm->lock} would invert the
     * lock order.
     */
    void close() {
        closed = true;
        notifierLock().downRead();
        Unbound old;
        try {
            old = unbindLocked(0, VA_SIZE);
        } finally {
            notifierLock().upRead();
        }
        old.release();
    }

    private Unbound unbindLocked(long va, long size) {
        Unbound out = new Unbound(new ArrayList<>(), new ArrayList<>());
        long from = va >>> PageFrame.PAGE_SHIFT;
        // A snapshot of the keys: TreeMap reuses entry objects when it deletes, so entries
        // taken from a view must not outlive a removal.
        List<Long> keys = new ArrayList<>(vas.subMap(from, true, from + (size >>> PageFrame.PAGE_SHIFT), false).keySet());
        for (long key : keys) {
            GpuVaPage page = vas.remove(key);
            pageTable.remove(key);
            switch (page) {
                case GpuVaPage.BoPage p -> {
                    if (p.vmBo().pageUnmapped(key << PageFrame.PAGE_SHIFT)) {
                        vmBos.remove(p.vmBo().bo().id());
                        out.vmBos().add(p.vmBo());
                    }
                }
                case GpuVaPage.UserptrPage p -> {
                    if (p.userptr().unmapPage(p.index())) {
                        p.userptr().markDestroyed();
                        userptr.remove(p.userptr());
                        out.userptrs().add(p.userptr());
                    }
                }
            }
        }
        return out;
    }

    /** Pages of a bind; binds of more than 2^31 pages are not modelled. */
    private static int pages(long size) {
        long pages = size >>> PageFrame.PAGE_SHIFT;
        if (pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bind of " + Fmt.size(size) + " is beyond the model");
        }
        return (int) pages;
    }


    @Override
    public String toString() {
        return "vm " + id;
    }
}
