package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Completion;
import accelmm.sim.Outcome;

/**
 * The example race of SCENARIO-LANGUAGE.md ("userptr mirror survives munmap race") written as
 * two actors of process A:
 *
 * <pre>
 *   A.main:      fd = open gpu0; p = mmap 16K; write p "hello" (ok|EFAULT); vm = vm_create
 *                vm_bind userptr addr=p va=0x100000 size=16K (ok|EFAULT)
 *                dst = gem_create 16K; vm_bind map bo=dst va=0x200000 size=16K
 *                q = exec_queue_create vm; f = exec copy 0x100000 -> 0x200000 16K; wait f
 *                expect f == ok|EFAULT; (once the unmapper is done) exit
 *   A.unmapper:  (once p is mapped) munmap p 16K
 * </pre>
 *
 * One run per schedule; {@link Result} says what happened, including whether any device access
 * used a stale frame reference and what was left after the process exited.
 */
final class UserptrRace {

    static final long USERPTR_VA = 0x100000;
    static final long DST_VA = 0x200000;
    static final int SIZE = 4 * DrmFixture.PAGE;

    /** How one run ended. */
    record Result(Outcome outcome, int bindRet, int fenceStatus, boolean stale, String dstHead, boolean leftovers,
            int lockdepViolations) {
    }

    private UserptrRace() {
    }

    static Result run(UserptrDesign design, ChoiceSource choices, boolean recordTrace) {
        DrmFixture fx = new DrmFixture(design, choices, recordTrace);
        Task a = fx.process("A");
        Completion mapped = new Completion(fx.sim, "p mapped");
        Completion unmapped = new Completion(fx.sim, "unmapper done");
        long[] p = new long[1];
        int[] bind = new int[1];
        DmaFence[] fence = new DmaFence[1];
        String[] dstHead = new String[1];
        fx.sim.spawn("A.main", () -> {
            DrmFile f = fx.open(a);
            p[0] = a.mmap(0, SIZE, Prot.READ_WRITE, false, false, -1, 0);
            mapped.completeAll();
            assertThat(a.write(p[0], DrmFixture.bytes("hello"), null)).isIn(0, Errno.EFAULT.neg());
            int vm = f.vmCreate();
            bind[0] = f.vmBindUserptr(a, vm, p[0], USERPTR_VA, SIZE);
            assertThat(bind[0]).isIn(0, Errno.EFAULT.neg());
            int dst = DrmFixture.boundBo(f, vm, DST_VA, 4);
            int q = f.execQueueCreate(a, vm);
            fence[0] = DrmFixture.execAndWait(f, q, new JobSpec.Copy(USERPTR_VA, DST_VA, SIZE));
            assertThat(fence[0].status()).isIn(1, Errno.EFAULT.neg());
            dstHead[0] = fx.boContents(f.object(dst), 0, 5);
            unmapped.waitForCompletion();
            a.exit();
        });
        fx.sim.spawn("A.unmapper", () -> {
            mapped.waitForCompletion();
            assertThat(a.munmap(p[0], SIZE)).isZero();
            unmapped.complete();
        });
        Outcome outcome = fx.sim.run();
        boolean leftovers = !fx.gpu.liveObjects().isEmpty() || !fx.kernel.openFiles().isEmpty()
                || fx.kernel.physicalMemory().allocatedCount() != 0;
        return new Result(outcome, bind[0], fence[0] == null ? 0 : fence[0].status(),
                !fx.staleDeviceAccesses.isEmpty(), dstHead[0], leftovers, fx.sim.lockDep().violations().size());
    }
}
