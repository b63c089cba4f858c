package accelmm.check;

import accelmm.mm.PageFrame;
import accelmm.sim.Outcome;
import java.util.ArrayList;
import java.util.List;

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
        for (PageFrame f : end.kernel().physicalMemory().frames()) {
            if (!f.isFree() && !f.isZeroPage()) {
                left.add(f + " (refcount " + f.refCount() + ", mapcount " + f.mapCount() + ", pins " + f.pinCount()
                        + ")");
            }
        }
        return left.isEmpty() ? null : new Violation(kind(), end.sim().steps(), "",
                "still alive after every process exited: " + String.join(", ", left));
    }
}
