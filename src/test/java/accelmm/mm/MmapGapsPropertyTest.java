package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code get_unmapped_area} through {@link MmapGaps} returns what a walk over every VMA returns
 * (the lowest gap at or above MMAP_BASE), after any mix of mmaps, MAP_FIXED mmaps, munmaps and
 * mprotects, which split VMAs and merge them again: the addresses, and so the traces, are those
 * of the linear search the gap tree replaced.
 */
class MmapGapsPropertyTest {

    enum Kind { MMAP, MMAP_FIXED, MUNMAP, MPROTECT }

    record Op(Kind kind, int page, int pages) {
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void getUnmappedArea_afterAnyChanges_isTheLowestGapAVmaWalkFinds(@ForAll("ops") List<Op> ops) {
        MmFixture fx = new MmFixture();
        Task t = fx.process("P");
        fx.run(() -> {
            for (Op op : ops) {
                apply(t, op);
                for (long pages : new long[] {1, 2, 3, 8, 40}) {
                    assertThat(t.mm().getUnmappedArea(pages * PAGE)).as("%d pages after %s", pages, op)
                            .isEqualTo(lowestGap(t.mm().vmas(), pages * PAGE));
                }
            }
        });
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void getUnmappedArea_aboveTheTopOfUserSpace_isEnomem(@ForAll("ops") List<Op> ops) {
        MmFixture fx = new MmFixture();
        Task t = fx.process("P");
        fx.run(() -> {
            ops.forEach(op -> apply(t, op));
            long all = MmStruct.TASK_SIZE - MmStruct.MMAP_BASE;
            assertThat(t.mm().getUnmappedArea(all + PAGE)).isEqualTo(Errno.ENOMEM.neg());
            assertThat(t.mm().getUnmappedArea(all)).isEqualTo(lowestGap(t.mm().vmas(), all));
        });
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(-4, 60),
                Arbitraries.integers().between(1, 12)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    /** Pages are counted from MMAP_BASE; a few below it test a VMA that straddles it. */
    private static void apply(Task t, Op op) {
        long addr = MmStruct.MMAP_BASE + (long) op.page() * PAGE;
        long len = (long) op.pages() * PAGE;
        switch (op.kind()) {
            case MMAP -> t.mmap(0, len, Prot.READ_WRITE, false, false, -1, 0);
            case MMAP_FIXED -> t.mmap(addr, len, Prot.READ_WRITE, false, true, -1, 0);
            case MUNMAP -> t.munmap(addr, len);
            case MPROTECT -> t.mprotect(addr, len, op.pages() % 2 == 0 ? Prot.READ : Prot.READ_WRITE);
        }
    }

    /** The search before the gap tree: walk the VMAs up from MMAP_BASE to the first gap that fits. */
    private static long lowestGap(List<Vma> vmas, long length) {
        long candidate = MmStruct.MMAP_BASE;
        for (Vma v : vmas) {
            if (v.end() <= candidate) {
                continue;
            }
            if (v.start() - candidate >= length) {
                break;
            }
            candidate = Math.max(candidate, v.end());
        }
        return candidate + length <= MmStruct.TASK_SIZE ? candidate : Errno.ENOMEM.neg();
    }
}
