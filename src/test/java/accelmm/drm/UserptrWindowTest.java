package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.Mmap;
import accelmm.mm.Task;
import accelmm.sim.Completion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two windows of the userptr collision-retry protocol, hit on purpose with a scripted
 * schedule: an munmap that completes between {@code hmm_range_fault} and the GPU PTE
 * programming, in vm_bind and in exec's revalidation. Under hmm the retry catches it; under
 * hmm-no-retry freed pages reach the GPU page table; under pin the pages cannot be freed.
 */
class UserptrWindowTest {

    private static final List<String> BIND_WINDOW = List.of("notifier_lock vm 1 read");
    private static final List<String> EXEC_WINDOW = List.of("ioctl exec", "notifier_lock vm 1 read");

    @Test
    void bindWindow_hmm_retriesAndFailsWithEfault() {
        HandOver schedule = new HandOver("A.main", BIND_WINDOW, "A.unmapper");
        UserptrRace.Result r = UserptrRace.run(UserptrDesign.HMM, schedule, true);

        DrmFixture.assertCompleted(r.outcome());
        assertThat(schedule.handedOver()).isTrue();
        assertThat(r.bindRet()).isEqualTo(Errno.EFAULT.neg());
        assertThat(r.fenceStatus()).isEqualTo(Errno.EFAULT.neg());
        assertThat(r.stale()).isFalse();
        assertThat(r.leftovers()).isFalse();
    }

    @Test
    void bindWindow_hmmNoRetry_programsFreedPagesAndTheJobReadsThem() {
        HandOver schedule = new HandOver("A.main", BIND_WINDOW, "A.unmapper");
        UserptrRace.Result r = UserptrRace.run(UserptrDesign.HMM_NO_RETRY, schedule, true);

        DrmFixture.assertCompleted(r.outcome());
        assertThat(r.bindRet()).isZero();
        assertThat(r.fenceStatus()).isEqualTo(1);
        assertThat(r.stale()).isTrue();
        assertThat(r.dstHead()).as("the freed frames were reused by dst itself").isNotEqualTo("hello");
        assertThat(r.leftovers()).isFalse();
    }

    @Test
    void bindWindow_pin_keepsThePinnedPages() {
        HandOver schedule = new HandOver("A.main", BIND_WINDOW, "A.unmapper");
        UserptrRace.Result r = UserptrRace.run(UserptrDesign.PIN, schedule, true);

        DrmFixture.assertCompleted(r.outcome());
        assertThat(r.bindRet()).isZero();
        assertThat(r.fenceStatus()).isEqualTo(1);
        assertThat(r.stale()).isFalse();
        assertThat(r.dstHead()).isEqualTo("hello");
        assertThat(r.leftovers()).isFalse();
    }

    @Test
    void execWindow_hmm_startsOverAndTheJobFaults() {
        ExecWindow w = new ExecWindow(UserptrDesign.HMM);

        String trace = w.fx.sim.trace().render();
        String fromExec = trace.substring(trace.indexOf("A.main @ ioctl exec\n"));
        // the exec's own steps: the VM's teardown later takes vm->lock too (xe_vm_close)
        String exec = fromExec.substring(0, fromExec.indexOf("A.main @ dma_fence_wait"));
        assertThat(exec.split("A.main @ vm->lock 1 write", -1)).as("revalidated twice").hasSize(3);
        assertThat(w.fence.status()).isEqualTo(Errno.EFAULT.neg());
        assertThat(w.fx.staleDeviceAccesses).isEmpty();
    }

    @Test
    void execWindow_hmmNoRetry_jobReadsFreedPages() {
        ExecWindow w = new ExecWindow(UserptrDesign.HMM_NO_RETRY);

        assertThat(w.fence.status()).isEqualTo(1);
        assertThat(w.fx.staleDeviceAccesses).isNotEmpty();
    }

    @Test
    void execWindow_pin_jobReadsThePinnedPages() {
        ExecWindow w = new ExecWindow(UserptrDesign.PIN);

        assertThat(w.fence.status()).isEqualTo(1);
        assertThat(w.fx.staleDeviceAccesses).isEmpty();
    }

    /**
     * A userptr is bound and then invalidated by MADV_DONTNEED, so the next exec revalidates it;
     * the unmapper's munmap runs between the revalidation's {@code hmm_range_fault} and exec's
     * {@code notifier_lock}.
     */
    private static final class ExecWindow {
        final DrmFixture fx;
        DmaFence fence;

        ExecWindow(UserptrDesign design) {
            HandOver schedule = new HandOver("A.main", EXEC_WINDOW, "A.unmapper");
            fx = new DrmFixture(design, schedule, true);
            Task a = fx.process("A");
            Completion ready = new Completion(fx.sim, "ready");
            long[] p = new long[1];
            fx.sim.spawn("A.main", () -> {
                DrmFile f = fx.open(a);
                p[0] = DrmFixture.mmapAnon(a, 2);
                DrmFixture.write(a, p[0], "hello");
                int vm = f.vmCreate();
                assertThat(f.vmBindUserptr(a, vm, p[0], 0x100000, 2 * PAGE)).isZero();
                DrmFixture.boundBo(f, vm, 0x200000, 2);
                int q = f.execQueueCreate(a, vm);
                assertThat(a.madvise(p[0], 2 * PAGE, Mmap.Advice.DONTNEED)).isZero();
                ready.complete();
                fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(0x100000, 0x200000, 2 * PAGE));
                a.exit();
            });
            fx.sim.spawn("A.unmapper", () -> {
                ready.waitForCompletion();
                assertThat(a.munmap(p[0], 2 * PAGE)).isZero();
            });
            DrmFixture.assertCompleted(fx.sim.run());
            assertThat(schedule.handedOver()).isTrue();
            assertThat(fx.sim.lockDep().violations()).isEmpty();
            fx.assertNothingLeft();
        }
    }
}
