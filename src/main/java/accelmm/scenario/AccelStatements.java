package accelmm.scenario;

import accelmm.accel.HlDevice;
import accelmm.accel.HlFpriv;
import accelmm.accel.IommuSva;
import accelmm.accel.UacceDevice;
import accelmm.accel.UacceDoorbell;
import accelmm.accel.UacceQueue;
import accelmm.mm.FdTable;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The statements of {@code kind=accel} devices, built from the scenario's device lines: the
 * habanalabs-style exclusive accelerators ({@code exclusive=yes}) and the uacce queue devices
 * ({@code exclusive=no}) of the {@code accel} layer, the latter sharing the machine's one IOMMU.
 * {@code open} is traced by the device; the ioctls and {@code submit} by the interpreter, as
 * written.
 */
final class AccelStatements {

    private final Map<String, HlDevice> devices = new LinkedHashMap<>();
    private final Map<String, UacceDevice> queueDevices = new LinkedHashMap<>();

    AccelStatements(World world) {
        IommuSva iommu = new IommuSva(world.sim);
        for (Device d : world.scenario.devices()) {
            if (d.kind() == Device.Kind.ACCEL && d.exclusive()) {
                devices.put(d.name(), new HlDevice(world.kernel, d.name(), d.vramBytes(), d.p2p()));
            } else if (d.kind() == Device.Kind.ACCEL) {
                queueDevices.put(d.name(), new UacceDevice(world.kernel, d.name(), d.queueCount(), iommu));
            }
        }
    }

    /** Whether {@code name} is an accelerator, of either kind. */
    boolean hasDevice(String name) {
        return devices.containsKey(name) || queueDevices.containsKey(name);
    }

    /** Performs an accelerator statement on behalf of {@code self}. */
    ThreadInterpreter.Result perform(Statement.Call c, ProcessState self, Evaluator eval) {
        Task task = self.task;
        if (c.operation() == Operation.SUBMIT) {
            return submit(task, c, eval);
        }
        return ThreadInterpreter.Result.of(switch (c.operation()) {
            case OPEN -> open(task, c.word("device"), c.hasFlag("cloexec"));
            case MEM_ALLOC -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memAlloc(eval.number(c.scalar("size"))));
            case MEM_FREE -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memFree(eval.id(c.scalar("h"))));
            case MEM_EXPORT -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memExport(task, eval.id(c.scalar("h")),
                    c.hasFlag("rdwr")));
            case START_Q -> queueIoctl(task, eval.fd(c.scalar("fd")), UacceQueue::startQ);
            case PUT_Q -> queueIoctl(task, eval.fd(c.scalar("fd")), UacceQueue::putQ);
            case DMA_MAP -> queueIoctl(task, eval.fd(c.scalar("fd")), q -> q.dmaMap(task, eval.number(c.scalar("addr")),
                    eval.number(c.scalar("size"))));
            default -> throw new IllegalStateException("operation " + c.operation() + " is not an accel statement");
        });
    }

    private long open(Task task, String device, boolean cloexec) {
        UacceDevice queues = queueDevices.get(device);
        return queues != null ? queues.open(task, cloexec) : devices.get(device).open(task, cloexec);
    }

    /**
     * {@code F = submit Q|DB op=copy src= dst= size=}: a value below {@link
     * FdTable#NR_OPEN_DEFAULT} is a queue's fd Q, the user library's submission in every design
     * ({@link UacceDoorbell#submitToQueue}, R1); any other value is a doorbell address DB, a raw
     * store to whatever the caller maps there ({@link UacceDoorbell#store}). The two do not
     * meet in Linux: no fd reaches the limit, and no mapping lies in the first page ({@code
     * mmap_min_addr}). The model's mmap places mappings from {@code MMAP_BASE} up but does not
     * refuse a fixed one at 0: a doorbell mapped there is read as fd 0 (a model limitation).
     * F is the job's fence, or the name is bound to the errno (EFAULT for a store that faults).
     */
    private static ThreadInterpreter.Result submit(Task task, Statement.Call c, Evaluator eval) {
        long target = eval.number(c.scalar("db"));
        long src = eval.number(c.scalar("src"));
        long dst = eval.number(c.scalar("dst"));
        long size = eval.number(c.scalar("size"));
        UacceDoorbell.Submit s = target >= 0 && target < FdTable.NR_OPEN_DEFAULT
                ? UacceDoorbell.submitToQueue(task, (int) target, src, dst, size)
                : UacceDoorbell.store(task, target, src, dst, size);
        return s.fence() == null ? ThreadInterpreter.Result.of(s.ret())
                : new ThreadInterpreter.Result(0, new Bound.Fence(s.fence()));
    }

    /**
     * {@code ioctl(fd, UACCE_CMD_START_Q | UACCE_CMD_PUT_Q)} and {@code dma_map} ({@code uacce_fops_unl_ioctl}): on a
     * queue's file the queue's command; -EBADF for a descriptor that is not open; -ENOTTY on any
     * other file — a DRM file (GPU or habanalabs) refuses a number of type 'W' in {@code
     * drm_ioctl}, a dma-buf or uverbs file does not know it.
     */
    private static long queueIoctl(Task task, int fd, ToLongFunction<UacceQueue> op) {
        return Devices.vfsIoctl(task, fd, f -> f.privateData() instanceof UacceQueue q ? q : null, op);
    }

    /**
     * {@code ioctl(fd, DRM_IOCTL_HL_MEMORY, ...)}: {@code fdget}, the memory ioctl on the compute
     * file's private data, {@code fdput} (so closing the fd meanwhile does not release the device
     * under the call). A descriptor that is not open is -EBADF. Another file answers -ENOTTY: a
     * dma-buf ({@code dma_buf_ioctl}), a uverbs file ({@code ib_uverbs_ioctl} knows only {@code
     * RDMA_VERBS_IOCTL}), a file without {@code unlocked_ioctl}. On a GPU's DRM file the -ENOTTY
     * is a stand-in (a model abstraction): the number is a DRM driver number, {@code
     * DRM_COMMAND_BASE} + 4, which {@code drm_ioctl} hands to the GPU driver's own ioctl of that
     * index (xe: {@code DRM_IOCTL_XE_VM_DESTROY}) reading the accelerator's arguments as its own.
     * A uacce queue's file hands the number to its driver's ioctl, which does not know it:
     * -EINVAL, or -ENXIO for a queue no longer valid (UA-04, {@link UacceQueue#unknownIoctl}).
     */
    private static long ioctl(Task task, int fd, ToLongFunction<HlFpriv> op) {
        return Devices.vfsIoctl(task, fd, f -> f.privateData() instanceof HlFpriv hpriv ? hpriv : null, op);
    }

    /** The accelerators' objects still alive, for the leak invariant. */
    List<String> liveObjects() {
        List<String> out = new ArrayList<>();
        devices.values().forEach(d -> out.addAll(d.liveObjects()));
        queueDevices.values().forEach(d -> out.addAll(d.liveObjects()));
        return out;
    }

    /** {@link #liveObjects()} with the frames each queue's DMA mappings point at, for {@code replay --show}. */
    List<String> shownObjects() {
        List<String> out = new ArrayList<>();
        devices.values().forEach(d -> out.addAll(d.liveObjects()));
        queueDevices.values().forEach(d -> out.addAll(d.shownObjects()));
        return out;
    }

    /** Adds every accelerator's objects to {@code graph}. */
    void addTo(ObjectGraph graph) {
        devices.values().forEach(d -> d.addTo(graph));
        queueDevices.values().forEach(d -> d.addTo(graph));
    }
}
