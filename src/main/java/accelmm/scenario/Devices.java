package accelmm.scenario;

import accelmm.accel.UacceQueue;
import accelmm.check.ExpectationFailed;
import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.dmabuf.DmaFence;
import accelmm.drm.DrmDevice;
import accelmm.drm.DrmFd;
import accelmm.drm.DrmFile;
import accelmm.drm.GemCaching;
import accelmm.drm.GemObject;
import accelmm.drm.GemPlacement;
import accelmm.drm.HandleLookupObserver;
import accelmm.drm.JobSpec;
import accelmm.drm.Submission;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * The devices of one execution, built from the scenario's {@code device} lines, and the
 * statements that act on them. GPU devices are DRM devices of the {@code drm} layer; RDMA NICs
 * are the {@code rdma} layer's, whose statements {@link RdmaStatements} performs; accelerators
 * are the {@code accel} layer's, their statements in {@link AccelStatements}. Guests are the
 * {@code virt} layer's VMs, their statements in {@link GuestStatements}.
 */
final class Devices {

    /**
     * The GPUs by name, made with the world and never changed during a run, as are the
     * accelerators and NICs of {@link AccelStatements} and {@link RdmaStatements}: no step's
     * footprint needs them (the devices report their own state).
     */
    private final Map<String, DrmDevice> gpus = new LinkedHashMap<>();
    private final AccelStatements accel;
    private final Simulation sim;
    private final RdmaStatements rdma;
    private final CoredumpStatements coredump;
    private final GuestStatements guest;

    Devices(World world) {
        this.sim = world.sim;
        this.coredump = new CoredumpStatements(world);
        this.accel = new AccelStatements(world);
        this.rdma = new RdmaStatements(world);
        this.guest = new GuestStatements(world);
        for (Device d : world.scenario.devices()) {
            if (d.kind() == Device.Kind.GPU) {
                gpus.put(d.name(), new DrmDevice(world.kernel, d.name(), d.vramBytes(), d.p2p()));
            }
        }
    }

    /** The GPU device called {@code name}, or null. */
    DrmDevice gpu(String name) {
        return gpus.get(name);
    }

    /** Reports every ioctl lookup on every GPU to {@code observer} (the lookup invariants). */
    void addLookupObserver(HandleLookupObserver observer) {
        gpus.values().forEach(g -> g.addLookupObserver(observer));
    }

    /** Whether {@code op} is a device statement, performed (and traced) by a device model. */
    static boolean handles(Operation op) {
        return switch (op) {
            case OPEN, VM_CREATE, VM_DESTROY, GEM_CREATE, GEM_CLOSE, GEM_MMAP_OFFSET, VM_BIND_MAP, VM_BIND_USERPTR,
                    VM_BIND_UNMAP, EXEC_QUEUE_CREATE, EXEC_COPY, EXEC_FILL, PRIME_HANDLE_TO_FD, PRIME_FD_TO_HANDLE,
                    REG_MR_USER, REG_MR_DMABUF, RDMA_READ, RDMA_WRITE -> true;
            default -> GuestStatements.handles(op);
        };
    }

    /** {@code devcoredump DEVICE} (a kernel thread's statement); the load checks made it a GPU. */
    ThreadInterpreter.Result devcoredump(Statement.Call c) {
        return coredump.devcoredump(c, gpuOf(c));
    }

    /** {@code D = devcoredump_read DEVICE}; the load checks made it a GPU. */
    ThreadInterpreter.Result devcoredumpRead(Statement.Call c) {
        return coredump.read(c, gpuOf(c));
    }

    /** {@code devcoredump_delete DEVICE}; the load checks made it a GPU. */
    ThreadInterpreter.Result devcoredumpDelete(Statement.Call c) {
        return coredump.delete(c, gpuOf(c));
    }

    private DrmDevice gpuOf(Statement.Call c) {
        DrmDevice gpu = gpus.get(c.word("device"));
        if (gpu == null) {
            throw new IllegalStateException("no GPU device " + c.arg("device"));
        }
        return gpu;
    }

