package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eviction of a VRAM object to system memory ({@link GemEvict}): contents and labels move, CPU
 * mappings are zapped and fault in the new pages, GPU PTEs follow, the VRAM is freed; the errors;
 * the wait for the jobs using the object; and what breaks when a step is left out.
 */
class EvictTest {

    private static final long VA = 0x100000;
    private static final long DST_VA = 0x200000;

    /** A machine whose schedule is {@code schedule}; records CPU accesses besides the fixture's device ones. */
    private static final class Machine {
        final DrmFixture fx;
        final Task a;
        final List<MemoryAccess> staleCpuAccesses = new ArrayList<>();
        DrmFile file;
        int fd;
        int vm;
        int queue;
        int handle;
        GemObject bo;
        long cpu;

        Machine(accelmm.sim.ChoiceSource schedule) {
            fx = new DrmFixture(Designs.of(UserptrDesign.HMM), schedule, true);
            a = fx.process("A");
            fx.kernel.physicalMemory().addObserver((access, labels) -> {
                if (access.via() == MemoryAccess.Via.CPU && access.staleReference()) {
                    staleCpuAccesses.add(access);
                }
            });
        }

        /** A 2-page VRAM object bound at {@link #VA}, CPU-mapped at {@link #cpu}, and a queue. */
        void setUp(GemPlacement placement) {
            fd = fx.gpu.open(a, false);
            file = DrmFixture.file(a, fd);
            vm = file.vmCreate();
            handle = file.gemCreate(2L * PAGE, placement, GemCaching.WC);
            bo = file.object(handle);
            assertThat(file.vmBindMap(vm, handle, 0, VA, 2L * PAGE)).isZero();
            cpu = DrmFixture.mmapBo(a, fd, file, handle, 2);
            queue = file.execQueueCreate(a, vm);
        }

        DmaFence submit(JobSpec spec) {
            return ((Submission.Queued) file.exec(queue, spec)).fence();
        }
    }

    private final Machine m = new Machine(new accelmm.sim.RandomChoiceSource(1));

    /** A page never touched has no VRAM frame to copy: it moves as an untouched page, read as zeroes. */
    @Test
    void evict_objectWithUntouchedPages_copiesOnlyTheTouchedOnes() {
        m.fx.run(() -> {
            DrmFile f = m.fx.open(m.a);
            GemObject bo = f.object(f.gemCreate(8L * PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC));
            PageFrame touched = bo.page(3);

            assertThat(m.fx.gpu.evict(bo)).isZero();

            assertThat(touched.isFree()).isTrue();
            assertThat(bo.pageIfBacked(3).zone().device()).isFalse();
            assertThat(bo.pageIfBacked(2)).isNull();
            assertThat(m.fx.kernel.physicalMemory().allocatedCount()).as("frames").isEqualTo(1);
            assertThat(m.fx.boContents(bo, 2, 4)).isEqualTo("\0\0\0\0");
        });
    }

