package accelmm.scenario;

import accelmm.accel.HlDevice;
import accelmm.accel.HlFpriv;
import accelmm.mm.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The statements of {@code kind=accel} devices: the habanalabs-style exclusive accelerators of the
 * {@code accel} layer, built from the scenario's device lines. {@code open} is traced by the
 * device; the memory ioctls are traced by the interpreter, as written.
 */
final class AccelStatements {

    private final Map<String, HlDevice> devices = new LinkedHashMap<>();

    AccelStatements(World world) {
        for (Device d : world.scenario.devices()) {
            if (d.kind() == Device.Kind.ACCEL) {
                devices.put(d.name(), new HlDevice(world.kernel, d.name(), d.vramBytes(), d.p2p()));
            }
        }
    }

    /** The accelerator named {@code name}, or {@code null} when it is a device of another kind. */
    HlDevice device(String name) {
        return devices.get(name);
    }

    /** Performs an accelerator statement on behalf of {@code self}. */
    ThreadInterpreter.Result perform(Statement.Call c, ProcessState self, Evaluator eval) {
        Task task = self.task;
        return ThreadInterpreter.Result.of(switch (c.operation()) {
            case OPEN -> devices.get(c.word("device")).open(task, c.hasFlag("cloexec"));
            case MEM_ALLOC -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memAlloc(eval.number(c.scalar("size"))));
            case MEM_FREE -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memFree(eval.id(c.scalar("h"))));
            case MEM_EXPORT -> ioctl(task, eval.fd(c.scalar("fd")), f -> f.memExport(task, eval.id(c.scalar("h")),
                    c.hasFlag("rdwr")));
            default -> throw new IllegalStateException("operation " + c.operation() + " is not an accel statement");
        });
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
     */
    private static long ioctl(Task task, int fd, ToLongFunction<HlFpriv> op) {
        return Devices.vfsIoctl(task, fd, f -> f.privateData() instanceof HlFpriv hpriv ? hpriv : null, op);
    }

    /** The accelerators' objects still alive, for the leak invariant. */
    List<String> liveObjects() {
        List<String> out = new ArrayList<>();
        devices.values().forEach(d -> out.addAll(d.liveObjects()));
        return out;
    }
}
