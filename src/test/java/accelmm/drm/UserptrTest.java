package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** vm_bind userptr under each design, without races: binding, copying, munmap, exit. */
class UserptrTest {

    private static final long UVA = 0x100000;
    private static final long DST = 0x200000;

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void bindUserptr_unmappedCpuRange_isEfaultAndLeavesNothing(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 4);
            assertThat(a.munmap(p + 2 * PAGE, 2 * PAGE)).isZero();

            assertThat(f.vmBindUserptr(a, vm, p, UVA, 4 * PAGE)).isEqualTo(Errno.EFAULT.neg());
            assertThat(f.vmBindUserptr(a, vm, 0x7000_0000_0000L, UVA, PAGE)).isEqualTo(Errno.EFAULT.neg());
            assertThat(f.vmBindUserptr(a, vm, 0xffff_8000_0000_0000L, UVA, PAGE)).as("kernel address")
                    .isEqualTo(Errno.EFAULT.neg());

            assertThat(f.vm(vm).boundPageCount()).isZero();
            assertThat(fx.gpu.liveObjects()).containsExactly("gpu0 vm 1 held by vm id 1 of gpu0 file 1");
            assertNoNotifier(a);
            a.exit();
            fx.assertNothingLeft();
        });
    }

    /** A failed bind leaves no interval notifier in the address space. */
    private static void assertNoNotifier(Task a) {
        assertThat(a.mm().notifierSubscriptions() == null
                || a.mm().notifierSubscriptions().subscriptions().isEmpty()).as("notifiers").isTrue();
    }

    /** xe_hmm_userptr_populate_range: a per-page array it cannot allocate is -ENOMEM before any fault. */
    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void bindUserptr_largerThanTheModelHolds_isEnomemAndLeavesNothing(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long size = 64L << 30;
            long p = a.mmap(0, size, Prot.READ_WRITE, false, false, -1, 0);

            assertThat(f.vmBindUserptr(a, vm, p, UVA, size)).isEqualTo(Errno.ENOMEM.neg());
            assertThat(f.vmBindUserptr(a, vm, p, UVA, DrmDevice.MAX_OBJECT_BYTES + PAGE)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(f.vm(vm).boundPageCount()).isZero();
            assertNoNotifier(a);
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void bindUserptr_failing_keepsWhatWasBoundThere(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, UVA, 1);

            assertThat(f.vmBindUserptr(a, vm, 0x7000_0000_0000L, UVA, PAGE)).isEqualTo(Errno.EFAULT.neg());

            assertThat(f.vm(vm).pte(UVA).ref()).isEqualTo(f.object(1).pageRef(0));
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void copyFromUserptr_seesTheProcessData(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 4);
            DrmFixture.write(a, p + 3 * PAGE, "hello");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 4 * PAGE)).isZero();
            int dst = DrmFixture.boundBo(f, vm, DST, 4);
            int q = f.execQueueCreate(a, vm);

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, 4 * PAGE));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 3, 5)).isEqualTo("hello");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void copyToUserptr_processSeesTheGpuWrite(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 1);
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            int q = f.execQueueCreate(a, vm);

            DrmFixture.execAndWait(f, q, new JobSpec.Fill(UVA, 3, (byte) 'z'));

            assertThat(DrmFixture.read(a, p, 4)).isEqualTo("zzz\0");
        });
    }

    @Test
    void hmm_afterMunmap_nextExecFaultsWithoutTouchingFreedPages() {
        DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 4);
            DrmFixture.write(a, p, "hello");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 4 * PAGE)).isZero();
            DrmFixture.boundBo(f, vm, DST, 4);
            int q = f.execQueueCreate(a, vm);
            assertThat(DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, 4 * PAGE)).status()).isEqualTo(1);

            assertThat(a.munmap(p, 4 * PAGE)).isZero();
            assertThat(f.vm(vm).pte(UVA)).as("zapped by the invalidation").isNull();
            Task other = fx.process("B");
            DrmFixture.write(other, DrmFixture.mmapAnon(other, 1), "reuses a freed frame");

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, 4 * PAGE));

            assertThat(fence.status()).isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
        });
    }

    @Test
    void hmm_afterMunmapAndNewMappingAtTheSameAddress_execMirrorsTheNewMemory() {
        DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "old");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);

            assertThat(a.munmap(p, PAGE)).isZero();
            assertThat(DrmFixture.mmapAnon(a, 1)).as("the lowest free address again").isEqualTo(p);
            DrmFixture.write(a, p, "new");
            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, PAGE));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 0, 3)).isEqualTo("new");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @Test
    void hmm_afterCowBreakInTheRange_execRevalidatesAndSeesTheNewPage() {
        DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "old");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            int dst = DrmFixture.boundBo(f, vm, DST, 1);
            int q = f.execQueueCreate(a, vm);
            Task child = a.fork("child");
            DrmFixture.write(a, p, "new");

            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, PAGE));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 0, 3)).isEqualTo("new");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            child.exit();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @Test
    void pin_afterMunmap_gpuKeepsThePinnedPages() {
        DrmFixture fx = new DrmFixture(UserptrDesign.PIN);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 2);
            DrmFixture.write(a, p + PAGE, "pinned");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 2 * PAGE)).isZero();
            int dst = DrmFixture.boundBo(f, vm, DST, 2);
            int q = f.execQueueCreate(a, vm);

            assertThat(a.munmap(p, 2 * PAGE)).isZero();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("2 pinned + 2 bo pages").isEqualTo(4);
            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, 2 * PAGE));

            assertThat(fence.status()).isEqualTo(1);
            assertThat(fx.boContents(f.object(dst), 1, 6)).isEqualTo("pinned");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            assertThat(f.vmBindUnmap(vm, UVA, PAGE)).isZero();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("one page unpinned and freed").isEqualTo(3);
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void unbindPartOfUserptr_leavesTheRestMapped(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 3);
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 3 * PAGE)).isZero();
            int q = f.execQueueCreate(a, vm);

            assertThat(f.vmBindUnmap(vm, UVA + PAGE, PAGE)).isZero();

            assertThat(DrmFixture.execAndWait(f, q, new JobSpec.Fill(UVA, PAGE, (byte) 'a')).status()).isEqualTo(1);
            assertThat(DrmFixture.execAndWait(f, q, new JobSpec.Fill(UVA + 2 * PAGE, PAGE, (byte) 'c')).status())
                    .isEqualTo(1);
            assertThat(DrmFixture.execAndWait(f, q, new JobSpec.Fill(UVA + PAGE, PAGE, (byte) 'b')).status())
                    .isEqualTo(Errno.EFAULT.neg());
            assertThat(DrmFixture.read(a, p, 1) + DrmFixture.read(a, p + PAGE, 1) + DrmFixture.read(a, p + 2 * PAGE, 1))
                    .isEqualTo("a\0c");
            assertThat(fx.gpu.liveObjects()).anyMatch(d -> d.startsWith("gpu0 userptr 1"));
            assertThat(f.vmBindUnmap(vm, UVA, 3 * PAGE)).isZero();
            assertThat(fx.gpu.liveObjects()).noneMatch(d -> d.contains("userptr 1"));
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void exit_withUserptrBound_releasesEverything(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = DrmFixture.mmapAnon(a, 2);
            DrmFixture.write(a, p, "x");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 2 * PAGE)).isZero();

            a.exit();

            fx.assertNothingLeft();
        });
    }

    @Test
    void hmm_processExitsWhileAnotherProcessHoldsTheFile_releaseInvalidatesAndExecFaults() {
        DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "x");
            int vm = f.vmCreate();
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            DrmFixture.boundBo(f, vm, DST, 1);
            Task b = fx.process("B");
            b.installFile(a.fget(fd), false);
            int q = f.execQueueCreate(b, vm);

            a.exit();

            assertThat(f.vm(vm).pte(UVA)).as("zapped by the RELEASE invalidation").isNull();
            DmaFence fence = DrmFixture.execAndWait(f, q, new JobSpec.Copy(UVA, DST, PAGE));
            assertThat(fence.status()).isEqualTo(Errno.EFAULT.neg());
            assertThat(fx.staleDeviceAccesses).isEmpty();
            b.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void bindUserptr_readOnlyMapping_isRefused(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long p = a.mmap(0, PAGE, Prot.READ, false, false, -1, 0);
            int vm = f.vmCreate();

            int ret = f.vmBindUserptr(a, vm, p, UVA, PAGE);

            assertThat(ret).isEqualTo(design == UserptrDesign.PIN ? Errno.EFAULT.neg() : Errno.EPERM.neg());
            assertThat(f.vm(vm).boundPageCount()).isZero();
        });
    }
}
