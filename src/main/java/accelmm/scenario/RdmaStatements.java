package accelmm.scenario;

import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.rdma.IbDevice;
import accelmm.rdma.IbUverbsFile;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The statements of {@code kind=rdma} devices: {@code open} of a NIC, {@code reg_mr}, {@code
 * rdma_read} and {@code rdma_write}, performed by the {@code rdma} layer and traced here as
 * written.
 *
 * <p>Each statement after {@code open} is a command on the uverbs file its fd names ({@code
 * RDMA_VERBS_IOCTL}); the fd is held for the call ({@code fdget}). A descriptor that is not open
 * is EBADF. On another file the number goes to that file's own ioctl, and every other file
 * refuses it with ENOTTY: a dma-buf does not know it ({@code dma_buf_ioctl}); a DRM file, GPU
 * render node or accelerator node, refuses it before decoding, as its type (0x1b, {@code
 * RDMA_IOCTL_MAGIC}) is not DRM's ({@code drm_ioctl}, since Linux 5.14); a file without {@code
 * unlocked_ioctl} in {@code vfs_ioctl}. A uacce queue's file alone takes the number, and its
 * driver refuses it with EINVAL (UA-04, {@link Devices#unknownIoctl}).
 */
final class RdmaStatements {

    private final Map<String, IbDevice> nics = new LinkedHashMap<>();
    private final Simulation sim;

    RdmaStatements(World world) {
        this.sim = world.sim;
        for (Device d : world.scenario.devices()) {
            if (d.kind() == Device.Kind.RDMA) {
                nics.put(d.name(), new IbDevice(world.kernel, d.name(), d.p2p()));
            }
        }
    }

    /** Whether {@code c} is an rdma statement: an {@code open} of a NIC, or a NIC command. */
    boolean handles(Statement.Call c) {
        return switch (c.operation()) {
            case OPEN -> nics.containsKey(c.word("device"));
            case REG_MR_USER, REG_MR_DMABUF, RDMA_READ, RDMA_WRITE -> true;
            default -> false;
        };
    }

    ThreadInterpreter.Result perform(Statement.Call c, ProcessState self, Evaluator eval) {
        Task task = self.task;
        return switch (c.operation()) {
            case OPEN -> ThreadInterpreter.Result.of(nics.get(c.word("device")).open(task, c.hasFlag("cloexec")));
            case REG_MR_USER -> command(task, c, eval, f -> f.regMrUser(task, eval.number(c.scalar("addr")),
                    eval.number(c.scalar("size"))));
            case REG_MR_DMABUF -> command(task, c, eval, f -> f.regMrDmabuf(task, eval.fd(c.scalar("dmabuf"))));
            case RDMA_READ -> command(task, c, eval, f -> f.rdmaRead(task, eval.id(c.scalar("mr")),
                    eval.number(c.scalar("offset")), eval.number(c.scalar("size")), eval.number(c.scalar("into"))));
            case RDMA_WRITE -> {
                Evaluator.DataBytes data = eval.data(c.data("data"));
                yield command(task, c, eval, f -> f.rdmaWrite(eval.id(c.scalar("mr")),
                        eval.number(c.scalar("offset")), data.bytes(), data.labels()));
            }
            default -> throw new IllegalStateException("operation " + c.operation() + " is not an rdma statement");
        };
    }

    /** A command on the uverbs file {@code FD} names (see the class comment), traced as written. */
    private ThreadInterpreter.Result command(Task task, Statement.Call c, Evaluator eval,
            ToLongFunction<IbUverbsFile> op) {
        long ret = command(task, eval.fd(c.scalar("fd")), op);
        if (sim.tracing()) {
            sim.traceOperation(ThreadInterpreter.traceText(c), c.binding().isPresent() || ret < 0
                    ? describe(ret) : "ok");
        }
        return ThreadInterpreter.Result.of(ret);
    }

    private static long command(Task task, int fd, ToLongFunction<IbUverbsFile> op) {
        return Devices.vfsIoctl(task, fd, IbUverbsFile::ofFile, op);
    }

    private static String describe(long ret) {
        return Errno.isError(ret) ? Errno.ofReturn(ret).name() : Long.toString(ret);
    }

    /** Device-level objects still alive, for the leak invariant. */
    List<String> liveObjects() {
        List<String> out = new ArrayList<>();
        nics.values().forEach(n -> out.addAll(n.liveObjects()));
        return out;
    }

    /** {@link #liveObjects()} with the frames each region points at, for {@code replay --show}. */
    List<String> shownObjects() {
        List<String> out = new ArrayList<>();
        nics.values().forEach(n -> out.addAll(n.shownObjects()));
        return out;
    }

    /** Adds every NIC's memory regions to {@code graph}. */
    void addTo(ObjectGraph graph) {
        nics.values().forEach(n -> n.addTo(graph));
    }
}
