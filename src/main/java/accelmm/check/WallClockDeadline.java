package accelmm.check;

import accelmm.sim.Deadline;
import java.time.Duration;

/**
 * The end of a time budget on the machine's monotonic clock. It decides only how far an
 * exploration gets, never what an execution does.
 */
record WallClockDeadline(long endNanos) implements Deadline {

    /** {@code maxTime} from now, or {@link Deadline#NONE} for no limit. */
    static Deadline after(Duration maxTime) {
        if (maxTime == null) {
            return Deadline.NONE;
        }
        long now = System.nanoTime();
        // A budget too large for the clock's range is no limit in practice.
        long nanos = maxTime.compareTo(Duration.ofDays(365 * 100L)) > 0 ? Long.MAX_VALUE / 2 : maxTime.toNanos();
        return new WallClockDeadline(now + nanos);
    }

    @Override
    public boolean passed() {
        return System.nanoTime() - endNanos >= 0;
    }

    @Override
    public long nanosLeft() {
        return Math.max(0, endNanos - System.nanoTime());
    }
}
