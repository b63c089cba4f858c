package accelmm.virt;

import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.sim.Shared;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guest's own page tables, as far as the model needs them: which guest physical pages the
 * guest has mapped, and with which memory type (its PAT on x86, its MAIR on arm64). There is no
 * guest kernel: the guest's virtual addresses are its physical ones (identity translation), and
 * a later mapping of a page replaces its type. Kept as disjoint gfn ranges, not one entry a page:
 * a later mapping cuts the ranges it overlaps.
 */
final class GuestStage1 {

    /** A run of gfns {@code [start, end)} of one type. */
    private record Run(long end, PageCacheMode mode) {
    }

    /** Start gfn → its run; runs never overlap. */
    private final TreeMap<Long, Run> runs = new TreeMap<>();
    /**
     * The runs, by gfn. A map of {@code [start, end)} splits a run that reaches into the range,
     * but what a lookup outside the range finds stays the same, so it writes only the range.
     */
    private final Shared shared;

    GuestStage1(Shared shared) {
        this.shared = shared;
    }

    void map(long gpa, long size, PageCacheMode mode) {
        long start = gpa >>> PageFrame.PAGE_SHIFT;
        long end = start + (size >>> PageFrame.PAGE_SHIFT);
        shared.write(start, end);
        cut(start, end);
        runs.put(start, new Run(end, mode));
    }

    /** Removes {@code [start, end)} from the runs, keeping the parts of each outside it. */
    private void cut(long start, long end) {
        Map.Entry<Long, Run> below = runs.lowerEntry(start);
        if (below != null && below.getValue().end() > start) {
            Run run = below.getValue();
            runs.put(below.getKey(), new Run(start, run.mode()));
            if (run.end() > end) {
                runs.put(end, run);
            }
        }
        Map.Entry<Long, Run> inside = runs.ceilingEntry(start);
        while (inside != null && inside.getKey() < end) {
            Run run = runs.remove(inside.getKey());
            if (run.end() > end) {
                runs.put(end, run);
            }
            inside = runs.ceilingEntry(start);
        }
    }

    /** The guest's type for {@code gfn}, or null where the guest mapped nothing (its own #PF). */
    PageCacheMode lookup(long gfn) {
        shared.read(gfn, gfn + 1);
        Map.Entry<Long, Run> e = runs.floorEntry(gfn);
        return e != null && gfn < e.getValue().end() ? e.getValue().mode() : null;
    }
}
