package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The xe side of the EU debugger's VM file: {@code xe_eudebug_vm_access} / {@code
 * xe_eudebug_vma_access} ("drm/xe/eudebug: vm open/pread/pwrite", EUD-09), {@code ttm_bo_access}
 * (EUD-10) and {@code xe_vm_userptr_access} ("drm/xe/eudebug: implement userptr_vma access", v3,
 * EUD-11), in intel-gpu/xekmd-backports backport/patches/features/eu-debug/.
 */
class EudebugVmAccessTest {

    private static final long BVA = 0x200000;
    private static final long UVA = 0x400000;
    private static final Principal DEBUGGER = new Principal("D");

    private final List<MemoryAccess> debuggerAccesses = new ArrayList<>();

    private DrmFixture fixture(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(Designs.of(design));
        fx.kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.DEBUGGER) {
                debuggerAccesses.add(access);
            }
        });
        return fx;
    }

    private static long read(GpuVm vm, long va, byte[] out, EudebugVmAccess.UserptrCheck check) {
        return EudebugVmAccess.access(vm, va, out, null, false, DEBUGGER, check);
    }

    private static long read(GpuVm vm, long va, byte[] out) {
        return read(vm, va, out, EudebugVmAccess.UserptrCheck.SEQUENCE);
    }

    @Test
    void eud09_readStartingInAHole_isEinval() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, BVA, 1);

            // xe_vm_find_overlapping_vma finds the object's mapping, but it starts above the VA.
            assertThat(read(f.vm(vm), BVA - PAGE, new byte[2 * PAGE])).isEqualTo(Errno.EINVAL.neg());
            assertThat(read(f.vm(vm), UVA, new byte[8])).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void eud09_readRunningIntoAHole_isShortAndAcrossAdjacentMappingsGoesOn() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int first = DrmFixture.boundBo(f, vm, BVA, 1);
            int second = DrmFixture.boundBo(f, vm, BVA + PAGE, 1);
            DrmFixture.write(a, DrmFixture.mmapBo(a, fd, f, first, 1) + PAGE - 3, "one");
            DrmFixture.write(a, DrmFixture.mmapBo(a, fd, f, second, 1), "two");

            byte[] out = new byte[3 * PAGE];
            assertThat(read(f.vm(vm), BVA, out)).isEqualTo(2L * PAGE); // a step per mapping, stopped by the hole
            assertThat(new String(out, PAGE - 3, 6, StandardCharsets.ISO_8859_1)).isEqualTo("onetwo");
        });
    }

    @Test
    void eud10_boInSystemMemory_isReadThroughTheObjectAsTheDebugger() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, BVA, 1);
            DrmFixture.write(a, DrmFixture.mmapBo(a, fd, f, bo, 1) + 16, "isa");

            byte[] out = new byte[3];
            assertThat(read(f.vm(vm), BVA + 16, out)).isEqualTo(3);

            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("isa");
            assertThat(debuggerAccesses).singleElement().satisfies(r -> {
                assertThat(r.principal()).isEqualTo(DEBUGGER);
                assertThat(r.write()).isFalse();
                assertThat(r.through()).startsWith("kmap ");
            });
        });
    }

    @Test
    void eud10_boInVram_isReadThroughAccessMemory() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int bo = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            assertThat(f.vmBindMap(vm, bo, 0, BVA, PAGE)).isZero();
            byte[] data = DrmFixture.bytes("breakpoint");
            assertThat(EudebugVmAccess.access(f.vm(vm), BVA, data, null, true, DEBUGGER,
                    EudebugVmAccess.UserptrCheck.SEQUENCE)).isEqualTo(data.length);

            assertThat(fx.boContents(f.object(bo), 0, data.length)).isEqualTo("breakpoint");
            assertThat(debuggerAccesses).singleElement().satisfies(w -> {
                assertThat(w.write()).isTrue();
                assertThat(w.frame().zone().device()).isTrue();
                assertThat(w.through()).startsWith("access_memory ");
            });
        });
    }

    @Test
    void eud10_offsetIntoTheObjectIsTheOffsetIntoTheMapping() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = f.gemCreate(2L * PAGE);
            long p = DrmFixture.mmapBo(a, fd, f, bo, 2);
            DrmFixture.write(a, p, "page0");
            DrmFixture.write(a, p + PAGE, "page1");
            assertThat(f.vmBindMap(vm, bo, PAGE, BVA, PAGE)).isZero();

            // xe_eudebug_vma_access passes offset_in_vma to ttm_bo_access, without the
            // mapping's offset into the object: the debugger sees page 0 where the GPU sees page 1.
            byte[] out = new byte[5];
            assertThat(read(f.vm(vm), BVA, out)).isEqualTo(5);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("page0");
        });
    }

    @Test
    void eud10_ttmBoAccessPastTheObjectsEnd_isEio() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            GemObject bo = f.object(f.gemCreate(PAGE));

            assertThat(EudebugVmAccess.ttmBoAccess(bo, PAGE - 4, new byte[8], null, 0, 8, false, DEBUGGER))
                    .isEqualTo(Errno.EIO.neg());
            assertThat(EudebugVmAccess.ttmBoAccess(bo, 0, new byte[8], null, 0, 0, false, DEBUGGER))
                    .isEqualTo(Errno.EIO.neg());
            assertThat(debuggerAccesses).isEmpty();
        });
    }

    @Test
    void eud11_userptr_readsTheCurrentPagesOfTheRange() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 2);
            DrmFixture.write(a, p + PAGE, "user");
            assertThat(f.vmBindUserptr(a, vm, p, UVA, 2L * PAGE)).isZero();

            byte[] out = new byte[4];
            assertThat(read(f.vm(vm), UVA + PAGE, out)).isEqualTo(4);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("user");
            assertThat(debuggerAccesses).singleElement().satisfies(r -> {
                assertThat(r.staleReference()).isFalse();
                assertThat(r.through()).isEqualTo(EudebugVmAccess.THROUGH + " 0x" + Long.toHexString(UVA + PAGE));
            });
        });
    }

    @Test
    void eud11_userptrUnmapped_sequenceCheckFaultsAgainAndFails() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            assertThat(a.munmap(p, PAGE)).isZero();

            // The sequence moved: hmm_range_fault of the unmapped range is -EFAULT, returned as is.
            assertThat(read(f.vm(vm), UVA, new byte[8])).isEqualTo(Errno.EFAULT.neg());
            assertThat(debuggerAccesses).isEmpty();
        });
    }

    @Test
    void eud11_userptrRemapped_sequenceCheckReadsTheNewPages_noRetryTheFreedOnes() {
        for (EudebugVmAccess.UserptrCheck check : EudebugVmAccess.UserptrCheck.values()) {
            debuggerAccesses.clear();
            DrmFixture fx = fixture(UserptrDesign.HMM);
            Task a = fx.process("A");
            fx.run(() -> {
                DrmFile f = fx.open(a);
                int vm = f.vmCreate();
                long p = DrmFixture.mmapAnon(a, 1);
                DrmFixture.write(a, p, "old");
                assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
                assertThat(a.munmap(p, PAGE)).isZero();
                assertThat(a.mmap(p, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(p);
                DrmFixture.write(a, p, "new");

                byte[] out = new byte[3];
                assertThat(read(f.vm(vm), UVA, out, check)).isEqualTo(3);

                if (check == EudebugVmAccess.UserptrCheck.SEQUENCE) {
                    assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("new");
                    assertThat(debuggerAccesses).noneMatch(MemoryAccess::staleReference);
                } else {
                    // The pfns hmm_range_fault found at bind: a frame munmap freed.
                    assertThat(debuggerAccesses).singleElement().satisfies(r -> {
                        assertThat(r.staleReference()).isTrue();
                        assertThat(r.invalidatedMapping()).isTrue();
                    });
                }
            });
        }
    }

    @Test
    void eud11_noRetry_pageReusedByAnotherProcess_readsItsLabelledBytes() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        Task c = fx.process("C");
        List<int[]> labelsRead = new ArrayList<>();
        fx.kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.DEBUGGER) {
                labelsRead.add(labels);
            }
        });
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            assertThat(a.munmap(p, PAGE)).isZero();
            long q = DrmFixture.mmapAnon(c, 1);
            int[] secret = new int[8];
            Arrays.fill(secret, 7);
            assertThat(c.write(q, DrmFixture.bytes("C secret"), secret)).isZero();

            byte[] out = new byte[8];
            assertThat(read(f.vm(vm), UVA, out, EudebugVmAccess.UserptrCheck.NONE)).isEqualTo(8);

            // The frame munmap freed is the next one allocated: C's page, read by the debugger.
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("C secret");
            assertThat(debuggerAccesses).singleElement().satisfies(r -> assertThat(r.staleReference()).isTrue());
            assertThat(labelsRead).singleElement().satisfies(l -> assertThat(l).containsOnly(7));
        });
    }

    @Test
    void eud11_debuggersRefault_takesTheRangeOffTheInvalidatedList() {
        DrmFixture fx = fixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            assertThat(a.munmap(p, PAGE)).isZero();
            assertThat(a.mmap(p, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(p);
            assertThat(f.vm(vm).userptr().checkRepin()).as("invalidated by munmap").isTrue();

            assertThat(read(f.vm(vm), UVA, new byte[8])).isEqualTo(8);

            // list_del_init(&uvma->userptr.invalidate_link): exec no longer sees it to rebind.
            assertThat(f.vm(vm).userptr().checkRepin()).isFalse();
            assertThat(f.vm(vm).pte(UVA)).as("the GPU PTE stays zapped").isNull();
        });
    }

    @Test
    void eud11_pinDesign_readsThePinnedPagesAfterMunmap() {
        DrmFixture fx = fixture(UserptrDesign.PIN);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            long p = DrmFixture.mmapAnon(a, 1);
            DrmFixture.write(a, p, "kept");
            assertThat(f.vmBindUserptr(a, vm, p, UVA, PAGE)).isZero();
            assertThat(a.munmap(p, PAGE)).isZero();

            for (EudebugVmAccess.UserptrCheck check : EudebugVmAccess.UserptrCheck.values()) {
                byte[] out = new byte[4];
                assertThat(read(f.vm(vm), UVA, out, check)).isEqualTo(4);
                assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("kept");
            }
            assertThat(debuggerAccesses).hasSize(2).noneMatch(MemoryAccess::staleReference);
        });
    }
}