    /** Performs a device statement on behalf of {@code self}. */
    ThreadInterpreter.Result perform(Statement.Call c, ProcessState self, Evaluator eval) {
        if (rdma.handles(c)) {
            return rdma.perform(c, self, eval);
        }
        if (GuestStatements.handles(c.operation())) {
            return guest.perform(c, self, eval);
        }
        Task task = self.task;
        return switch (c.operation()) {
            case MEM_ALLOC, MEM_FREE, MEM_EXPORT, START_Q, PUT_Q, DMA_MAP, SUBMIT -> accel.perform(c, self, eval);
            case OPEN -> {
                if (accel.hasDevice(c.word("device"))) {
                    yield accel.perform(c, self, eval);
                }
                DrmDevice gpu = gpus.get(c.word("device"));
                if (gpu == null) {
                    throw new IllegalStateException("no GPU device " + c.arg("device"));
                }
                yield ThreadInterpreter.Result.of(gpu.open(task, c.hasFlag("cloexec")));
            }
            case VM_CREATE -> ioctl(task, c, eval, DrmFile::vmCreate);
            case VM_DESTROY -> ioctl(task, c, eval, f -> f.vmDestroy(handle(eval, c, "vm")));
            case GEM_CREATE -> gemCreate(task, c, eval);
            case GEM_CLOSE -> ioctl(task, c, eval, f -> f.gemClose(handle(eval, c, "bo")));
            case GEM_MMAP_OFFSET -> ioctl(task, c, eval, f -> f.gemMmapOffset(handle(eval, c, "bo")));
            case VM_BIND_MAP -> ioctl(task, c, eval, f -> f.vmBindMap(handle(eval, c, "vm"), handle(eval, c, "bo"),
                    c.findScalar("bo_offset").map(eval::number).orElse(0L), eval.number(c.scalar("va")),
                    eval.number(c.scalar("size")), c.hasFlag("dumpable")));
            case VM_BIND_USERPTR -> ioctl(task, c, eval, f -> f.vmBindUserptr(task, handle(eval, c, "vm"),
                    eval.number(c.scalar("addr")), eval.number(c.scalar("va")), eval.number(c.scalar("size")),
                    c.hasFlag("dumpable")));
            case VM_BIND_UNMAP -> ioctl(task, c, eval, f -> f.vmBindUnmap(handle(eval, c, "vm"),
                    eval.number(c.scalar("va")), eval.number(c.scalar("size"))));
            case EXEC_QUEUE_CREATE -> ioctl(task, c, eval, f -> f.execQueueCreate(task, handle(eval, c, "vm")));
            case EXEC_COPY -> exec(task, c, eval, new JobSpec.Copy(eval.number(c.scalar("src")),
                    eval.number(c.scalar("dst")), eval.number(c.scalar("size"))));
            case EXEC_FILL -> exec(task, c, eval, new JobSpec.Fill(eval.number(c.scalar("dst")),
                    eval.number(c.scalar("size")), (byte) eval.number(c.scalar("byte"))));
            case PRIME_HANDLE_TO_FD -> ioctl(task, c, eval, f -> f.primeHandleToFd(task, handle(eval, c, "bo"),
                    c.hasFlag("cloexec"), c.hasFlag("rdwr")));
            case PRIME_FD_TO_HANDLE -> ioctl(task, c, eval, f -> f.primeFdToHandle(task, eval.number(c.scalar("db"))));
            default -> throw new IllegalStateException("operation " + c.operation() + " is not modelled");
        };
    }

    private static long handle(Evaluator eval, Statement.Call c, String arg) {
        return eval.id(c.scalar(arg));
    }

    /** {@code ioctl(fd, ...)}: the fd is resolved before the call, the DRM file held during it. */
    private ThreadInterpreter.Result ioctl(Task task, Statement.Call c, Evaluator eval, ToLongFunction<DrmFile> op) {
        return ThreadInterpreter.Result.of(ioctl(task, c, eval, op::applyAsLong, errno -> (long) errno));
    }

    /**
     * {@link DrmFd#ioctl} on the statement's fd. When the fd names no DRM file the ioctl fails
     * before the device sees it (EBADF, ENOTTY — or EINVAL from a uacce queue's file, whose ioctl
     * takes the number: {@link #unknownIoctl}), so it is traced here, as the statement is
     * written; the device traces every ioctl it runs.
     */
    private <R> R ioctl(Task task, Statement.Call c, Evaluator eval, Function<DrmFile, R> op, IntFunction<R> failed) {
        int fd = eval.fd(c.scalar("fd"));
        return DrmFd.ioctl(task, fd, op, errno -> {
            // The file is still held: one that is no DRM file answers as it answers any number it does not know.
            int ret = errno == Errno.ENOTTY.neg() ? unknownIoctl(task.files().lookup(fd)) : errno;
            if (sim.tracing()) {
                sim.traceOperation(ThreadInterpreter.traceText(c), Errno.describe(ret));
            }
            return failed.apply(ret);
        });
    }

