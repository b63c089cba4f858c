package accelmm.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * Interval-notifier ops that follow the protocol (set the sequence unconditionally) and keep
 * every invalidation they were given.
 */
final class RecordingNotifier implements MmuIntervalNotifierOps {

    final List<MmuNotifierRange> ranges = new ArrayList<>();

    @Override
    public boolean invalidate(MmuIntervalNotifier subscription, MmuNotifierRange range, long curSeq) {
        subscription.setSeq(curSeq);
        ranges.add(range);
        return true;
    }

    List<MmuNotifierEvent> events() {
        return ranges.stream().map(MmuNotifierRange::event).toList();
    }
}
