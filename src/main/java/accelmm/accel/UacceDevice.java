package accelmm.accel;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryZone;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Models {@code struct uacce_device} with the queue allocation of its driver, HiSilicon's QM
 * (drivers/crypto/hisilicon/qm.c): a queue-based accelerator shared by any number of processes
 * up to its hardware queues ({@code device ACC kind=accel queues=N}, 16 by default). Every open
 * of the device file is a new queue ({@link UacceQueue}, UA-01); the device is SVA-capable, so
 * the queue is bound to the opener's address space by PASID ({@link IommuSva}) and the device's
 * DMA translates through that process's page tables ({@link UacceEngine}).
 *
 * <p>Kernel sources followed: drivers/misc/uacce/uacce.c ({@code uacce_fops_open}, {@code
 * uacce_bind_queue}), drivers/crypto/hisilicon/qm.c ({@code hisi_qm_uacce_get_queue}, {@code
 * qm_create_qp_nolock}: -EBUSY when every queue is in use; queue ids from {@code
 * idr_alloc_cyclic}), drivers/iommu/iommu-sva.c.
 */
public final class UacceDevice {

    private final Kernel kernel;
    private final String name;
    private final int queueCount;
    private final IommuSva iommu;
    private final MemoryZone mmio;
    private final FileOperations fops = new Fops();
    private final UacceEngine engine;
    /** {@code qm->qp_idr}: the queues in use, by hardware queue id. */
    private final TreeMap<Integer, UacceQueue> queues = new TreeMap<>();
    /** Where {@code idr_alloc_cyclic} starts its next search. */
    private int nextQpId;
    /** The queue table and its cursor. */
    private final Shared shared;

    /**
     * A device with {@code queueCount} hardware queues whose SVA binds go through {@code iommu},
     * the machine's IOMMU.
     */
    public UacceDevice(Kernel kernel, String name, int queueCount, IommuSva iommu) {
        if (queueCount <= 0) {
            throw new IllegalArgumentException("a device has at least one queue: " + queueCount);
        }
        this.kernel = kernel;
        this.name = name;
        this.queueCount = queueCount;
        this.iommu = iommu;
        this.mmio = new MemoryZone(name + " mmio", true);
        this.shared = kernel.sim().shared("uacce device");
        this.engine = new UacceEngine(this);
    }

    public String name() {
        return name;
    }

    Kernel kernel() {
        return kernel;
    }

    Simulation sim() {
        return kernel.sim();
    }

    UacceEngine engine() {
        return engine;
    }

    /** How the device reaches process memory ({@code design accel=...}). */
    AccelDesign accelDesign() {
        return kernel.designs().get(AccelDesign.class);
    }

    /** What the driver's queue mappings get across fork ({@code design queue-mmap=...}). */
    QueueMmapDesign mmapDesign() {
        return kernel.designs().get(QueueMmapDesign.class);
    }

    /**
     * {@code uacce_fops_open}: under {@code accel=sva} binds the opener's address space (a PASID per mm, one SVA domain
     * per device and mm shared by the mm's queues), then asks the driver for a hardware queue
     * ({@code hisi_qm_uacce_get_queue}): -EBUSY when all of them are in use, and the bind is
     * undone (the mm keeps its PASID). Then the file, installed in {@code task}'s table: the fd,
     * or -EMFILE (the file's release puts the queue again).
     */
    public int open(Task task, boolean cloexec) {
        sim().preemptionPoint("open " + name);
        IommuSva.Domain domain = accelDesign() == AccelDesign.SVA ? iommu.bind(name, task.mm()) : null;
        int qpId = allocQpId();
        int ret;
        if (qpId < 0) {
            if (domain != null) {
                iommu.unbind(domain);
            }
            ret = Errno.EBUSY.neg();
        } else {
            UacceQueue q = new UacceQueue(this, qpId, task.principal(), domain);
            shared.write();
            queues.put(qpId, q);
            File file = kernel.openFile(fops, true, true, q);
            q.opened(file);
            ret = task.installFile(file, cloexec);
        }
        trace("open " + name + (cloexec ? " cloexec" : ""), Errno.isError(ret) ? Errno.describe(ret)
                : ret + " (queue " + qpId + (domain != null ? ", pasid " + domain.pasid() : ", no pasid") + ")");
        return ret;
    }

    /** {@code qm_create_qp_nolock}: the next free id at or after the cursor, wrapping; -1 when all are used. */
    private int allocQpId() {
        shared.write();
        if (queues.size() == queueCount) {
            return -1;
        }
        int id = nextQpId;
        while (queues.containsKey(id)) {
            id = (id + 1) % queueCount;
        }
        nextQpId = (id + 1) % queueCount;
        return id;
    }

    /** {@code hisi_qm_uacce_put_queue}: the hardware queue is free again. */
    void putQueue(UacceQueue q) {
        shared.write();
        if (queues.remove(q.qpId()) != q) {
            throw new IllegalStateException(q + " put twice");
        }
    }

    void unbind(IommuSva.Domain domain) {
        iommu.unbind(domain);
    }

    /** A frame of the device's MMIO space: a queue's doorbell page. */
    PageFrame allocMmioPage() {
        return kernel.physicalMemory().allocPage(mmio);
    }

    void trace(String operation, String result) {
        if (sim().tracing()) {
            sim().traceOperation(operation, result);
        }
    }

    /** The queues not yet released, each with what holds its file, for the leak invariant. */
    public List<String> liveObjects() {
        shared.read();
        List<String> out = new ArrayList<>();
        queues.values().forEach(q -> out.add(line(q)));
        return out;
    }

    /**
     * {@link #liveObjects()} as {@code replay --show} lists them, each queue with its DMA
     * mappings and the frames behind them ({@code ...; dma map 0x10000000 -> pfn 1..4}).
     */
    public List<String> shownObjects() {
        shared.read();
        List<String> out = new ArrayList<>();
        for (UacceQueue q : queues.values()) {
            List<String> maps = q.describeDmaMaps();
            out.add(line(q) + (maps.isEmpty() ? "" : "; " + String.join(", ", maps)));
        }
        return out;
    }

    private static String line(UacceQueue q) {
        return q + " held by " + q.filp().refCount() + " file reference(s)";
    }

    /** Adds the queues not yet released to {@code graph} ({@code UacceQueue#addTo}). */
    public void addTo(ObjectGraph graph) {
        shared.read();
        queues.values().forEach(q -> q.addTo(graph));
    }

    @Override
    public String toString() {
        return "uacce " + name;
    }

    /** {@code uacce_fops}: mmap and release of a queue's file (ioctl and poll are called directly). */
    private static final class Fops implements FileOperations {

        @Override
        public int mmap(File file, MmapSetup setup) {
            return ((UacceQueue) file.privateData()).mmap(setup);
        }

        @Override
        public void release(File file) {
            ((UacceQueue) file.privateData()).release();
        }

        @Override
        public String name() {
            return "uacce queue";
        }
    }
}
