package accelmm.rdma;

import accelmm.dmabuf.DmaDevice;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Models an RDMA NIC as user space reaches it: {@code struct ib_device} with an mlx5-like driver
 * and its uverbs character device ({@code /dev/infiniband/uverbsN}, {@code struct
 * ib_uverbs_device}). Every open makes an {@link IbUverbsFile}; the memory regions of all files
 * live in a registry of the device until they are deregistered, so {@link #liveObjects()} can
 * show what is left once every process has exited.
 *
 * <p>The device is the importer a dma-buf exporter sees ({@link DmaDevice}: {@code
 * device->dma_device}), with the scenario's {@code p2p=}.
 */
public final class IbDevice implements DmaDevice {

    /**
     * The largest memory region the model registers: 4G. A region keeps a record per page (a
     * pinned frame, a translation entry), so a larger one would exhaust the model, not the
     * machine; it is refused with -ENOMEM, the errno of the memlock limit a real registration of
     * that size usually meets first.
     */
    static final long MAX_MR_BYTES = 1L << 32;

    private final Kernel kernel;
    private final String name;
    private final boolean peerToPeer;
    private final FileOperations fops = new Fops();
    private final TreeMap<Integer, IbUverbsFile> files = new TreeMap<>();
    /** Every registered memory region not yet deregistered, by serial number. */
    private final TreeMap<Integer, IbMr> mrs = new TreeMap<>();
    private int nextFileId = 1;
    private int nextMrId = 1;
    /** The file and region registries with their serial counters. */
    private final Shared shared;

    /** A NIC that can ({@code peerToPeer}) or cannot reach other devices' memory over the bus. */
    public IbDevice(Kernel kernel, String name, boolean peerToPeer) {
        this.kernel = kernel;
        this.name = name;
        this.peerToPeer = peerToPeer;
        this.shared = kernel.sim().shared("ib device");
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether the NIC takes part in PCI peer-to-peer DMA (the scenario's {@code p2p=yes}). */
    @Override
    public boolean peerToPeer() {
        return peerToPeer;
    }

    Kernel kernel() {
        return kernel;
    }

    Simulation sim() {
        return kernel.sim();
    }

    /**
     * {@code open("/dev/infiniband/uverbs0")} ({@code ib_uverbs_open}): a new uverbs file,
     * installed in {@code task}'s file table. The user context ({@code ib_ucontext}, made by the
     * first command in Linux) and one protection domain are implicit: the language has neither,
     * and every region of the file belongs to that one domain. Returns the fd, or -EMFILE.
     */
    public int open(Task task, boolean cloexec) {
        sim().preemptionPoint("open " + name);
        shared.write();
        IbUverbsFile uverbsFile = new IbUverbsFile(this, nextFileId++);
        files.put(uverbsFile.id(), uverbsFile);
        File file = kernel.openFile(fops, true, true, uverbsFile);
        int fd = task.installFile(file, cloexec);
        if (sim().tracing()) {
            sim().traceOperation("open " + name + (cloexec ? " cloexec" : ""), describe(fd));
        }
        return fd;
    }

    /** {@code uverbs_mmap_fops}: what the file layer calls on a uverbs file. */
    private final class Fops implements FileOperations {

        /** {@code ib_uverbs_close}: the last reference went; every object of the file is destroyed. */
        @Override
        public void release(File file) {
            IbUverbsFile uverbsFile = (IbUverbsFile) file.privateData();
            uverbsFile.release();
            shared.write();
            files.remove(uverbsFile.id());
        }

        @Override
        public String name() {
            return "uverbs " + name;
        }
    }

    /** A serial number for a new memory region, for reports. */
    int nextMrSerial() {
        shared.write();
        return nextMrId++;
    }

    void registered(IbMr mr) {
        shared.write();
        mrs.put(mr.serial(), mr);
    }

    void deregistered(IbMr mr) {
        shared.write();
        if (mrs.remove(mr.serial()) != mr) {
            throw new IllegalStateException("dereg of " + mr + ", which is not registered");
        }
    }

    /**
     * The memory regions not yet deregistered, one line each with what holds it, e.g. {@code
     * nic0 mr 1 (16K of user memory at 0x10000) held by uverbs file 1}. Empty once every file of
     * the device has been released: closing a file deregisters its regions (RMR-07).
     */
    public List<String> liveObjects() {
        shared.read();
        List<String> out = new ArrayList<>();
        mrs.values().forEach(mr -> out.add(line(mr)));
        return out;
    }

    /**
     * {@link #liveObjects()} as {@code replay --show} lists them, each region with the frames its
     * translation table points at ({@code nic0 mr 1 (4K of dma-buf 2) held by uverbs file 1; mtt
     * -> pfn 1@acc0 dram}).
     */
    public List<String> shownObjects() {
        shared.read();
        List<String> out = new ArrayList<>();
        mrs.values().forEach(mr -> out.add(line(mr) + "; " + mr.describeMtt()));
        return out;
    }

    private String line(IbMr mr) {
        return name + " " + mr.describe() + " held by uverbs file " + mr.file().id();
    }

    /** Adds the regions not yet deregistered to {@code graph} ({@code IbMr#addTo}). */
    public void addTo(ObjectGraph graph) {
        shared.read();
        mrs.values().forEach(mr -> mr.addTo(graph));
    }

    /** A return value as a trace shows it: the value, or the errno's name. */
    static String describe(long ret) {
        return Errno.isError(ret) ? Errno.ofReturn(ret).name() : Long.toString(ret);
    }

    @Override
    public String toString() {
        return "rdma " + name;
    }
}
