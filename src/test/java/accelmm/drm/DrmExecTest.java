package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaResv;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * drm_exec's locking of several reservation objects (drivers/gpu/drm/drm_exec.c): the kernel's
 * ww_mutex acquire context backs off instead of deadlocking, whatever order its caller locks in;
 * the model takes the locks in one machine-wide order instead, which must hold across devices
 * because an import shares the exporter's {@code dma_resv} ({@code obj->resv = dmabuf->resv}).
 */
class DrmExecTest {

    private final DrmFixture fx = new DrmFixture(Designs.defaults());
    private final DrmDevice gpu1 = new DrmDevice(fx.kernel, "gpu1", true);
    private final DrmDevice gpu2 = new DrmDevice(fx.kernel, "gpu2", true);
    private final Task a = fx.process("A");

    /** Imports {@code fds} (dma-buf fds of A), in that order, into a new file of {@code dev}. */
    private List<GemObject> importInOrder(DrmDevice dev, int... fds) {
        DrmFile f = DrmFixture.file(a, dev.open(a, false));
        return Arrays.stream(fds).mapToObj(fd -> f.object(f.primeFdToHandle(a, fd))).toList();
    }

    @Test
    void lock_importsLockedInOppositeOrdersOnTwoDevices_oneOrderForBoth() {
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int x1 = f0.gemCreate(PAGE);
            int x2 = f0.gemCreate(PAGE);
            int d1 = f0.primeHandleToFd(a, x1, false, false);
            int d2 = f0.primeHandleToFd(a, x2, false, false);
            List<GemObject> onGpu1 = importInOrder(gpu1, d2, d1);
            List<GemObject> onGpu2 = importInOrder(gpu2, d1, d2);
            List<DmaResv> expected = List.of(f0.object(x1).resv(), f0.object(x2).resv());

            DrmExec first = DrmExec.lock(onGpu1);
            List<DmaResv> firstOrder = first.locks();
            first.unlock();
            DrmExec second = DrmExec.lock(onGpu2);
            List<DmaResv> secondOrder = second.locks();
            second.unlock();

            assertThat(firstOrder).as("gpu1 imported x2 first").isEqualTo(expected);
            assertThat(secondOrder).as("gpu2 imported x1 first").isEqualTo(expected);
        });
    }

    @Test
    void lock_objectsOfThreeDevicesSharingOneResv_locksItOnce() {
        fx.run(() -> {
            DrmFile f0 = fx.open(a);
            int x = f0.gemCreate(PAGE);
            int d = f0.primeHandleToFd(a, x, false, false);
            GemObject exported = f0.object(x);
            List<GemObject> objects = List.of(exported, importInOrder(gpu1, d).get(0), importInOrder(gpu2, d).get(0));

            DrmExec exec = DrmExec.lock(objects);
            List<DmaResv> order = exec.locks();
            exec.unlock();

            assertThat(order).as("drm_exec skips a lock its context holds (-EALREADY)").containsExactly(exported.resv());
        });
    }
}
