package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.Errno;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dma_fence: one-shot signalling, errors, waiters and callbacks; dma_resv waits. */
class DmaFenceTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(3));

    @Test
    void status_followsSignalAndError() {
        DmaFence ok = new DmaFence(sim, "ok");
        DmaFence bad = new DmaFence(sim, "bad");

        assertThat(ok.status()).isZero();
        ok.signal();
        bad.setError(Errno.EFAULT.neg());
        bad.signal();

        assertThat(ok.status()).isEqualTo(1);
        assertThat(bad.status()).isEqualTo(Errno.EFAULT.neg());
        assertThat(bad.error()).isEqualTo(Errno.EFAULT.neg());
    }

    @Test
    void signal_twice_isAModelBug() {
        DmaFence f = new DmaFence(sim, "f");
        f.signal();

        assertThatThrownBy(f::signal).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.setError(Errno.EIO.neg())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void setError_notAnErrno_isAModelBug() {
        assertThatThrownBy(() -> new DmaFence(sim, "f").setError(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addCallback_runsOnSignal_orRefusesWhenSignalled() {
        DmaFence f = new DmaFence(sim, "f");
        List<String> seen = new ArrayList<>();

        assertThat(f.addCallback(x -> seen.add("first " + x.status()))).isZero();
        assertThat(f.addCallback(x -> seen.add("second"))).isZero();
        f.signal();

        assertThat(seen).containsExactly("first 1", "second");
        assertThat(f.addCallback(x -> seen.add("late"))).isEqualTo(Errno.ENOENT.neg());
    }

    @Test
    void waitSignaled_blocksUntilAnotherActorSignals() {
        DmaFence f = new DmaFence(sim, "f");
        List<String> order = new ArrayList<>();
        sim.spawn("waiter", () -> {
            f.waitSignaled();
            order.add("woken");
        });
        sim.spawn("signaller", () -> {
            order.add("signal");
            f.signal();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());

        assertThat(order).containsExactly("signal", "woken");
    }

    @Test
    void resvWait_waitsForStricterUsagesOnly() {
        DmaResv resv = new DmaResv();
        DmaFence kernel = new DmaFence(sim, "kernel");
        DmaFence bookkeep = new DmaFence(sim, "bookkeep");
        resv.addFence(kernel, DmaResv.Usage.KERNEL);
        resv.addFence(bookkeep, DmaResv.Usage.BOOKKEEP);

        assertThat(resv.unsignaled(DmaResv.Usage.KERNEL)).containsExactly(kernel);
        assertThat(resv.unsignaled(DmaResv.Usage.BOOKKEEP)).containsExactly(kernel, bookkeep);
        kernel.signal();
        assertThat(resv.testSignaled(DmaResv.Usage.READ)).isTrue();
        assertThat(resv.testSignaled(DmaResv.Usage.BOOKKEEP)).isFalse();
    }
}
