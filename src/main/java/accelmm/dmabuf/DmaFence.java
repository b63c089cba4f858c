package accelmm.dmabuf;

import accelmm.mm.Errno;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Models {@code struct dma_fence}: a one-shot completion event of a GPU job (or any other
 * asynchronous device operation). It is signalled exactly once; before that an error may be
 * set ({@code dma_fence_set_error}), e.g. -EFAULT when the job hit a GPU page fault, which
 * waiters read back afterwards.
 *
 * <p>Waiters block on a {@link WaitQueue} ({@code dma_fence_wait}); callbacks registered with
 * {@link #addCallback} run in the signalling context, in registration order.
 *
 * <p>Kernel sources followed: drivers/dma-buf/dma-fence.c, include/linux/dma-fence.h.
 */
public final class DmaFence {

    private final Simulation sim;
    private final String name;
    private final WaitQueue waiters;
    /** The signalled state, the error and the callback list. */
    private final Shared shared;
    private final List<Consumer<DmaFence>> callbacks = new ArrayList<>(1);
    private boolean signaled;
    /** {@code dma_fence_wait NAME}, built at the first wait. */
    private String waitLabel;
    private int error;

    /** A new, unsignalled fence; {@code name} identifies it in traces, e.g. {@code gpu0 q1#2}. */
    public DmaFence(Simulation sim, String name) {
        this.sim = sim;
        this.name = name;
        this.waiters = new WaitQueue(sim, "dma_fence ", name);
        this.shared = sim.shared("dma fence");
    }

    public String name() {
        return name;
    }

    /** {@code dma_fence_is_signaled}. */
    public boolean isSignaled() {
        shared.read();
        return signaled;
    }

    /** The error set before signalling (a negative errno), or 0. */
    public int error() {
        shared.read();
        return error;
    }

    /**
     * {@code dma_fence_get_status}: 0 while unsignalled, 1 when signalled without error, the
     * negative error otherwise.
     */
    public int status() {
        shared.read();
        if (!signaled) {
            return 0;
        }
        return error != 0 ? error : 1;
    }

    /** {@code dma_fence_set_error}: only before signalling, and only a negative errno. */
    public void setError(int errno) {
        shared.write();
        if (signaled) {
            throw new IllegalStateException("dma_fence_set_error on signalled fence " + name);
        }
        if (!Errno.isError(errno)) {
            throw new IllegalArgumentException("fence error must be a negative errno, not " + errno);
        }
        error = errno;
    }

    /** {@code dma_fence_signal}: wakes the waiters and runs the callbacks. Signalling twice is a model bug. */
    public void signal() {
        shared.write();
        if (signaled) {
            throw new IllegalStateException("fence " + name + " signalled twice");
        }
        signaled = true;
        waiters.wakeUpAll();
        for (Consumer<DmaFence> cb : callbacks) {
            cb.accept(this);
        }
        callbacks.clear();
    }

    /** {@code dma_fence_wait}: blocks the calling actor until the fence is signalled. */
    public void waitSignaled() {
        if (waitLabel == null) {
            waitLabel = "dma_fence_wait " + name;
        }
        sim.preemptionPoint(waitLabel);
        waiters.waitEvent(this::isSignaled);
    }

    /**
     * {@code dma_fence_add_callback}: runs {@code callback} when the fence signals. Returns 0,
     * or -ENOENT (and does not register it) if the fence has already signalled.
     */
    public int addCallback(Consumer<DmaFence> callback) {
        shared.write();
        if (signaled) {
            return Errno.ENOENT.neg();
        }
        callbacks.add(callback);
        return 0;
    }

    @Override
    public String toString() {
        return "fence " + name + (signaled ? (error != 0 ? " " + Errno.describe(error) : " signaled") : "");
    }
}
