package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An allocation that does not fit in VRAM evicts other objects to make room ({@link EvictWalk},
 * KERNEL-SEMANTICS TE-1..TE-5): in LRU order, skipping pinned objects, waiting for the jobs and
 * the holders of the objects it evicts; ENOSPC only when nothing can be evicted, E2BIG for what
 * can never fit.
 */
class EvictWalkTest {

    private static final long VA = 0x100000;
    private static final long DST_VA = 0x200000;

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    /** A device with {@code pages} pages of VRAM on the fixture's machine. */
    private static DrmDevice device(DrmFixture fx, int pages) {
        return new DrmDevice(fx.kernel, "gpu1", (long) pages * PAGE);
    }

    private static DrmFile open(DrmDevice gpu, Task task) {
        return DrmFixture.file(task, gpu.open(task, false));
    }

    private static GemObject create(DrmFile f, int pages, GemPlacement placement) {
        int handle = f.gemCreate((long) pages * PAGE, placement, GemCaching.WC);
        assertThat(handle).as("gem_create").isPositive();
        return f.object(handle);
    }

    /** Exports object {@code handle} of {@code exporter} and imports it into {@code importer}: the new handle. */
    private int importInto(DrmFile importer, DrmFile exporter, int handle) {
        return importer.primeFdToHandle(a, exporter.primeHandleToFd(a, handle, false, false));
    }

    @Test
    void gemCreate_vramFull_evictsTheLeastRecentlyPlacedToSystemWithItsContents_TE2_TE4() {
        DrmDevice gpu = device(fx, 3);
        fx.run(() -> {
            int fd = gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int first = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(a, fd, f, first, 1);
            DrmFixture.write(a, cpu + 7, "oldest");
            GemObject second = create(f, 1, GemPlacement.VRAM);
            GemObject third = create(f, 1, GemPlacement.VRAM);

            GemObject fourth = create(f, 1, GemPlacement.VRAM);

            GemObject oldest = f.object(first);
            assertThat(oldest.inVram()).as("evicted, though its placement is VRAM only").isFalse();
            assertThat(oldest.page(0).zone().device()).isFalse();
            assertThat(DrmFixture.read(a, cpu + 7, 6)).as("faulted in from system memory").isEqualTo("oldest");
            assertThat(List.of(second, third, fourth)).allMatch(GemObject::inVram);
            assertThat(gpu.vramAvailableBytes()).isZero();
        });
    }