    @Test
    void evict_vramObject_movesContentsAndLabelsToSystemAndFreesVram() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM_SYSTEM);
            DrmFixture.write(m.a, m.cpu + PAGE + 5, "keep me");
            PageFrame vramPage = m.bo.page(1);

            assertThat(m.fx.gpu.evict(m.bo)).isZero();

            assertThat(m.bo.inVram()).isFalse();
            assertThat(m.bo.page(1).zone().device()).isFalse();
            assertThat(m.fx.boContents(m.bo, 1, 12)).isEqualTo("\0\0\0\0\0keep me");
            assertThat(vramPage.isFree()).isTrue();
            assertThat(m.fx.gpu.vramAvailableBytes()).isEqualTo(m.fx.gpu.vramSizeBytes());
        });
    }

    @Test
    void evict_zapsCpuMappings_nextReadFaultsInTheNewPagesWithTheSameBytes() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM);
            DrmFixture.write(m.a, m.cpu + 10, "before");

            assertThat(m.fx.gpu.evict(m.bo)).isZero();

            assertThat(m.a.mm().pageTable().lookup(m.cpu)).as("CPU PTE after the zap").isNull();
            assertThat(DrmFixture.read(m.a, m.cpu + 10, 6)).isEqualTo("before");
            assertThat(m.a.mm().pageTable().lookup(m.cpu).frame()).isSameAs(m.bo.page(0));
        });
        assertThat(m.staleCpuAccesses).isEmpty();
    }

    @Test
    void evict_gpuPtesFollowTheObject_nextJobReadsTheNewPages() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM_SYSTEM);
            int dst = DrmFixture.boundBo(m.file, m.vm, DST_VA, 2);
            DrmFixture.write(m.a, m.cpu + PAGE, "gpu sees me");
            assertThat(m.fx.gpu.evict(m.bo)).isZero();

            DmaFence f = DrmFixture.execAndWait(m.file, m.queue, new JobSpec.Copy(VA, DST_VA, 2L * PAGE));

            assertThat(f.status()).isEqualTo(1);
            assertThat(m.fx.boContents(m.file.object(dst), 1, 11)).isEqualTo("gpu sees me");
            assertThat(m.file.vm(m.vm).pte(VA + PAGE).ref().frame()).isSameAs(m.bo.page(1));
        });
        assertThat(m.fx.staleDeviceAccesses).isEmpty();
        assertThat(m.fx.deviceAccesses).allMatch(access -> !access.frame().zone().device());
    }

    @Test
    void evict_pinnedInVram_isEbusyAndStays() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM_SYSTEM);
            m.bo.pin();

            assertThat(m.fx.gpu.evict(m.bo)).isEqualTo(Errno.EBUSY.neg());
            assertThat(m.bo.inVram()).isTrue();

            m.bo.unpin();
            assertThat(m.fx.gpu.evict(m.bo)).isZero();
        });
    }

    @Test
    void evict_systemOnlyObject_isEinval() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.SYSTEM);

            assertThat(m.fx.gpu.evict(m.bo)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void evict_twice_secondFindsItInSystemAndReturnsZero() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM);
            assertThat(m.fx.gpu.evict(m.bo)).isZero();
            PageFrame page = m.bo.page(0);

            assertThat(m.fx.gpu.evict(m.bo)).isZero();
            assertThat(m.bo.page(0)).isSameAs(page);
        });
    }

    @Test
    void evict_freedObject_isEnoent() {
        m.fx.run(() -> {
            DrmFile f = m.fx.open(m.a);
            int h = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            GemObject bo = f.object(h);
            f.gemClose(h);

            assertThat(m.fx.gpu.evict(bo)).isEqualTo(Errno.ENOENT.neg());
        });
    }

    // ---- scripted races with a job ----------------------------------------------------------

    @Test
    void evict_duringRunningJob_waitsForItsFenceBeforeMoving() {
        // The engine starts the copy; the evictor then runs whenever it can.
        Machine r = new Machine(new HandOver("gpu0 engine", List.of("job gpu0 q1#1 copy"), "evictor"));
        int[] ret = {1};
        DmaFence[] job = new DmaFence[1];
        r.fx.run(() -> {
            r.setUp(GemPlacement.VRAM_SYSTEM);
            int dst = DrmFixture.boundBo(r.file, r.vm, DST_VA, 2);
            DrmFixture.write(r.a, r.cpu + PAGE, "copied whole");
            job[0] = r.submit(new JobSpec.Copy(VA, DST_VA, 2L * PAGE));
            r.fx.sim.spawn("evictor", () -> {
                ret[0] = r.fx.gpu.evict(r.bo);
                assertThat(job[0].isSignaled()).as("job done before the move returns").isTrue();
            });
            job[0].waitSignaled();
            assertThat(r.fx.boContents(r.file.object(dst), 1, 12)).isEqualTo("copied whole");
        });
        assertThat(ret[0]).isZero();
        assertThat(job[0].status()).isEqualTo(1);
        assertThat(r.fx.staleDeviceAccesses).isEmpty();
        // Every read of the job hit the VRAM: the move came after it.
        assertThat(r.fx.deviceAccesses).filteredOn(access -> !access.write())
                .allMatch(access -> access.frame().zone().device());
    }

    @Test
    void jobSubmittedDuringEviction_waitsForTheMoveFence_andRunsOnTheNewPages() {
        // The evictor starts its copy; the test then submits a job reading the object.
        Machine r = new Machine(new HandOver("evictor", List.of("evict gem 1 copy page 0"), "test"));
        DmaFence[] job = new DmaFence[1];
        r.fx.run(() -> {
            r.setUp(GemPlacement.VRAM_SYSTEM);
            DrmFixture.boundBo(r.file, r.vm, DST_VA, 2);
            DrmFixture.write(r.a, r.cpu, "moving");
            r.fx.sim.spawn("evictor", () -> assertThat(r.fx.gpu.evict(r.bo)).isZero());
            r.fx.sim.preemptionPoint("test hands over");
            job[0] = r.submit(new JobSpec.Copy(VA, DST_VA, 2L * PAGE));
            job[0].waitSignaled();
        });
        assertThat(job[0].status()).isEqualTo(1);
        assertThat(r.fx.staleDeviceAccesses).isEmpty();
        assertThat(r.fx.deviceAccesses).as("the job ran after the move").isNotEmpty()
                .allMatch(access -> !access.frame().zone().device());
    }

    // ---- binds over the object's mappings (XB-1, op_lock_and_prep: drm_exec locks each op's object)

    /**
     * A machine whose evictor runs until it has switched the object to system pages and is about
     * to rewrite its PTEs, then hands over to the test.
     */
    private static Machine handingOverAtRetarget() {
        return new Machine(new HandOver("evictor", List.of("notifier_lock vm 1 write"), "test"));
    }

    /** Starts evicting {@code r.bo} on an actor of its own; the array gets the result. */
    private static int[] startEvictor(Machine r) {
        int[] ret = {1};
        r.fx.sim.spawn("evictor", () -> ret[0] = r.fx.gpu.evict(r.bo));
        r.fx.sim.preemptionPoint("test hands over");
        return ret;
    }

    @Test
    void vmBindMap_whileEvictionRetargetsPtes_waitsForTheReservation_andMapsTheNewPages() {
        Machine r = handingOverAtRetarget();
        r.fx.run(() -> {
            r.setUp(GemPlacement.VRAM);
            int[] ret = startEvictor(r);

            assertThat(r.file.vmBindMap(r.vm, r.handle, 0, DST_VA, PAGE)).isZero();

            assertThat(ret[0]).as("eviction done before the bind mapped").isZero();
            GpuVm vm = r.file.vm(r.vm);
            assertThat(vm.pte(DST_VA).ref().frame()).isSameAs(r.bo.page(0));
            assertThat(vm.pte(VA).ref().frame()).isSameAs(r.bo.page(0));
            assertThat(r.bo.page(0).zone().device()).isFalse();
        });
    }

    @Test
    void vmBindUserptrOverTheObject_whileEvictionRetargetsPtes_waitsForTheReservation() {
        Machine r = handingOverAtRetarget();
        r.fx.run(() -> {
            r.setUp(GemPlacement.VRAM);
            long user = DrmFixture.mmapAnon(r.a, 1);
            int[] ret = startEvictor(r);

            assertThat(r.file.vmBindUserptr(r.a, r.vm, user, VA, PAGE)).isZero();
            assertThat(r.file.vmBindUnmap(r.vm, VA, PAGE)).isZero();

            assertThat(ret[0]).isZero();
            GpuVm vm = r.file.vm(r.vm);
            assertThat(vm.pte(VA)).isNull();
            assertThat(vm.pte(VA + PAGE).ref().frame()).as("the kept piece").isSameAs(r.bo.page(1));
        });
    }

    // ---- what each step prevents ------------------------------------------------------------

    @Test
    void variantNoFenceWait_jobWriteAfterThePageWasCopied_isLost() {
        assertThat(fillRacingEviction(GemEvict.Variant.NO_FENCE_WAIT)).isEqualTo("\0\u00ee");
        assertThat(fillRacingEviction(GemEvict.Variant.FAITHFUL)).isEqualTo("\u00ee\u00ee");
    }

    /**
     * The evictor copies page 0, then a job fills both pages, then the evictor copies page 1:
     * returns the first byte of each page of the object afterwards.
     */
    private static String fillRacingEviction(GemEvict.Variant variant) {
        Machine r = new Machine(new HandOver("evictor", List.of("evict gem 1 copy page 1"), "gpu0 engine"));
        r.fx.run(() -> {
            r.setUp(GemPlacement.VRAM_SYSTEM);
            r.submit(new JobSpec.Fill(VA, 2L * PAGE, (byte) 0xee));
            r.fx.sim.spawn("evictor", () -> assertThat(GemEvict.evict(r.bo, variant)).isZero());
        });
        return r.fx.boContents(r.bo, 0, 1) + r.fx.boContents(r.bo, 1, 1);
    }

    @Test
    void variantNoGpuRetarget_nextJobReadsFreedVram() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM_SYSTEM);
            DrmFixture.boundBo(m.file, m.vm, DST_VA, 2);
            assertThat(GemEvict.evict(m.bo, GemEvict.Variant.NO_GPU_RETARGET)).isZero();
            m.file.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC); // reuses the VRAM frames

            DrmFixture.execAndWait(m.file, m.queue, new JobSpec.Copy(VA, DST_VA, PAGE));
        });
        assertThat(m.fx.staleDeviceAccesses).isNotEmpty()
                .allMatch(access -> access.frame().zone().name().equals("gpu0 vram"));
    }

    @Test
    void variantNoCpuZap_cpuReadReachesFreedVram() {
        m.fx.run(() -> {
            m.setUp(GemPlacement.VRAM);
            DrmFixture.write(m.a, m.cpu, "mapped");
            assertThat(GemEvict.evict(m.bo, GemEvict.Variant.NO_CPU_ZAP)).isZero();

            DrmFixture.read(m.a, m.cpu, 6);
        });
        assertThat(m.staleCpuAccesses).hasSize(1);
        assertThat(m.staleCpuAccesses.get(0).frame().isFree()).isTrue();
    }
}
