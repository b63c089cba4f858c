package accelmm.drm;

import accelmm.dmabuf.DmaBufAttachment;
import accelmm.dmabuf.DmaDevice;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MmStruct;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Task;
import accelmm.sim.LockClass;
import accelmm.sim.ObjectGraph;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Models a DRM device ({@code struct drm_device} with an xe-like driver): its device file
 * ({@code /dev/dri/renderD*}), the objects its clients create, the offset space for CPU mmaps
 * of GEM objects ({@code drm_vma_offset_manager}) and its execution engine.
 *
 * <p>Every file opened on the device has the device's {@link FileOperations} ({@code
 * drm_driver.fops}) and its {@link DrmFile} as private data. The ioctls are methods of {@link
 * DrmFile}. Under {@code handles=device-global} the device also owns the one ID table per kind
 * that every file allocates from; each lookup an ioctl makes is reported to the {@link
 * HandleLookupObserver}s.
 *
 * <p>Every open file, GEM object, VM, exec queue and userptr range lives in a registry of the
 * device until it is released or freed, so that {@link #liveObjects()} can show what leaked
 * once every process has exited, and what still holds it ({@link HeldBy}).
 *
 * <p>The device owns its VRAM ({@link Vram}: a {@link DrmBuddy} over frames of the device's
 * own memory zone, {@code gpu0 vram}) and keeps which object each frame of a GEM object backs,
 * so a job can find the objects it touches (their {@code dma_resv}) from its GPU PTEs.
 */
public final class DrmDevice implements DmaDevice {

    /** {@code DRM_FILE_PAGE_OFFSET_START} on 64-bit: fake offsets start at 4G, in pages. */
    static final long DRM_FILE_PAGE_OFFSET_START = (0xFFFFFFFFL >>> 12) + 1;
    /**
     * The largest buffer (GEM object or userptr range) the model simulates: 4G. A buffer keeps
     * a record per page (an array slot, a frame once touched, a GPU PTE once bound), so a larger
     * one would exhaust the model, not the machine.
     */
    static final long MAX_OBJECT_BYTES = 1L << 32;
    /** VRAM of a device line without {@code vram=}: 256M. */
    public static final long DEFAULT_VRAM_BYTES = 256L << 20;

    private final Kernel kernel;
    private final String name;
    /** Reaches, and is reached by, peers' memory over the bus ({@code pci_p2pdma_distance} >= 0). */
    private final boolean peerToPeer;
    private final GpuEngine engine;
    /** The device memory, or {@code null} for a device without VRAM ({@code vram=0}). */
    private final Vram vram;
    /** The GEM object each frame of an object backs, by pfn. */
    private final TreeMap<Long, GemObject> frameOwners = new TreeMap<>();
    private final FileOperations fops = new Fops();
    private final List<HandleLookupObserver> lookupObservers = new ArrayList<>();
    /** The ID tables of {@code handles=device-global}, shared by every file. */
    private final IdTable<FileIds.Entry<GemObject>> globalObjectIds;
    private final IdTable<FileIds.Entry<GpuVm>> globalVmIds;
    private final IdTable<FileIds.Entry<ExecQueue>> globalQueueIds;
    private final TreeMap<Integer, DrmFile> files = new TreeMap<>();
    private final TreeMap<Integer, GemObject> objects = new TreeMap<>();
    private final TreeMap<Integer, GpuVm> vms = new TreeMap<>();
    private final TreeMap<Integer, ExecQueue> queues = new TreeMap<>();
    private final TreeMap<Integer, Userptr> userptrs = new TreeMap<>();
    /** The mmap offset space: first page of each object's range to the object. */
    private final TreeMap<Long, GemObject> offsets = new TreeMap<>();
    private long nextOffsetPage = DRM_FILE_PAGE_OFFSET_START;
    private int nextFileId = 1;
    private int nextObjectId = 1;
    private int nextVmId = 1;
    private int nextQueueId = 1;
    private int nextUserptrId = 1;
    /**
     * The registries of files, objects, VMs, queues and userptrs, the mmap offsets and the next
     * IDs (which ID an object gets depends on the order of the creations: a real conflict). The
     * lookup observers and the debugger's hooks are set up before the run and only read in it.
     */
    private final Shared registry;
    /** Which object owns which frame, by page frame number ({@code [pfn, pfn + 1)}). */
    private final Shared frameOwnersShared;
    /** The EU debugger's hooks, or {@code null}: a device nobody can debug. */
    private EudebugHooks eudebug;
    /** {@code xe->eudebug.discovery_lock}, made with the hooks; {@code null} without them. */
    private RwSemaphore discoveryLock;

    /** The lockdep class of every device's {@code xe->eudebug.discovery_lock}. */
    public static final LockClass DISCOVERY_LOCK = new LockClass("xe->eudebug.discovery_lock");

    /** A device with {@link #DEFAULT_VRAM_BYTES} of VRAM. */
    public DrmDevice(Kernel kernel, String name) {
        this(kernel, name, DEFAULT_VRAM_BYTES, false);
    }

    /** A device with {@code vramBytes} of VRAM (rounded down to pages; less than a page is none). */
    public DrmDevice(Kernel kernel, String name, long vramBytes) {
        this(kernel, name, vramBytes, false);
    }

    /** A device that can ({@code peerToPeer}) or cannot reach other devices' memory over the bus. */
    public DrmDevice(Kernel kernel, String name, boolean peerToPeer) {
        this(kernel, name, DEFAULT_VRAM_BYTES, peerToPeer);
    }

    /**
     * A device with {@code vramBytes} of VRAM that can ({@code peerToPeer}) or cannot reach other
     * devices' memory over the bus.
     */
    public DrmDevice(Kernel kernel, String name, long vramBytes, boolean peerToPeer) {
        this.kernel = kernel;
        this.name = name;
        this.peerToPeer = peerToPeer;
        Simulation sim = kernel.sim();
        this.registry = sim.shared("drm device");
        this.frameOwnersShared = sim.shared("drm frame owners");
        this.globalObjectIds = new IdTable<>(sim.shared("drm ids"));
        this.globalVmIds = new IdTable<>(sim.shared("drm ids"));
        this.globalQueueIds = new IdTable<>(sim.shared("drm ids"));
        this.engine = new GpuEngine(this);
        this.vram = vramBytes >= PageFrame.PAGE_SIZE ? new Vram(kernel.physicalMemory(), name, vramBytes, sim.shared("vram")) : null;
    }

    /** The device's name, e.g. {@code gpu0}. */
    @Override
    public String name() {
        return name;
    }

    public Kernel kernel() {
        return kernel;
    }

    Simulation sim() {
        return kernel.sim();
    }

    /** Whether the device takes part in PCI peer-to-peer DMA (the scenario's {@code p2p=yes}). */
    @Override
    public boolean peerToPeer() {
        return peerToPeer;
    }

    GpuEngine engine() {
        return engine;
    }

    /** The device's VRAM, or {@code null} when it has none. */
    Vram vram() {
        return vram;
    }

    /** Bytes of VRAM the device has (0 without VRAM). */
    public long vramSizeBytes() {
        return vram == null ? 0 : vram.sizeBytes();
    }

    /** Bytes of VRAM not allocated ({@code mm->avail} of its buddy). */
    public long vramAvailableBytes() {
        return vram == null ? 0 : vram.availableBytes();
    }

    /**
     * Moves {@code obj} out of VRAM into system memory, as the kernel's memory management does
     * ({@link GemEvict}): 0, -EBUSY when it is pinned there, -EINVAL when it may not be in VRAM
     * at all, -ENOENT when it has been freed.
     */
    public int evict(GemObject obj) {
        return GemEvict.evict(obj, GemEvict.Variant.FAITHFUL);
    }

    /** The userptr design of this run ({@code design userptr=...}). */
    public UserptrDesign userptrDesign() {
        return kernel.designs().get(UserptrDesign.class);
    }

    /** The handles design of this run ({@code design handles=...}). */
    public HandlesDesign handlesDesign() {
        return kernel.designs().get(HandlesDesign.class);
    }

    /** The teardown design of this run ({@code design teardown=...}). */
    public TeardownDesign teardownDesign() {
        return kernel.designs().get(TeardownDesign.class);
    }

    /** Reports every later ioctl lookup of an object by ID to {@code observer}. */
    public void addLookupObserver(HandleLookupObserver observer) {
        lookupObservers.add(observer);
    }

    void reportLookup(DrmFile caller, DrmObject object, boolean obtained, String ioctl) {
        for (HandleLookupObserver o : lookupObservers) {
            o.onLookup(caller, object, obtained, ioctl);
        }
    }

    IdTable<FileIds.Entry<GemObject>> globalObjectIds() {
        return globalObjectIds;
    }

    IdTable<FileIds.Entry<GpuVm>> globalVmIds() {
        return globalVmIds;
    }

    IdTable<FileIds.Entry<ExecQueue>> globalQueueIds() {
        return globalQueueIds;
    }

    /**
     * {@code open("/dev/dri/renderD128")}: a new DRM file (with its own ID tables under
     * per-file handles), installed in {@code task}'s file table. Returns the fd, or -EMFILE.
     */
    public int open(Task task, boolean cloexec) {
        sim().preemptionPoint("open " + name);
        registry.write();
        DrmFile drmFile = new DrmFile(this, nextFileId++, task.principal(), task.pid());
        discoveryLocked(() -> {
            // xe_file_open: the file joins the device's client list, then the debugger hears of it.
            registry.write();
            files.put(drmFile.id(), drmFile);
            if (eudebug != null) {
                eudebug.fileOpen(drmFile);
            }
            return 0;
        });
        File file = kernel.openFile(fops, true, true, drmFile);
        int fd = task.installFile(file, cloexec);
        if (sim().tracing()) {
            sim().traceOperation("open " + name + (cloexec ? " cloexec" : ""), Fmt.value(fd));
        }
        return fd;
    }

    /** {@code drm_driver.fops}: what the mm and file layers call on a DRM file. */
    private final class Fops implements FileOperations {

        /** {@code drm_gem_mmap}: maps the GEM object whose fake offset is {@code setup.pgoff()}. */
        @Override
        public int mmap(File file, MmapSetup setup) {
            return ((DrmFile) file.privateData()).mmap(setup);
        }

        /** {@code drm_release}: the last reference to the file went. */
        @Override
        public void release(File file) {
            ((DrmFile) file.privateData()).release();
        }

        @Override
        public String name() {
            return "drm " + name;
        }
    }

    // ---- object registries ------------------------------------------------------------------

    /** The files not yet released, by serial number. */
    List<DrmFile> openFiles() {
        registry.read();
        return List.copyOf(files.values());
    }

    // ---- the EU debugger's hooks ---------------------------------------------------------------

    /**
     * Makes the device debuggable: from now on its open, VM, bind and exec-queue ioctls call
     * {@code hooks} and take the discovery lock for reading. Done once, before the run; a device
     * without it keeps the schedules it had (no lock, no preemption point of its own).
     */
    public void installEudebug(EudebugHooks hooks) {
        if (eudebug != null) {
            throw new IllegalStateException(name + " already has a debugger");
        }
        eudebug = hooks;
        discoveryLock = new RwSemaphore(sim(), "discovery_lock " + name, DISCOVERY_LOCK);
    }

    /** {@code xe->eudebug.discovery_lock}, or {@code null} when no debugger is installed. */
    public RwSemaphore discoveryLock() {
        return discoveryLock;
    }

    /** The debugger's hooks, or {@code null}. */
    EudebugHooks eudebug() {
        return eudebug;
    }

    /**
     * Runs {@code ioctl} as {@code xe_drm_ioctl} runs the ioctls {@code xe_eudebug_needs_lock}
     * names (VM create, destroy and bind, exec-queue create and destroy; and the debugger's
     * connect): under the discovery lock for reading, so that they wait while discovery replays
     * the debuggee's resources and none of their events is lost or sent twice.
     */
    int discoveryLocked(IntSupplier ioctl) {
        if (discoveryLock == null) {
            return ioctl.getAsInt();
        }
        discoveryLock.downRead();
        try {
            return ioctl.getAsInt();
        } finally {
            discoveryLock.upRead();
        }
    }

    void fileReleased(DrmFile file) {
        registry.write();
        files.remove(file.id());
    }

    /**
     * {@code xe_bo_create_user}: an object where {@code placement} allows and there is room, or
     * {@code null} when no allowed region has room (-ENOSPC: only VRAM can be full in the model).
     * As {@code ttm_bo_validate} tries it: VRAM as it is (xe marks the system placement of a
     * {@code vram,system} object FALLBACK, so the first pass leaves it out), then VRAM after
     * evicting other objects ({@link EvictWalk}), then system memory if the placement allows it.
     * The caller checked that the object is not larger than the whole VRAM.
     */
    GemObject createObject(DrmFile creator, long sizeBytes, GemPlacement placement, GemCaching caching) {
        int pageCount = Math.toIntExact(sizeBytes >>> PageFrame.PAGE_SHIFT);
        Vram.Allocation inVram = null;
        if (placement.allowsVram()) {
            inVram = vram.alloc(pageCount);
            if (inVram == null) {
                inVram = EvictWalk.evictAlloc(this, pageCount);
            }
        }
        if (inVram == null && !placement.allowsSystem()) {
            return null;
        }
        registry.write();
        GemObject obj = new GemObject(this, creator, nextObjectId++, sizeBytes, nextOffsetPage, placement, caching,
                inVram);
        nextOffsetPage += obj.pageCount();
        objects.put(obj.id(), obj);
        offsets.put(obj.offsetPage(), obj);
        return obj;
    }

    /**
     * An object of this device over another device's dma-buf, which {@code imported} attached to
     * ({@link PrimeImport}), holding the caller's reference on the buffer.
     */
    GemObject importObject(DrmFile creator, PrimeImport imported) {
        registry.write();
        GemObject obj = new GemObject(this, creator, nextObjectId++, imported, nextOffsetPage);
        nextOffsetPage += obj.pageCount();
        objects.put(obj.id(), obj);
        offsets.put(obj.offsetPage(), obj);
        return obj;
    }

    /** {@code drm_vma_offset_exact_lookup_locked}: the object whose range starts at {@code pgoff}. */
    GemObject objectAtOffset(long pgoff) {
        registry.read();
        return offsets.get(pgoff);
    }

    /** The frames of {@code obj} are now {@code frames} ({@code null} for a page not touched yet). */
    void framesOwned(GemObject obj, PageFrame[] frames) {
        for (PageFrame f : frames) {
            if (f != null) {
                frameOwned(obj, f);
            }
        }
    }

    /** {@code frame} now backs a page of {@code obj}. */
    void frameOwned(GemObject obj, PageFrame frame) {
        frameOwnersShared.write(frame.pfn(), frame.pfn() + 1);
        frameOwners.put(frame.pfn(), obj);
    }

    /** The frames no longer back an object (it moved or went); {@code null} entries are skipped. */
    void framesReleased(PageFrame[] frames) {
        for (PageFrame f : frames) {
            if (f != null) {
                frameOwnersShared.write(f.pfn(), f.pfn() + 1);
                frameOwners.remove(f.pfn());
            }
        }
    }

    /** The object whose page {@code ref} is now (same allocation of the frame), or {@code null}. */
    GemObject objectOf(PhysicalMemory.FrameRef ref) {
        frameOwnersShared.read(ref.frame().pfn(), ref.frame().pfn() + 1);
        GemObject obj = frameOwners.get(ref.frame().pfn());
        return obj != null && ref.frame().generation() == ref.generation() ? obj : null;
    }

    void gemFreed(GemObject obj) {
        registry.write();
        objects.remove(obj.id());
        offsets.remove(obj.offsetPage());
    }

    GpuVm createVm(DrmFile creator) {
        registry.write();
        GpuVm vm = new GpuVm(this, creator, nextVmId++);
        vms.put(vm.id(), vm);
        return vm;
    }

    void vmFreed(GpuVm vm) {
        registry.write();
        vms.remove(vm.id());
    }

    ExecQueue createQueue(DrmFile creator, GpuVm vm, Principal principal) {
        registry.write();
        ExecQueue q = new ExecQueue(this, creator, nextQueueId++, vm, principal);
        queues.put(q.id(), q);
        return q;
    }

    /**
     * The queue a job timeout of this device is charged to: the most recently created exec queue
     * that has been given a job and is neither killed (destroyed, its file closed) nor banned,
     * or {@code null}. The model has no job timer; xe's timeout handler ({@code
     * guc_exec_queue_timedout_job}) runs for the queue of the job that timed out, and never dumps
     * for a killed queue (DCD-01), so the model charges the latest live queue with work.
     */
    public ExecQueue hungQueue() {
        registry.read();
        for (ExecQueue q : queues.descendingMap().values()) {
            if (q.lastFence() != null && !q.resetStatus()) {
                return q;
            }
        }
        return null;
    }

    void queueFreed(ExecQueue q) {
        registry.write();
        queues.remove(q.id());
    }

    Userptr createUserptr(GpuVm vm, MmStruct mm, long cpuAddr, long va, int pageCount) {
        registry.write();
        Userptr u = new Userptr(vm, nextUserptrId++, userptrDesign(), mm, cpuAddr, va, pageCount);
        userptrs.put(u.id(), u);
        return u;
    }

    void userptrFreed(Userptr u) {
        registry.write();
        userptrs.remove(u.id());
    }

    /**
     * Everything of this device not yet freed, one line per object with what holds it: GEM
     * objects, VMs, exec queues, userptr ranges, in that order and by creation within each kind,
     * e.g. {@code gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000} and {@code gpu0 vm 1
     * held by gem object 1 back-reference} — the two halves of a cycle. Empty once every file
     * of the device has been released, unless something leaked (the leak invariant).
     */
    public List<String> liveObjects() {
        return objectLines(false);
    }

    /**
     * {@link #liveObjects()} as {@code replay --show} lists them: each mapping also names the
     * frames its GPU PTEs point at, a userptr range's {@code gpu ptes -> pfn 1..4} and a GEM
     * object's {@code vm 1 mapping va 0x200000 -> pfn 5..8@gpu0 vram}.
     */
    public List<String> shownObjects() {
        return objectLines(true);
    }

    private List<String> objectLines(boolean withFrames) {
        registry.read();
        HeldBy heldBy = heldBy(withFrames);
        List<String> out = new ArrayList<>();
        objects.values().forEach(o -> out.add(name + " " + heldBy.gem(o)));
        vms.values().forEach(v -> out.add(name + " " + heldBy.vm(v)));
        queues.values().forEach(q -> out.add(name + " " + heldBy.queue(q)));
        for (Userptr u : userptrs.values()) {
            String frames = withFrames ? "; " + u.describeGpuPtes() : "";
            out.add(name + " " + u.describe() + " held by " + u.vm().label() + frames);
        }
        return out;
    }

    /**
     * Adds this device's objects and who holds each to {@code graph} (see {@code HeldBy}): the
     * same references {@link #liveObjects()} describes, as data, with the frames behind them.
     */
    public void addTo(ObjectGraph graph) {
        registry.read();
        heldBy(false).addTo(graph, name, List.copyOf(userptrs.values()));
    }

    private HeldBy heldBy(boolean withFrames) {
        return new HeldBy(List.copyOf(files.values()), List.copyOf(objects.values()),
                List.copyOf(queues.values()), List.copyOf(vms.values()), withFrames);
    }

    @Override
    public String toString() {
        return "drm " + name;
    }
}
