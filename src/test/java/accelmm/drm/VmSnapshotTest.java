package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The VM part of a device coredump, {@code xe_vm_snapshot_capture} (phase 1) and {@code
 * xe_vm_snapshot_capture_delayed} (phase 2) in xe_vm.c: DCD-04 to DCD-07.
 */
class VmSnapshotTest {

    private static final long UVA = 0x100000;
    private static final long BVA = 0x200000;
    private static final Principal ROOT = new Principal("root");

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");
    private final List<MemoryAccess> dumpReads = new ArrayList<>();

    VmSnapshotTest() {
        fx.kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.COREDUMP) {
                dumpReads.add(access);
            }
        });
    }

    @Test
    void dcd05_capture_listsOnlyDumpableMappings() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int plain = f.gemCreate(PAGE);
            int dumped = f.gemCreate(PAGE);
            assertThat(f.vmBindMap(vm, plain, 0, UVA, PAGE)).isZero();
            assertThat(f.vmBindMap(vm, dumped, 0, BVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);
            snap.captureDelayed(ROOT);

            assertThat(snap.error()).isZero();
            assertThat(snap.entries()).extracting(VmSnapshot.Entry::va).containsExactly(BVA);
        });
    }

    @Test
    void dcd05_noDumpableMapping_isEnodevForTheWholeVm() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, BVA, 1);

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);

            assertThat(snap.error()).isEqualTo(Errno.ENODEV.neg()); // "[0].error: -19"
            assertThat(snap.entries()).isEmpty();
        });
    }

    @Test
    void dcd06_boMapping_isReadThroughTheObjectFromItsOffset() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2 * PAGE);
            long p = DrmFixture.mmapBo(a, fd, f, bo, 2);
            DrmFixture.write(a, p + PAGE, "second page");
            assertThat(f.vmBindMap(vm, bo, PAGE, BVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(false);
            snap.captureDelayed(ROOT);

            VmSnapshot.Entry e = snap.entries().get(0);
            assertThat(e.error()).isZero();
            assertThat(text(e.data(), 11)).isEqualTo("second page");
            assertThat(dumpReads).isNotEmpty().allMatch(r -> r.principal().equals(ROOT));
        });
    }

    @Test
    void dcd07_userptrIsReadInTheOwnersMmAtWorkerTime_notAtCapture() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "before");
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);
            DrmFixture.write(a, p, "after!"); // between the phases: no sequence check sees it
            snap.captureDelayed(ROOT);

            assertThat(text(snap.entries().get(0).data(), 6)).isEqualTo("after!");
            assertThat(dumpReads).extracting(r -> r.mapping().kind()).containsOnly(VmSnapshot.USERPTR_THROUGH);
        });
    }

    @Test
    void dcd07_userptrUnmappedBeforeTheWorker_isEfaultForThatMapping() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE, true)).isZero();
            DrmFixture.boundBo(f, vm, BVA, 1);

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);
            assertThat(a.munmap(p, PAGE)).isZero();
            snap.captureDelayed(ROOT);

            assertThat(snap.entries()).singleElement().satisfies(e -> {
                assertThat(e.error()).isEqualTo(Errno.EFAULT.neg());
                assertThat(e.data()).isNull();
            });
        });
    }

    @Test
    void dcd08_excludeUserptr_leavesUserptrMappingsOutAndReadsNoUserMemory() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(false);
            snap.captureDelayed(ROOT);

            assertThat(snap.entries()).isEmpty();
            assertThat(snap.error()).isEqualTo(Errno.ENODEV.neg());
            assertThat(dumpReads).isEmpty();
        });
    }

    @Test
    void dcd05_userptrWhoseOwnerMmIsGone_isEfaultAtCapture_andNothingIsRead() {
        fx.run(() -> {
            Task b = fx.process("B");
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(b, 1);
            // B binds its own memory through A's file (as after a send), then exits: the VM still
            // mirrors a range of an address space no user holds any more (mmget_not_zero fails).
            assertThat(f.vmBindUserptr(b, vm, p, UVA, PAGE, true)).isZero();
            b.exit();

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);
            snap.captureDelayed(ROOT);

            assertThat(snap.error()).isZero();
            assertThat(snap.entries()).singleElement().satisfies(e -> {
                assertThat(e.va()).isEqualTo(UVA);
                assertThat(e.error()).isEqualTo(Errno.EFAULT.neg());
                assertThat(e.data()).isNull();
            });
            assertThat(dumpReads).isEmpty();
        });
    }

    @Test
    void dcd06_vramBoMapping_isReadThroughTheObject() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            long p = DrmFixture.mmapBo(a, fd, f, bo, 1);
            DrmFixture.write(a, p, "in vram");
            assertThat(f.vmBindMap(vm, bo, 0, BVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(false);
            snap.captureDelayed(ROOT);

            assertThat(f.object(bo).placement()).isEqualTo(GemPlacement.VRAM);
            assertThat(text(snap.entries().get(0).data(), 7)).isEqualTo("in vram");
            assertThat(dumpReads).isNotEmpty().allMatch(r -> r.principal().equals(ROOT));
        });
    }

    @Test
    void dcd07_userptrRemappedBeforeTheWorker_dumpsTheNewBytes() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "old page");
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE, true)).isZero();

            VmSnapshot snap = f.vm(vm).snapshotCapture(true);
            assertThat(a.munmap(p, PAGE)).isZero();
            long again = a.mmap(p, PAGE, Prot.READ_WRITE, false, true, -1, 0);
            assertThat(again).isEqualTo(p);
            DrmFixture.write(a, p, "new page");
            snap.captureDelayed(ROOT);

            assertThat(text(snap.entries().get(0).data(), 8)).isEqualTo("new page");
        });
    }

    private static String text(byte[] data, int length) {
        return new String(data, 0, length, StandardCharsets.ISO_8859_1);
    }
}
