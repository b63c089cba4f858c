package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exec queues, jobs run by the device engine through the GPU page table, and their fences. */
class ExecTest {

    private static final long SRC = 0x100000;
    private static final long DST = 0x200000;

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    @Test
    void copy_fromBoWrittenByCpu_toAnotherBo_carriesTheData() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int src = DrmFixture.boundBo(f, vm, SRC, 2);
            int dst = DrmFixture.boundBo(f, vm, DST, 2);
            long srcCpu = DrmFixture.mmapBo(a, fd, f, src, 2);
            long dstCpu = DrmFixture.mmapBo(a, fd, f, dst, 2);
            DrmFixture.write(a, srcCpu + PAGE - 2, "hello");
            int q = f.execQueueCreate(a, vm);

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(SRC, DST, 2 * PAGE));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(DrmFixture.read(a, dstCpu + PAGE - 2, 5)).isEqualTo("hello");
        });
    }

    @Test
    void fill_writesTheByteThroughTheGpuPageTable() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 2);
            int q = f.execQueueCreate(a, vm);

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Fill(DST + 10, PAGE, (byte) 0xab));

            assertThat(fence.status()).isEqualTo(1);
            long cpu = DrmFixture.mmapBo(a, fd, f, dst, 2);
            assertThat(DrmFixture.read(a, cpu + 9, 3)).isEqualTo("\0\u00ab\u00ab");
            assertThat(DrmFixture.read(a, cpu + PAGE + 9, 2)).isEqualTo("\u00ab\0");
        });
    }

    @Test
    void exec_touchingUnmappedGpuVa_stopsThereWithEfault() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Fill(DST, 2 * PAGE, (byte) 7));
            DmaFence copy = DrmFixture.execAndWait(f, f.execQueueCreate(a, vm), new JobSpec.Copy(SRC, DST, PAGE));

            assertThat(fence.status()).isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.boContents(f.object(dst), 0, 1)).as("the page before the fault").isEqualTo("\7");
            assertThat(copy.error()).isEqualTo(Errno.EFAULT.neg());
        });
    }

    // ---- a GPU fault bans the queue (KERNEL-SEMANTICS XQ-1..XQ-4:
    // xe_guc_exec_queue_memory_cat_error_handler, guc_exec_queue_timedout_job) -----------------

    @Test
    void exec_afterAJobOfTheQueueFaulted_isEcanceled() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(SRC, PAGE, (byte) 1));

            // XQ-3, xe_exec_ioctl: q->ops->reset_status(q) -> -ECANCELED, nothing queued.
            assertThat(f.exec(q, new JobSpec.Fill(DST, PAGE, (byte) 2)))
                    .isEqualTo(new Submission.Refused(Errno.ECANCELED.neg()));
            assertThat(f.queue(q).resetStatus()).isTrue();
            assertThat(f.vm(vm).isClosed()).as("the VM is not banned").isFalse();
        });
    }

    @Test
    void gpuFault_queueIsBannedBeforeTheFaultingJobsFenceSignals_XQ2() {
        // guc_exec_queue_timedout_job: set_exec_queue_banned and the job's error come before the
        // fence signals, so whoever the signal wakes (a callback, a waiter) finds the queue banned.
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            DmaFence faulting = ((Submission.Queued) f.exec(q, new JobSpec.Fill(SRC, PAGE, (byte) 1))).fence();
            boolean[] bannedAtSignal = {false};
            assertThat(faulting.addCallback(fence -> bannedAtSignal[0] = f.queue(q).resetStatus())).isZero();

            faulting.waitSignaled();

            assertThat(bannedAtSignal[0]).isTrue();
        });
    }

    @Test
    void exec_onANewQueueOfTheSameVm_afterAFault_runs() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(SRC, PAGE, (byte) 1));

            int fresh = f.execQueueCreate(a, vm);
            DmaFence fence = DrmFixture.execAndWait(f, fresh, new JobSpec.Fill(DST, PAGE, (byte) 2));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 0, 1)).isEqualTo("\2");
            assertThat(f.queue(fresh).resetStatus()).isFalse();
        });
    }

    @Test
    void gpuFault_jobsQueuedBehindOnTheSameQueue_endEcanceledWithoutRunning_otherQueuesRun() {
        // The test queues all three jobs before the engine runs any.
        DrmFixture fx = new DrmFixture(accelmm.sim.Designs.of(UserptrDesign.HMM),
                new HandOver("test", List.of("dma_fence_wait gpu0 q2#1"), "gpu0 engine"), true);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 2);
            int q = f.execQueueCreate(a, vm);
            int other = f.execQueueCreate(a, vm);
            DmaFence faulting = ((Submission.Queued) f.exec(q, new JobSpec.Fill(SRC, PAGE, (byte) 1))).fence();
            DmaFence behind = ((Submission.Queued) f.exec(q, new JobSpec.Fill(DST, PAGE, (byte) 2))).fence();
            DmaFence elsewhere = ((Submission.Queued) f.exec(other, new JobSpec.Fill(DST + PAGE, PAGE, (byte) 3)))
                    .fence();

            elsewhere.waitSignaled();

            assertThat(faulting.status()).isEqualTo(Errno.EFAULT.neg());
            // XQ-2, guc_exec_queue_timedout_job: every pending job after the first gets -ECANCELED.
            assertThat(behind.status()).isEqualTo(Errno.ECANCELED.neg());
            assertThat(elsewhere.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 0, 1)).as("the cancelled job never ran").isEqualTo("\0");
            assertThat(fx.boContents(f.object(dst), 1, 1)).isEqualTo("\3");
        });
    }

    @Test
    void exec_pastTheIoctlCheckWhenTheQueueIsBanned_doesNotRunAndEndsWithTheResetsEio() {
        // The second exec passes the reset_status check; the engine runs the faulting job before
        // the exec pushes its own (guc_exec_queue_run_job skips a banned queue; the timeout handler
        // sets the reset's -EIO). The schedule is asked only once the engine exists: from the
        // second exec on.
        DrmFixture fx = new DrmFixture(accelmm.sim.Designs.of(UserptrDesign.HMM),
                new HandOver("test", List.of("ioctl exec", "notifier_lock vm 1 read"), "gpu0 engine"), true);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            DmaFence faulting = ((Submission.Queued) f.exec(q, new JobSpec.Fill(SRC, PAGE, (byte) 1))).fence();

            Submission late = f.exec(q, new JobSpec.Fill(DST, PAGE, (byte) 2));

            assertThat(faulting.status()).isEqualTo(Errno.EFAULT.neg());
            assertThat(late).isInstanceOf(Submission.Queued.class);
            assertThat(((Submission.Queued) late).fence().status()).isEqualTo(Errno.EIO.neg());
            assertThat(fx.boContents(f.object(dst), 0, 1)).isEqualTo("\0");
        });
    }

    @Test
    void exec_unknownQueueOrEmptyJob_isRefused() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int q = f.execQueueCreate(a, f.vmCreate());

            assertThat(f.exec(q + 1, new JobSpec.Fill(DST, PAGE, (byte) 1)))
                    .isEqualTo(new Submission.Refused(Errno.ENOENT.neg()));
            assertThat(f.exec(q, new JobSpec.Fill(DST, 0, (byte) 1)))
                    .isEqualTo(new Submission.Refused(Errno.EINVAL.neg()));
        });
    }

    @Test
    void jobs_runInSubmissionOrder_asTheQueueCreatorThroughGpuVas() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);

            f.exec(q, new JobSpec.Fill(DST, 8, (byte) 1));
            DmaFence last = DrmFixture.execAndWait(f, q, new JobSpec.Fill(DST, 4, (byte) 2));

            assertThat(last.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 0, 8)).isEqualTo("\2\2\2\2\1\1\1\1");
            MemoryAccess access = fx.deviceAccesses.get(0);
            assertThat(access.principal()).isEqualTo(a.principal());
            assertThat(access.through()).isEqualTo("gpu va 0x200000");
            assertThat(access.write()).isTrue();
        });
    }

    @Test
    void execQueueDestroy_waitsForItsJobs() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, DST, 4);
            int q = f.execQueueCreate(a, vm);
            Submission s = f.exec(q, new JobSpec.Fill(DST, 4 * PAGE, (byte) 3));

            assertThat(f.execQueueDestroy(q)).isZero();

            assertThat(((Submission.Queued) s).fence().isSignaled()).isTrue();
            assertThat(fx.gpu.liveObjects()).noneMatch(d -> d.contains("exec_queue"));
        });
    }

    @Test
    void exec_queueKilledAfterTheIoctlCheckedIt_jobEndsWithEioAsKilledNotBanned() {
        // The destroy (xe_exec_queue_kill) comes between xe_exec_ioctl's check and the push:
        // the scheduler does not run the job; reset_status covers killed and banned alike, and
        // the trace says which.
        DrmFixture fx = new DrmFixture(accelmm.sim.Designs.of(UserptrDesign.HMM),
                new HandOver("test", List.of("notifier_lock vm 1 read"), "destroyer"), true);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int q = f.execQueueCreate(a, f.vmCreate());
            fx.sim.spawn("destroyer", () -> assertThat(f.execQueueDestroy(q)).isZero());

            DmaFence fence = ((Submission.Queued) f.exec(q, new JobSpec.Fill(DST, PAGE, (byte) 1))).fence();

            assertThat(fence.status()).isEqualTo(Errno.EIO.neg());
        });

        assertThat(fx.sim.trace().render()).contains("(queue killed)").doesNotContain("(queue banned)");
    }

    @Test
    void trace_readsAsIoctlsAndJobs() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(DST, PAGE, (byte) 1));
        });

        String trace = fx.sim.trace().render();
        assertThat(trace).contains("test: open gpu0 -> 0", "test: vm_create -> 1", "test: gem_create 4K -> 1",
                "test: vm_bind map bo=1 va=0x200000 size=4K -> ok", "test: exec_queue_create vm=1 -> 1",
                "test: exec queue=1 fill dst=0x200000 size=4K byte=0x1 -> gpu0 q1#1",
                "gpu0 engine: job gpu0 q1#1 fill dst=0x200000 size=4K byte=0x1 -> ok");
    }
}
