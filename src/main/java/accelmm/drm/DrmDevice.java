package accelmm.drm;

import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MmStruct;
import accelmm.mm.MmapSetup;
import accelmm.mm.Principal;
import accelmm.mm.Task;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Models a DRM device ({@code struct drm_device} with an xe-like driver): its device file
 * ({@code /dev/dri/renderD*}), the objects its clients create, the offset space for CPU mmaps
 * of GEM objects ({@code drm_vma_offset_manager}) and its execution engine.
 *
 * <p>Every file opened on the device has the device's {@link FileOperations} ({@code
 * drm_driver.fops}) and its {@link DrmFile} as private data. The ioctls are methods of {@link
 * DrmFile}.
 *
 * <p>Every GEM object, VM, exec queue and userptr range lives in a registry of the device
 * until it is freed, so that {@link #liveObjects()} can show what leaked once every process
 * has exited.
 */
public final class DrmDevice {

    /** {@code DRM_FILE_PAGE_OFFSET_START} on 64-bit: fake offsets start at 4G, in pages. */
    static final long DRM_FILE_PAGE_OFFSET_START = (0xFFFFFFFFL >>> 12) + 1;
    /**
     * The largest buffer (GEM object or userptr range) the model simulates: 4G. Every page of a
     * buffer is a frame object, so a larger one would exhaust the model, not the machine.
     */
    static final long MAX_OBJECT_BYTES = 1L << 32;

    private final Kernel kernel;
    private final String name;
    private final GpuEngine engine;
    private final FileOperations fops = new Fops();
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

    public DrmDevice(Kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
        this.engine = new GpuEngine(this);
    }

    /** The device's name, e.g. {@code gpu0}. */
    public String name() {
        return name;
    }

    public Kernel kernel() {
        return kernel;
    }

    Simulation sim() {
        return kernel.sim();
    }

    GpuEngine engine() {
        return engine;
    }

    /** The userptr design of this run ({@code design userptr=...}). */
    public UserptrDesign userptrDesign() {
        return kernel.designs().get(UserptrDesign.class);
    }

    /**
     * {@code open("/dev/dri/renderD128")}: a new DRM file with its own handle tables, installed in
     * {@code task}'s file table. Returns the fd, or -EMFILE.
     */
    public int open(Task task, boolean cloexec) {
        sim().preemptionPoint("open " + name);
        DrmFile drmFile = new DrmFile(this, nextFileId++);
        File file = kernel.openFile(fops, true, true, drmFile);
        int fd = task.installFile(file, cloexec);
        sim().traceOperation("open " + name + (cloexec ? " cloexec" : ""), Fmt.value(fd));
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

    GemObject createObject(long sizeBytes) {
        GemObject obj = new GemObject(this, nextObjectId++, sizeBytes, nextOffsetPage);
        nextOffsetPage += obj.pageCount();
        objects.put(obj.id(), obj);
        offsets.put(obj.offsetPage(), obj);
        return obj;
    }

    /** {@code drm_vma_offset_exact_lookup_locked}: the object whose range starts at {@code pgoff}. */
    GemObject objectAtOffset(long pgoff) {
        return offsets.get(pgoff);
    }

    void gemFreed(GemObject obj) {
        objects.remove(obj.id());
        offsets.remove(obj.offsetPage());
    }

    GpuVm createVm() {
        GpuVm vm = new GpuVm(this, nextVmId++);
        vms.put(vm.id(), vm);
        return vm;
    }

    void vmFreed(GpuVm vm) {
        vms.remove(vm.id());
    }

    ExecQueue createQueue(GpuVm vm, Principal principal) {
        ExecQueue q = new ExecQueue(this, nextQueueId++, vm, principal);
        queues.put(q.id(), q);
        return q;
    }

    void queueFreed(ExecQueue q) {
        queues.remove(q.id());
    }

    Userptr createUserptr(GpuVm vm, MmStruct mm, long cpuAddr, long va, int pageCount) {
        Userptr u = new Userptr(vm, nextUserptrId++, userptrDesign(), mm, cpuAddr, va, pageCount);
        userptrs.put(u.id(), u);
        return u;
    }

    void userptrFreed(Userptr u) {
        userptrs.remove(u.id());
    }

    /**
     * Everything of this device not yet freed, one description per object: GEM objects, VMs,
     * exec queues, userptr ranges, in that order and by creation within each kind. Empty once
     * every file of the device has been released (the leak invariant).
     */
    public List<String> liveObjects() {
        List<String> out = new ArrayList<>();
        objects.values().forEach(o -> out.add(name + " " + o.describe()));
        vms.values().forEach(v -> out.add(name + " " + v.describe()));
        queues.values().forEach(q -> out.add(name + " " + q.describe()));
        userptrs.values().forEach(u -> out.add(name + " " + u.describe()));
        return out;
    }

    @Override
    public String toString() {
        return "drm " + name;
    }
}
