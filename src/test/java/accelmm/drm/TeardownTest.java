package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.TraceEvent;
import org.junit.jupiter.api.Test;

/**
 * VM reference and open counts, and what file close leaves behind, under both {@link
 * TeardownDesign}s (seed 001).
 */
class TeardownTest {

    private static final long VA = 0x200000;

    private final DrmFixture open = new DrmFixture(Designs.of(TeardownDesign.OPEN_COUNT));
    private final DrmFixture refOnly = new DrmFixture(Designs.of(TeardownDesign.REFCOUNT_ONLY));

    @Test
    void vmCreate_openCount_idHoldsOneReferenceAndOneOpen_queueOnlyAReference() {
        Task a = open.process("A");
        open.run(() -> {
            DrmFile f = open.open(a);
            int vm = f.vmCreate();
            GpuVm v = f.vm(vm);
            assertThat(v.refCount()).isEqualTo(1);
            assertThat(v.openCount()).isEqualTo(1);

            f.execQueueCreate(a, vm);
            DrmFixture.boundBo(f, vm, VA, 1);

            assertThat(v.refCount()).as("queue reference; the mapping holds none").isEqualTo(2);
            assertThat(v.openCount()).isEqualTo(1);
        });
    }

    @Test
    void vmDestroy_openCount_lastOpenClosesAndUnmaps_queueKeepsItUntilDestroyed() {
        Task a = open.process("A");
        open.run(() -> {
            DrmFile f = open.open(a);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, VA, 2);
            int q = f.execQueueCreate(a, vm);
            GpuVm v = f.vm(vm);
            GemObject obj = f.object(bo);
            assertThat(obj.refCount()).as("handle and mapping").isEqualTo(2);

            assertThat(f.vmDestroy(vm)).isZero();

            assertThat(v.openCount()).isZero();
            assertThat(v.isClosed()).isTrue();
            assertThat(v.boundPageCount()).isZero();
            assertThat(obj.refCount()).as("the mapping's reference went with the unmap").isEqualTo(1);
            assertThat(v.refCount()).as("the queue's").isEqualTo(1);
            assertThat(f.execQueueDestroy(q)).isZero();
            assertThat(v.refCount()).isZero();
        });
    }

    @Test
    void vmBind_refcountOnly_objectHoldsACountedBackReferenceUntilUnmapped() {
        Task a = refOnly.process("A");
        refOnly.run(() -> {
            DrmFile f = refOnly.open(a);
            int vm = f.vmCreate();
            GpuVm v = f.vm(vm);
            assertThat(v.openCount()).as("no open count").isZero();

            DrmFixture.boundBo(f, vm, VA, 2);
            assertThat(v.refCount()).isEqualTo(2);
            assertThat(f.vmBindUnmap(vm, VA, PAGE)).isZero();
            assertThat(v.refCount()).as("one page still maps the object").isEqualTo(2);
            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();

            assertThat(v.refCount()).isEqualTo(1);
        });
    }

    @Test
    void vmDestroy_refcountOnly_vmWithoutMappings_isUnboundAndFreedByItsLastPut() {
        Task a = refOnly.process("A");
        refOnly.run(() -> {
            DrmFile f = refOnly.open(a);
            int vm = f.vmCreate();
            GpuVm v = f.vm(vm);

            assertThat(f.vmDestroy(vm)).isZero();

            assertThat(v.isClosed()).isTrue();
            assertThat(v.refCount()).isZero();
            assertThat(refOnly.gpu.liveObjects()).isEmpty();
        });
    }

    @Test
    void vmDestroy_refcountOnly_vmWithMappings_staysMappedAndAlive() {
        Task a = refOnly.process("A");
        refOnly.run(() -> {
            DrmFile f = refOnly.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 1);
            GpuVm v = f.vm(vm);

            assertThat(f.vmDestroy(vm)).isZero();

            assertThat(v.isClosed()).isFalse();
            assertThat(v.boundPageCount()).isEqualTo(1);
            assertThat(v.refCount()).as("the object's back-reference").isEqualTo(1);
        });
    }

    @Test
    void close_openCount_tearsDownQueuesThenVmsThenHandles() {
        Task a = open.process("A");
        open.run(() -> {
            int fd = open.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 4);
            int q = f.execQueueCreate(a, vm);
            // Still running when the file goes: the queue is drained before the VM is unmapped.
            DmaFence fence = ((Submission.Queued) f.exec(q, new JobSpec.Fill(VA, 4 * PAGE, (byte) 7))).fence();

            assertThat(a.close(fd)).isZero();

            assertThat(fence.isSignaled()).isTrue();
            assertThat(fence.error()).as("the job ran to the end, not into an unmapped VM").isZero();
            assertThat(releaseTrace(open)).isEqualTo(
                    "test: gpu0 release file 1 -> exec queue 1 destroyed, vm 1 freed, handle 1 freed gem object 1 (16K)");
            open.assertNothingLeft();
        });
    }

    @Test
    void close_openCount_objectSharedWithAnotherFileSurvives() {
        Task a = open.process("A");
        Task b = open.process("B");
        open.run(() -> {
            int fdA = open.gpu.open(a, false);
            DrmFile fa = DrmFixture.file(a, fdA);
            DrmFile fb = open.open(b);
            int vm = fa.vmCreate();
            int bo = DrmFixture.boundBo(fa, vm, VA, 1);
            GemObject obj = fa.object(bo);
            obj.get();
            int imported = fb.handleCreate(obj); // what PRIME import does

            assertThat(a.close(fdA)).isZero();

            assertThat(obj.isFreed()).isFalse();
            assertThat(obj.refCount()).as("B's handle only").isEqualTo(1);
            assertThat(fb.gemMmapOffset(imported)).isPositive();
            assertThat(open.gpu.liveObjects()).containsExactly(
                    "gpu0 gem object 1 (4K) held by handle 1 of gpu0 file 2");
            b.exit();
            open.assertNothingLeft();
        });
    }

    @Test
    void close_refcountOnly_vmAndObjectKeepEachOtherAlive_leakNamesTheCycle() {
        Task a = refOnly.process("A");
        refOnly.run(() -> {
            int fd = refOnly.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 4);
            f.execQueueCreate(a, vm);

            assertThat(a.close(fd)).isZero();

            assertThat(releaseTrace(refOnly)).isEqualTo("test: gpu0 release file 1 -> exec queue 1 destroyed, "
                    + "vm 1 kept, handle 1 dropped, kept gem object 1 (16K)");
            assertThat(refOnly.gpu.liveObjects()).containsExactly(
                    "gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000",
                    "gpu0 vm 1 held by gem object 1 back-reference");
        });
    }

    @Test
    void liveObjects_severalHolders_namesEveryOne() {
        Task a = open.process("A");
        open.run(() -> {
            int fd = open.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = f.gemCreate(3 * PAGE);
            assertThat(f.vmBindMap(vm, bo, 0, VA, PAGE)).isZero();
            assertThat(f.vmBindMap(vm, bo, PAGE, 0x300000, 2 * PAGE)).isZero();
            DrmFixture.mmapBo(a, fd, f, bo, 3);
            f.execQueueCreate(a, vm);

            assertThat(open.gpu.liveObjects()).containsExactly(
                    "gpu0 gem object 1 (12K) held by handle 1 of gpu0 file 1 and vm 1 mapping va 0x200000 "
                            + "and va 0x300000 and 1 CPU mapping",
                    "gpu0 vm 1 held by vm id 1 of gpu0 file 1 and exec queue 1",
                    "gpu0 exec queue 1 held by queue id 1 of gpu0 file 1");
        });
    }

    /** The trace line of the file's release. */
    private static String releaseTrace(DrmFixture fx) {
        return fx.sim.trace().events().stream().map(TraceEvent::render)
                .filter(l -> l.contains("release file")).findFirst().orElseThrow();
    }
}