    @Test
    void gemCreate_needingSeveralPages_evictsInLruOrderUntilItFits() {
        DrmDevice gpu = device(fx, 4);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            List<GemObject> placed = List.of(create(f, 1, GemPlacement.VRAM), create(f, 1, GemPlacement.VRAM_SYSTEM),
                    create(f, 1, GemPlacement.VRAM), create(f, 1, GemPlacement.VRAM));

            GemObject big = create(f, 2, GemPlacement.VRAM);

            assertThat(big.inVram()).isTrue();
            assertThat(placed).extracting(GemObject::inVram).containsExactly(false, false, true, true);
        });
    }

    @Test
    void gemCreate_pinnedHeadOfLru_isSkippedAndTheNextEvicted_TE3() {
        DrmDevice gpu = device(fx, 2);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            GemObject pinned = create(f, 1, GemPlacement.VRAM);
            GemObject next = create(f, 1, GemPlacement.VRAM);
            pinned.pin();

            assertThat(create(f, 1, GemPlacement.VRAM).inVram()).isTrue();

            assertThat(pinned.inVram()).isTrue();
            assertThat(next.inVram()).isFalse();
        });
    }

    @Test
    void gemCreate_vramOnly_everythingPinned_isEnospcAndMovesNothing_TE1_TE3() {
        DrmDevice gpu = device(fx, 2);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            GemObject one = create(f, 1, GemPlacement.VRAM);
            GemObject two = create(f, 1, GemPlacement.VRAM_SYSTEM);
            one.pin();
            two.pin();

            // ttm_bo_evict_alloc: nothing evicted -> -EBUSY; no placement left -> -ENOSPC (propagated by xe).
            assertThat(f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC)).isEqualTo(Errno.ENOSPC.neg());

            assertThat(one.inVram()).isTrue();
            assertThat(two.inVram()).isTrue();
            assertThat(gpu.liveObjects()).hasSize(2);
        });
    }

    @Test
    void gemCreate_vramHoldsAnObjectAPeerImports_evictsItAndTheImporterMapsTheNewPages_DBM7() {
        DrmDevice gpu = new DrmDevice(fx.kernel, "gpu1", PAGE, true);
        DrmDevice importer = new DrmDevice(fx.kernel, "gpu2", true);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            DrmFile g = open(importer, a);
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
            GemObject exported = f.object(bo);
            GemObject imported = g.object(importInto(g, f, bo));
            PhysicalMemory.FrameRef before = imported.pageIfBacked(0) == null ? null
                    : PhysicalMemory.FrameRef.of(imported.pageIfBacked(0));

            GemObject next = create(f, 1, GemPlacement.VRAM);

            assertThat(next.inVram()).isTrue();
            assertThat(exported.inVram()).isFalse();
            assertThat(before).as("DBM-3: a peer maps the object in VRAM").isNotNull();
            assertThat(imported.pageIfBacked(0)).as("invalidate_mappings took the importer's table").isNull();
            imported.resv().lock();
            assertThat(imported.validateImport()).as("the next use validates: maps again").isZero();
            assertThat(imported.pageRef(0).frame()).as("at the new place").isSameAs(exported.pageRef(0).frame());
            imported.resv().unlock();
        });
    }

    @Test
    void gemCreate_vramHoldsAnObjectANonPeerImports_importMigratedItToSystem_DBM4() {
        DrmDevice gpu = device(fx, 1);
        DrmDevice importer = new DrmDevice(fx.kernel, "gpu2", false);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            DrmFile g = open(importer, a);
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC);
            GemObject exported = f.object(bo);
            importInto(g, f, bo);

            assertThat(exported.inVram()).as("xe_dma_buf_map migrates for an importer without p2p").isFalse();
            assertThat(exported.isPinned()).isFalse();
            assertThat(create(f, 1, GemPlacement.VRAM).inVram()).isTrue();
        });
    }

    @Test
    void gemCreate_vramSystem_vramFull_evictsBeforeFallingBack_TE1() {
        DrmDevice gpu = device(fx, 2);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            GemObject first = create(f, 2, GemPlacement.VRAM_SYSTEM);

            // xe marks the system placement of a VRAM|SYSTEM object FALLBACK: TTM tries VRAM with
            // eviction before it.
            GemObject second = create(f, 2, GemPlacement.VRAM_SYSTEM);

            assertThat(second.inVram()).isTrue();
            assertThat(first.inVram()).isFalse();
        });
    }

    @Test
    void gemCreate_vramSystem_nothingEvictable_fallsBackToSystem_TE1() {
        DrmDevice gpu = device(fx, 2);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            GemObject first = create(f, 2, GemPlacement.VRAM_SYSTEM);
            first.pin();

            GemObject second = create(f, 2, GemPlacement.VRAM_SYSTEM);

            assertThat(second.inVram()).isFalse();
            assertThat(second.page(0).zone().device()).isFalse();
            assertThat(first.inVram()).isTrue();
        });
    }

    @Test
    void gemCreate_largerThanTheWholeVram_isE2bigForEveryVramPlacementAndEvictsNothing_TE5() {
        DrmDevice gpu = device(fx, 2);
        fx.run(() -> {
            DrmFile f = open(gpu, a);
            GemObject resident = create(f, 1, GemPlacement.VRAM);

            // xe_ttm_vram_mgr_new: "don't trigger eviction for the impossible"; TTM returns the
            // error at once, without the fallback placement.
            assertThat(f.gemCreate(3L * PAGE, GemPlacement.VRAM, GemCaching.WC)).isEqualTo(Errno.E2BIG.neg());
            assertThat(f.gemCreate(3L * PAGE, GemPlacement.VRAM_SYSTEM, GemCaching.WC)).isEqualTo(Errno.E2BIG.neg());

            assertThat(resident.inVram()).isTrue();
            assertThat(f.gemCreate(3L * PAGE, GemPlacement.SYSTEM, GemCaching.WB)).isPositive();
        });
    }

    @Test
    void gemCreate_evictsAnotherProcesssObject_whichItsOwnerStillReads() {
        DrmDevice gpu = device(fx, 1);
        Task b = fx.process("B");
        fx.run(() -> {
            int fdB = gpu.open(b, false);
            DrmFile fileB = DrmFixture.file(b, fdB);
            int handleB = fileB.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpuB = DrmFixture.mmapBo(b, fdB, fileB, handleB, 1);
            DrmFixture.write(b, cpuB, "B's bytes");
            DrmFile fileA = DrmFixture.file(a, gpu.open(a, false));

            GemObject mine = create(fileA, 1, GemPlacement.VRAM);

            assertThat(mine.inVram()).isTrue();
            assertThat(fileB.object(handleB).inVram()).isFalse();
            assertThat(DrmFixture.read(b, cpuB, 9)).isEqualTo("B's bytes");
        });
    }

    @Test
    void gemCreate_victimInUseByARunningJob_waitsForItsFenceThenMovesIt_TE3() {
        // The engine starts copying from the victim; the test then allocates.
        DrmFixture r = new DrmFixture(Designs.of(UserptrDesign.HMM),
                new HandOver("gpu1 engine", List.of("job gpu1 q1#1 copy"), "test"), true);
        Task owner = r.process("A");
        DrmDevice gpu = device(r, 2);
        DmaFence[] job = new DmaFence[1];
        r.run(() -> {
            int fd = gpu.open(owner, false);
            DrmFile f = DrmFixture.file(owner, fd);
            int vm = f.vmCreate();
            int victim = f.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(owner, fd, f, victim, 2);
            DrmFixture.write(owner, cpu + PAGE, "copied whole");
            assertThat(f.vmBindMap(vm, victim, 0, VA, 2L * PAGE)).isZero();
            int dst = DrmFixture.boundBo(f, vm, DST_VA, 2);
            int q = f.execQueueCreate(owner, vm);
            job[0] = ((Submission.Queued) f.exec(q, new JobSpec.Copy(VA, DST_VA, 2L * PAGE))).fence();
            r.sim.preemptionPoint("test waits for the engine");
            assertThat(job[0].isSignaled()).as("the job is running when the allocation starts").isFalse();

            GemObject fresh = create(f, 2, GemPlacement.VRAM);

            assertThat(job[0].isSignaled()).as("the job finished before its object moved").isTrue();
            assertThat(job[0].status()).isEqualTo(1);
            assertThat(fresh.inVram()).isTrue();
            assertThat(f.object(victim).inVram()).isFalse();
            assertThat(r.boContents(f.object(dst), 1, 12)).isEqualTo("copied whole");
            assertThat(r.boContents(f.object(victim), 1, 12)).isEqualTo("copied whole");
        });
        assertThat(r.staleDeviceAccesses).isEmpty();
    }

    @Test
    void firstSweep_skipsAnObjectReservedBySomeoneElse_andEvictsTheNext_TE2() {
        DrmFixture r = handingOverFromHolder();
        Task owner = r.process("A");
        DrmDevice gpu = device(r, 2);
        r.run(() -> {
            DrmFile f = open(gpu, owner);
            GemObject reserved = create(f, 1, GemPlacement.VRAM);
            GemObject next = create(f, 1, GemPlacement.VRAM);
            reserveElsewhere(r, reserved);

            assertThat(create(f, 1, GemPlacement.VRAM).inVram()).isTrue();

            assertThat(reserved.inVram()).as("trylocked and skipped").isTrue();
            assertThat(next.inVram()).isFalse();
        });
    }

    @Test
    void laterSweep_waitsForTheHolderOfTheOnlyCandidate_thenEvictsIt_TE2() {
        DrmFixture r = handingOverFromHolder();
        Task owner = r.process("A");
        DrmDevice gpu = device(r, 1);
        r.run(() -> {
            DrmFile f = open(gpu, owner);
            GemObject reserved = create(f, 1, GemPlacement.VRAM);
            reserveElsewhere(r, reserved);

            GemObject fresh = create(f, 1, GemPlacement.VRAM);

            assertThat(fresh.inVram()).isTrue();
            assertThat(reserved.inVram()).isFalse();
        });
    }

    /** A machine where a holder actor runs until it holds a reservation, then the test runs. */
    private static DrmFixture handingOverFromHolder() {
        return new DrmFixture(Designs.of(UserptrDesign.HMM),
                new HandOver("holder", List.of("holder holds the reservation"), "test"), true);
    }

    /**
     * Has a holder actor reserve {@code obj} and keep it over a preemption point, as a bind or a
     * CPU fault would; returns once it holds it.
     */
    private static void reserveElsewhere(DrmFixture r, GemObject obj) {
        r.sim.spawn("holder", () -> {
            obj.resv().lock();
            r.sim.preemptionPoint("holder holds the reservation");
            obj.resv().unlock();
        });
        r.sim.preemptionPoint("test hands over");
    }
}