    /** {@code gem_create}: binds the handle, remembering the object it names (for {@code evict}). */
    private ThreadInterpreter.Result gemCreate(Task task, Statement.Call c, Evaluator eval) {
        long size = eval.number(c.scalar("size"));
        GemPlacement placement = c.findWord("placement").map(GemPlacement::of)
                .orElse(GemPlacement.SYSTEM);
        GemCaching caching = c.findWord("caching").map(GemCaching::of).orElse(GemCaching.defaultFor(placement));
        GemObject[] created = new GemObject[1];
        long ret = ioctl(task, c, eval, f -> {
            int handle = f.gemCreate(size, placement, caching);
            created[0] = handle > 0 ? f.object(handle) : null;
            return (long) handle;
        }, errno -> (long) errno);
        return created[0] == null ? ThreadInterpreter.Result.of(ret)
                : new ThreadInterpreter.Result(ret, new Bound.Gem(created[0], ret));
    }

    /**
     * {@code evict PROC.BO}: the kernel moves the object the name was bound to out of VRAM
     * (0, EBUSY pinned, EINVAL never in VRAM, ENOENT freed since).
     */
    long evict(Bound bo) {
        return switch (bo) {
            case Bound.Gem g -> g.object().device().evict(g.object());
            default -> throw new ExpectationFailed(
                    "evict takes a name bound by gem_create (the exporter's object), got " + Bound.describe(bo));
        };
    }

    private ThreadInterpreter.Result exec(Task task, Statement.Call c, Evaluator eval, JobSpec spec) {
        long queue = eval.id(c.scalar("queue"));
        Submission s = ioctl(task, c, eval, f -> f.exec(queue, spec), Submission.Refused::new);
        return switch (s) {
            case Submission.Queued q -> new ThreadInterpreter.Result(0, new Bound.Fence(q.fence()));
            case Submission.Refused r -> ThreadInterpreter.Result.of(r.errno());
        };
    }

    /**
     * {@code ioctl DB dma_buf_sync PHASE ACCESS}: {@code DMA_BUF_IOCTL_SYNC} on whatever file the
     * fd names, which handles the number itself ({@code vfs_ioctl}): a dma-buf runs the sync
     * ({@link DmaBuf#ioctlSync}: START waits for the buffer's fences, END does not); every other
     * file -ENOTTY: a DRM file, GPU render node or accelerator node alike, because {@code
     * drm_ioctl} refuses a number whose type is not DRM's ('b' here, 'd' for DRM) before it
     * decodes anything (since Linux 5.14, commit 3abab27c322e), a file without {@code
     * unlocked_ioctl} in {@code vfs_ioctl}, a uverbs file as {@code ib_uverbs_ioctl} knows one
     * number only — but a uacce queue's file -EINVAL ({@link #unknownIoctl}); a descriptor that
     * is not open, -EBADF. The file is held for the call ({@code
     * fdget}), so closing the fd meanwhile does not release the buffer under the wait.
     */
    static long dmaBufSync(Task task, int fd, String phase, String access) {
        long flags = switch (access) {
            case "read" -> DmaBuf.SYNC_READ;
            case "write" -> DmaBuf.SYNC_WRITE;
            case "rw" -> DmaBuf.SYNC_RW;
            default -> throw new IllegalStateException("dma_buf_sync access " + access);
        } | (phase.equals("end") ? DmaBuf.SYNC_END : DmaBuf.SYNC_START);
        return vfsIoctl(task, fd, DmaBuf::ofFile, buf -> buf.ioctlSync(flags));
    }

    /**
     * {@code I = ioctl DB dma_buf_info}: the proposed {@code DMA_BUF_IOCTL_INFO} with {@code
     * DMA_BUF_INFO_MAP_INFO} (v2, Rob Clark, Aug 2022; never merged, KERNEL-SEMANTICS DBI-01..03)
     * on whatever file the fd names, found as {@link #dmaBufSync} finds it: -EBADF for a
     * descriptor that is not open, -ENOTTY from every file that is no dma-buf (-EINVAL from a
     * uacce queue's), -ENOSYS from a buffer whose exporter has no map-info op ({@link
     * DmaBuf#ioctlInfo}). The answer binds a record whose field {@code caching} is the word
     * {@code incoherent}, {@code wc} or {@code cached}, and the process remembers it for the
     * buffer ({@link ProcessState#mapInfoRead}, what {@code guest-caching=from-info} maps).
     */
    static ThreadInterpreter.Result dmaBufInfo(ProcessState self, int fd) {
        DmaBufMapInfo[] read = new DmaBufMapInfo[1];
        long ret = vfsIoctl(self.task, fd, DmaBuf::ofFile, buf -> {
            DmaBuf.Info info = buf.ioctlInfo();
            if (info.mapInfo() != null) {
                self.mapInfoRead(buf, info.mapInfo());
                read[0] = info.mapInfo();
            }
            return info.errno();
        });
        return read[0] == null ? ThreadInterpreter.Result.of(ret)
                : new ThreadInterpreter.Result(ret, mapInfoFields(read[0]));
    }

