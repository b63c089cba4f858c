package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of sm_map / sm_unmap, each applied at once, against a page array: after
 * every step the tree has no overlaps, maps exactly what the page array says (each page to an
 * object and offset, or nothing), and the op list has the shape the kernel documents. The VA
 * space is [0, 64) with the kernel node on [56, 64), so some requests are refused.
 */
class DrmGpuvmPropertyTest {

    static final int PAGES = 64;
    static final int RESERVED = 56;

    /** What one page of the reference maps: {@code obj} (null: sparse) at {@code offset}. */
    record Page(String obj, long offset) {
    }

    /** One request: a map of {@code obj} from {@code offset}, or an unmap. */
    record Request(boolean map, int addr, int range, String obj, long offset) {
    }

    @Property(tries = 500)
    void smMapAndSmUnmap_anySequence_treeMatchesPageArray(@ForAll("requests") List<Request> requests) {
        DrmGpuvm<String> vm = new DrmGpuvm<>("prop", 0, PAGES, RESERVED, PAGES - RESERVED);
        Page[] pages = new Page[PAGES];

        for (Request req : requests) {
            VaOps<String> ops = req.map()
                    ? vm.smMap(req.addr(), req.range(), req.obj(), req.offset())
                    : vm.smUnmap(req.addr(), req.range());
            if (req.addr() + req.range() > RESERVED) {
                assertThat(ops.isError()).isTrue();
                assertThat(pagesOf(vm)).containsExactly(pages);
                continue;
            }
            assertShape(vm, req, ops.ops());
            vm.apply(ops);
            update(pages, req);

            vm.checkInvariants();
            assertThat(pagesOf(vm)).containsExactly(pages);
            assertVmBosMatchTree(vm);
            if (req.map()) {
                assertThat(vm.find(req.addr(), req.range()))
                        .isEqualTo(new GpuVa<>(req.addr(), req.range(), req.obj(), req.offset()));
            }
        }
    }

    /**
     * Unmaps and remaps of mappings in the tree, {@code keep} only for a map request, at most
     * two remaps, and for a map exactly one map, last.
     */
    private static void assertShape(DrmGpuvm<String> vm, Request req, List<VaOp<String>> ops) {
        int remaps = 0;
        int maps = 0;
        for (VaOp<String> op : ops) {
            switch (op) {
                case VaOp.Map<String> m -> maps++;
                case VaOp.Remap<String> r -> {
                    remaps++;
                    assertUnmapOfMapped(vm, req, r.unmap());
                }
                case VaOp.Unmap<String> u -> assertUnmapOfMapped(vm, req, u);
            }
        }
        assertThat(remaps).isLessThanOrEqualTo(2);
        assertThat(maps).isEqualTo(req.map() ? 1 : 0);
        if (req.map()) {
            assertThat(ops.get(ops.size() - 1)).isInstanceOf(VaOp.Map.class);
        }
    }

    private static void assertUnmapOfMapped(DrmGpuvm<String> vm, Request req, VaOp.Unmap<String> unmap) {
        assertThat(vm.vas()).contains(unmap.va());
        assertThat(unmap.keep() && !req.map()).as("keep on an unmap request").isFalse();
    }

    private static void update(Page[] pages, Request req) {
        for (int i = 0; i < req.range(); i++) {
            pages[req.addr() + i] = req.map() ? new Page(req.obj(), req.offset() + i) : null;
        }
    }

    /** The tree, page by page; the kernel node's pages stay empty. */
    private static Page[] pagesOf(DrmGpuvm<String> vm) {
        Page[] out = new Page[PAGES];
        for (GpuVa<String> va : vm.vas()) {
            if (va == vm.kernelNode()) {
                continue;
            }
            for (long a = va.addr(); a < va.end(); a++) {
                out[(int) a] = new Page(va.obj(), va.offsetAt(a));
            }
        }
        return out;
    }

    /** Each object mapped has one vm_bo, listing exactly its mappings; no other vm_bo lives. */
    private static void assertVmBosMatchTree(DrmGpuvm<String> vm) {
        List<String> mappedObjects = vm.vas().stream().map(GpuVa::obj).filter(Objects::nonNull)
                .distinct().sorted().toList();
        assertThat(vm.vmBos()).extracting(GpuvmBo::obj).containsExactlyInAnyOrderElementsOf(mappedObjects);
        for (GpuvmBo<String> vmBo : vm.vmBos()) {
            List<GpuVa<String>> expected = vm.vas().stream().filter(va -> vmBo.obj().equals(va.obj())).toList();
            assertThat(vmBo.vas()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(vmBo.refCount()).isEqualTo(expected.size());
        }
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Request> request = Combinators.combine(
                Arbitraries.integers().between(0, 3).map(k -> k > 0), // three maps to one unmap
                Arbitraries.integers().between(0, PAGES - 1),
                Arbitraries.integers().between(1, 16),
                Arbitraries.of("a", "b", "c", "sparse"),
                Arbitraries.longs().between(0, 40))
                .as((map, addr, range, obj, offset) -> new Request(map, addr, Math.min(range, PAGES - addr),
                        obj.equals("sparse") ? null : obj, offset));
        return request.list().ofMaxSize(40);
    }
}
