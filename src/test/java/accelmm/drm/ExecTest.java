package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Task;
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
            DmaFence copy = DrmFixture.execAndWait(f, q, new JobSpec.Copy(SRC, DST, PAGE));

            assertThat(fence.status()).isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.boContents(f.object(dst), 0, 1)).as("the page before the fault").isEqualTo("\7");
            assertThat(copy.error()).isEqualTo(Errno.EFAULT.neg());
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