    /** The record {@code dma_buf_info} binds: {@code I.caching}. */
    static Bound.Fields mapInfoFields(DmaBufMapInfo info) {
        return new Bound.Fields("dma-buf map info", Map.of(MAP_INFO_CACHING, new Bound.Word(info.word())));
    }

    /** The one field of {@code dma_buf_info}'s record. */
    static final String MAP_INFO_CACHING = "caching";

    /**
     * {@code vfs_ioctl} on {@code fd} of {@code task}: -EBADF for a descriptor that is not open;
     * else the file is held for the call ({@code fdget}, so closing the fd meanwhile releases
     * nothing under it) and {@code op} runs on what {@code driverOf} finds behind it — the file's
     * own {@code unlocked_ioctl} knowing the request — or, where it finds nothing ({@code null}),
     * -ENOTTY, as a file whose ioctl does not know the request answers.
     */
    static <D> long vfsIoctl(Task task, int fd, Function<File, D> driverOf, ToLongFunction<D> op) {
        File file = task.fget(fd);
        if (file == null) {
            return Errno.EBADF.neg();
        }
        try {
            D driver = driverOf.apply(file);
            return driver != null ? op.applyAsLong(driver) : unknownIoctl(file);
        } finally {
            file.put();
        }
    }

    /**
     * What {@code file} answers to an ioctl number it does not know: a uacce queue's file hands
     * every number but its own two to its driver's ioctl, which refuses it with -EINVAL (-ENXIO
     * first for a queue no longer valid; {@code uacce_fops_unl_ioctl}, UA-04); every other file
     * of the model -ENOTTY (see the callers).
     */
    static int unknownIoctl(File file) {
        return file.privateData() instanceof UacceQueue q ? q.unknownIoctl() : Errno.ENOTTY.neg();
    }

    /** {@code wait F}: returns once the fence signalled; at once for a name bound to an error. */
    long waitFence(Bound f) {
        switch (f) {
            case Bound.Fence fence -> fence.fence().waitSignaled();
            case Bound.Err e -> {
                // The statement that would have made the fence failed: nothing to wait for.
            }
            default -> throw new ExpectationFailed("wait needs a fence, got " + Bound.describe(f));
        }
        return 0;
    }

    /** How {@code fence} ended: 0 or a negative errno; an expectation failure before it signalled. */
    static long fenceResult(DmaFence fence) {
        if (!fence.isSignaled()) {
            throw new ExpectationFailed("fence " + fence.name() + " has not signalled (wait for it first)");
        }
        return fence.error();
    }

    static String describe(DmaFence fence) {
        return !fence.isSignaled() ? fence.name() + " (not signalled)"
                : fence.error() == 0 ? "ok" : Errno.describe(fence.error());
    }

    /** Device-level objects still alive, for the leak invariant. */
    List<String> liveObjects() {
        return objectLines(false);
    }

    /**
     * {@link #liveObjects()} as {@code replay --show} lists them: each mapping that points at
     * frames (GPU PTEs, a memory region's MTT, a queue's DMA mappings) names them.
     */
    List<String> shownObjects() {
        return objectLines(true);
    }

    private List<String> objectLines(boolean withFrames) {
        List<String> out = new ArrayList<>();
        gpus.values().forEach(g -> out.addAll(withFrames ? g.shownObjects() : g.liveObjects()));
        out.addAll(withFrames ? accel.shownObjects() : accel.liveObjects());
        out.addAll(withFrames ? rdma.shownObjects() : rdma.liveObjects());
        return out;
    }

    /** Adds every device's objects and who holds each to {@code graph}. */
    void addTo(ObjectGraph graph) {
        gpus.values().forEach(g -> g.addTo(graph));
        accel.addTo(graph);
        rdma.addTo(graph);
    }
}
