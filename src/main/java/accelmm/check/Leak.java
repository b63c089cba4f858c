package accelmm.check;

import accelmm.mm.PageFrame;
import accelmm.sim.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code leak}: after a run in which every process exited and every file was closed, some
 * object is still alive — a frame, an open file, or a device object the device model lists.
 */
public final class Leak implements EndInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.LEAK;
    }

    @Override
    public Violation judge(RunEnd end) {
        if (!(end.outcome() instanceof Outcome.Completed)) {
            return null;
        }
        List<String> left = new ArrayList<>(end.liveObjects());
        end.kernel().openFiles().forEach(f -> left.add(f.toString()));
        left.addAll(frames(end.kernel().physicalMemory().frames()));
        return left.isEmpty() ? null : new Violation(kind(), end.sim().steps(), "",
                "still alive after every process exited: " + String.join(", ", left), Map.of("alive", left));
    }

    /**
     * The frames in use, a run of consecutive frames of one zone with equal counts as one entry
     * ({@code pfn 1..8 (refcount 1, mapcount 0, pins 0 each)}), so that a leaked buffer reads
     * as one line rather than a frame per page.
     */
    public static List<String> frames(List<PageFrame> frames) {
        List<String> out = new ArrayList<>();
        PageFrame first = null;
        PageFrame last = null;
        for (PageFrame f : frames) {
            if (f.isFree() || f.isZeroPage()) {
                continue;
            }
            if (last != null && f.pfn() == last.pfn() + 1 && f.zone() == last.zone() && sameCounts(f, last)) {
                last = f;
                continue;
            }
            if (first != null) {
                out.add(run(first, last));
            }
            first = f;
            last = f;
        }
        if (first != null) {
            out.add(run(first, last));
        }
        return out;
    }

    private static boolean sameCounts(PageFrame a, PageFrame b) {
        return a.refCount() == b.refCount() && a.mapCount() == b.mapCount() && a.pinCount() == b.pinCount();
    }

    private static String run(PageFrame first, PageFrame last) {
        String counts = "refcount " + first.refCount() + ", mapcount " + first.mapCount() + ", pins " + first.pinCount();
        return PageFrame.runLabel(first, last) + " (" + counts + (first == last ? ")" : " each)");
    }
}
