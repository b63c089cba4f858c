package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VM_BIND splits as the GPU sees them: the drm_gpuvm cases of KERNEL-SEMANTICS §11 run
 * through the ioctl, then checked by copying each GPU page of the area into a probe object.
 *
 * <p>Two 4-page objects {@code a} and {@code b} are filled through the GPU (exec fill, one byte
 * per page: page k of a holds {@code 0xa0 + k}, of b {@code 0xb0 + k}), so a copied byte names
 * the object and the page a GPU page now reads, and with it the offset arithmetic of the
 * split. Diagram units are pages from {@link #VA}; n = 1, m = 2. A case's expectation reads
 * {@code "a1 b2 a3 -"}: GPU page 0 reads page 1 of a, page 1 page 2 of b, page 2 page 3 of a,
 * page 3 faults (the copy's fence ends with -EFAULT). Each case also checks the mappings left
 * ({@code [0,1) a@1}: pages and the object's page offset) and the VM's invariants, and ends with
 * the process's exit, which must tear everything down. Userptr ranges (page k of the process
 * memory holds {@code 0xc0 + k}, read as {@code u0}) split the same way, under every design.
 */
class VmBindSplitTest {

    private static final long VA = 0x200000;
    private static final long SCRATCH = 0x1000000;
    private static final long PROBE = 0x2000000;
    private static final int AREA = 4;
    private static final int OBJECT_PAGES = 4;

    /** A bind of {@code pages} pages of object {@code bo} ('a' or 'b') from page {@code offset}, at page {@code at}; or, with {@code bo} '-', an unbind. */
    record Op(int at, int pages, char bo, int offset) {

        static Op map(int at, int pages, char bo, int offset) {
            return new Op(at, pages, bo, offset);
        }

        static Op unmap(int at, int pages) {
            return new Op(at, pages, '-', 0);
        }

        @Override
        public String toString() {
            return bo == '-' ? "unmap [" + at + "," + (at + pages) + ")"
                    : "[" + at + "," + (at + pages) + ") " + bo + "@" + offset;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("GV-01 identical request", List.of(Op.map(0, 2, 'a', 1)), Op.map(0, 2, 'a', 1),
                        "[0,2) a@1", "a1 a2 - -"),
                Arguments.of("GV-05 left-aligned inside, other object", List.of(Op.map(0, 2, 'a', 1)),
                        Op.map(0, 1, 'b', 2), "[0,1) b@2 [1,2) a@2", "b2 a2 - -"),
                Arguments.of("GV-07 right-aligned inside, other object", List.of(Op.map(0, 2, 'a', 1)),
                        Op.map(1, 1, 'b', 2), "[0,1) a@1 [1,2) b@2", "a1 b2 - -"),
                Arguments.of("GV-09 overlapping the end", List.of(Op.map(0, 2, 'a', 1)), Op.map(1, 2, 'b', 2),
                        "[0,1) a@1 [1,3) b@2", "a1 b2 b3 -"),
                Arguments.of("GV-10 same object, contiguous: not merged", List.of(Op.map(0, 2, 'a', 1)),
                        Op.map(1, 2, 'a', 2), "[0,1) a@1 [1,3) a@2", "a1 a2 a3 -"),
                Arguments.of("GV-11 centred: two remaps", List.of(Op.map(0, 3, 'a', 1)), Op.map(1, 1, 'b', 2),
                        "[0,1) a@1 [1,2) b@2 [2,3) a@3", "a1 b2 a3 -"),
                Arguments.of("GV-15 overlapping the start: n+1, not n+2", List.of(Op.map(1, 2, 'a', 1)),
                        Op.map(0, 2, 'b', 2), "[0,2) b@2 [2,3) a@2", "b2 b3 a2 -"),
                Arguments.of("GV-16 unmap the middle", List.of(Op.map(0, 3, 'a', 1)), Op.unmap(1, 1),
                        "[0,1) a@1 [2,3) a@3", "a1 - a3 -"),
                Arguments.of("GV-16 unmap across two mappings", List.of(Op.map(0, 2, 'a', 0), Op.map(2, 2, 'b', 1)),
                        Op.unmap(1, 2), "[0,1) a@0 [3,4) b@2", "a0 - - b2"),
                Arguments.of("GV-16 unmap a whole mapping and the head of the next",
                        List.of(Op.map(0, 1, 'a', 3), Op.map(1, 3, 'b', 0)), Op.unmap(0, 2),
                        "[2,4) b@1", "- - b1 b2"),
                Arguments.of("map over two mappings and a hole", List.of(Op.map(0, 1, 'a', 0), Op.map(3, 1, 'a', 3)),
                        Op.map(0, 4, 'b', 0), "[0,4) b@0", "b0 b1 b2 b3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vmBind_split_gpuReadsTheExpectedObjectPages(String name, List<Op> old, Op request, String mappings,
            String expected) {
        DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int q = f.execQueueCreate(a, vm);
            int[] bos = {filledBo(f, vm, q, 0xa0), filledBo(f, vm, q, 0xb0)};
            for (Op op : old) {
                assertThat(apply(f, vm, bos, op)).as("old %s", op).isZero();
            }

            assertThat(apply(f, vm, bos, request)).as("request %s", request).isZero();

            GpuVm v = f.vm(vm);
            v.checkInvariants();
            assertThat(describe(v, f, bos)).isEqualTo(mappings);
            String left = describe(v, f, bos);
            assertThat(f.object(bos[0]).refCount()).as("handle, and one vm_bo for all mappings")
                    .isEqualTo(left.contains("a@") ? 2 : 1);
            assertThat(f.object(bos[1]).refCount()).isEqualTo(left.contains("b@") ? 2 : 1);
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo(expected);
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    /** A 4-page object whose page k holds {@code base + k} everywhere, written by GPU fills through a scratch binding. */
    static int filledBo(DrmFile f, int vm, int q, int base) {
        int bo = DrmFixture.boundBo(f, vm, SCRATCH, OBJECT_PAGES);
        for (int k = 0; k < OBJECT_PAGES; k++) {
            DmaFence fill = DrmFixture.execAndWait(f, q,
                    new JobSpec.Fill(SCRATCH + (long) k * PAGE, PAGE, (byte) (base + k)));
            assertThat(fill.status()).isEqualTo(1);
        }
        assertThat(f.vmBindUnmap(vm, SCRATCH, (long) OBJECT_PAGES * PAGE)).isZero();
        return bo;
    }

    private static int apply(DrmFile f, int vm, int[] bos, Op op) {
        long va = VA + (long) op.at() * PAGE;
        long size = (long) op.pages() * PAGE;
        return op.bo() == '-' ? f.vmBindUnmap(vm, va, size)
                : f.vmBindMap(vm, bos[op.bo() - 'a'], (long) op.offset() * PAGE, va, size);
    }

    /**
     * What each GPU page of the area reads: copies it, one job per page, to its own page of a
     * probe object and decodes the first and last byte; {@code -} where the copy faulted. Each
     * copy runs on a queue of its own, since a fault bans its queue (XQ-2).
     */
    static String gpuReads(DrmFixture fx, DrmFile f, int vm, Task a) {
        int probe = DrmFixture.boundBo(f, vm, PROBE, AREA);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < AREA; i++) {
            int q = f.execQueueCreate(a, vm);
            DmaFence copy = DrmFixture.execAndWait(f, q,
                    new JobSpec.Copy(VA + (long) i * PAGE, PROBE + (long) i * PAGE, PAGE));
            assertThat(f.execQueueDestroy(q)).isZero();
            if (copy.status() == Errno.EFAULT.neg()) {
                out.add("-");
                continue;
            }
            assertThat(copy.status()).isEqualTo(1);
            String page = fx.boContents(f.object(probe), i, PAGE);
            assertThat(page.chars().distinct().count()).as("GPU page %d reads one object page", i).isEqualTo(1);
            int b = page.charAt(0);
            out.add(switch (b >> 4) {
                case 0xa -> "a";
                case 0xb -> "b";
                case 0xc -> "u";
                default -> "?" + Integer.toHexString(b >> 4);
            } + (b & 0xf));
        }
        assertThat(f.vmBindUnmap(vm, PROBE, (long) AREA * PAGE)).isZero();
        return String.join(" ", out);
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void unmap_middleOfUserptr_piecesStayMirrored(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int q = f.execQueueCreate(a, vm);
            long p = filledMemory(a);
            assertThat(f.vmBindUserptr(a, vm, p, VA, (long) AREA * PAGE)).isZero();

            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();

            GpuVm v = f.vm(vm);
            v.checkInvariants();
            assertThat(v.vas()).extracting(GpuVa::addr).containsExactly(VA, VA + 2 * PAGE);
            assertThat(v.userptr().size()).as("one range, in two pieces").isEqualTo(1);
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("u0 - u2 u3");
            assertThat(f.vmBindUnmap(vm, VA, PAGE)).isZero();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("- - u2 u3");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(value = UserptrDesign.class, names = {"HMM", "HMM_NO_RETRY"})
    void munmap_afterPartialUnbind_invalidationZapsEveryPiece(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int q = f.execQueueCreate(a, vm);
            long p = filledMemory(a);
            assertThat(f.vmBindUserptr(a, vm, p, VA, (long) AREA * PAGE)).isZero();
            assertThat(f.vmBindUnmap(vm, VA + PAGE, 2 * PAGE)).isZero();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("u0 - - u3");

            assertThat(a.munmap(p, (long) AREA * PAGE)).isZero();

            assertThat(f.vm(vm).pteCount()).as("both pieces zapped").isZero();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("- - - -");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void mapBo_intoTheMiddleOfAUserptr_splitsIt_GV11(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int q = f.execQueueCreate(a, vm);
            int b = filledBo(f, vm, q, 0xb0);
            long p = filledMemory(a);
            assertThat(f.vmBindUserptr(a, vm, p, VA, 3L * PAGE)).isZero();

            assertThat(f.vmBindMap(vm, b, 2 * PAGE, VA + PAGE, PAGE)).isZero();

            f.vm(vm).checkInvariants();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("u0 b2 u2 -");
            assertThat(f.vmBindUserptr(a, vm, p + 3 * PAGE, VA, PAGE)).as("userptr over userptr").isZero();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("u3 b2 u2 -");
            assertThat(fx.staleDeviceAccesses).isEmpty();
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void userptr_overTheMiddleOfABo_keepsTheBoPieces(UserptrDesign design) {
        DrmFixture fx = new DrmFixture(design);
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            int q = f.execQueueCreate(a, vm);
            int bo = filledBo(f, vm, q, 0xa0);
            long p = filledMemory(a);
            assertThat(f.vmBindMap(vm, bo, 0, VA, 3L * PAGE)).isZero();

            assertThat(f.vmBindUserptr(a, vm, p + 2 * PAGE, VA + PAGE, PAGE)).isZero();

            f.vm(vm).checkInvariants();
            assertThat(gpuReads(fx, f, vm, a)).isEqualTo("a0 u2 a2 -");
            a.exit();
            fx.assertNothingLeft();
        });
    }

    @Test
    void close_refcountOnly_splitMapping_leakNamesEachPieceAndTheCycle() {
        DrmFixture fx = new DrmFixture(Designs.of(TeardownDesign.REFCOUNT_ONLY));
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, VA, 4);
            assertThat(f.vmBindUnmap(vm, VA + PAGE, PAGE)).isZero();
            assertThat(f.vm(vm).refCount()).as("ID, and one back-reference for both pieces").isEqualTo(2);

            assertThat(a.close(fd)).isZero();

            assertThat(fx.gpu.liveObjects()).containsExactly(
                    "gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000 and va 0x202000",
                    "gpu0 vm 1 held by gem object 1 back-reference");
        });
    }

    @Test
    void close_openCount_splitMappings_unmapsEverythingThroughSmUnmap() {
        DrmFixture fx = new DrmFixture(Designs.of(TeardownDesign.OPEN_COUNT));
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            int bo = DrmFixture.boundBo(f, vm, VA, 4);
            assertThat(f.vmBindMap(vm, bo, 3L * PAGE, VA + PAGE, PAGE)).isZero();
            assertThat(f.vmBindUserptr(a, vm, DrmFixture.mmapAnon(a, 1), VA + 3 * PAGE, PAGE)).isZero();
            GpuVm v = f.vm(vm);
            assertThat(v.vas()).hasSize(4);

            assertThat(f.vmDestroy(vm)).isZero();

            assertThat(v.vas()).isEmpty();
            assertThat(v.pteCount()).isZero();
            assertThat(f.object(bo).refCount()).as("the handle's").isEqualTo(1);
            assertThat(fx.gpu.liveObjects()).containsExactly("gpu0 gem object 1 (16K) held by handle 1 of gpu0 file 1");
            a.exit();
            fx.assertNothingLeft();
        });
    }

    /** Four pages of anonymous memory, page k filled with {@code 0xc0 + k} by the CPU. */
    private static long filledMemory(Task task) {
        long p = DrmFixture.mmapAnon(task, AREA);
        for (int k = 0; k < AREA; k++) {
            DrmFixture.write(task, p + (long) k * PAGE, String.valueOf((char) (0xc0 + k)).repeat(PAGE));
        }
        return p;
    }

    /** The VM's mappings inside the area, in pages from {@link #VA}: {@code [0,1) a@1 [1,2) b@2}. */
    private static String describe(GpuVm v, DrmFile f, int[] bos) {
        List<String> out = new ArrayList<>();
        for (GpuVa<GpuVaBacking> va : v.vas()) {
            if (va.addr() < VA || va.addr() >= VA + (long) AREA * PAGE) {
                continue;
            }
            GemObject obj = ((GpuVaBacking.Bo) va.obj()).bo();
            char name = obj == f.object(bos[0]) ? 'a' : 'b';
            out.add("[" + (va.addr() - VA) / PAGE + "," + (va.end() - VA) / PAGE + ") " + name + "@"
                    + va.offset() / PAGE);
        }
        return String.join(" ", out);
    }
}
