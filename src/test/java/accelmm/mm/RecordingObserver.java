package accelmm.mm;

import java.util.ArrayList;
import java.util.List;

/** A {@link MemoryAccessObserver} that keeps every access with its labels, in order. */
final class RecordingObserver implements MemoryAccessObserver {

    /** One reported access. */
    record Seen(MemoryAccess access, int[] labels) {
    }

    final List<Seen> seen = new ArrayList<>();

    @Override
    public void onAccess(MemoryAccess access, int[] labels) {
        seen.add(new Seen(access, labels == null ? null : labels.clone()));
    }

    /** The last access reported; fails if there was none. */
    Seen last() {
        if (seen.isEmpty()) {
            throw new AssertionError("no memory access was reported");
        }
        return seen.get(seen.size() - 1);
    }

    void clear() {
        seen.clear();
    }
}
