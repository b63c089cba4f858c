package accelmm.mm;

/**
 * Models {@code struct mmu_interval_notifier}: a driver's subscription to invalidations of
 * {@code [start, last]} of one mm, with its own copy of the invalidation sequence.
 *
 * <p>The collision-retry protocol (mm/mmu_notifier.c):
 * <pre>
 *   seq = readBegin()          // sleeps while an invalidation of this range is in progress
 *   ... look up pages (hmm_range_fault) without holding the driver lock ...
 *   take driver lock
 *   if readRetry(seq): drop the lock, start over
 *   program the device with the pages; drop driver lock
 *
 *   invalidate callback: take driver lock; setSeq(curSeq); stop device use; drop driver lock
 * </pre>
 * {@code setSeq} and {@code readRetry} under one lock make it impossible to program the device
 * with pages an invalidation has already taken away.
 */
public final class MmuIntervalNotifier {

    private final MmuNotifierSubscriptions subscriptions;
    private final long start;
    private final long last;
    private final MmuIntervalNotifierOps ops;
    private final String name;
    long invalidateSeq;
    /** In the interval tree (as opposed to pending insertion, or removed). */
    boolean inTree;
    boolean removed;

    MmuIntervalNotifier(MmuNotifierSubscriptions subscriptions, long start, long last,
            MmuIntervalNotifierOps ops, String name) {
        this.subscriptions = subscriptions;
        this.start = start;
        this.last = last;
        this.ops = ops;
        this.name = name;
    }

    public MmStruct mm() {
        return subscriptions.mm();
    }

    public long start() {
        return start;
    }

    /** The last address covered (inclusive), as in the kernel. */
    public long last() {
        return last;
    }

    MmuIntervalNotifierOps ops() {
        return ops;
    }

    /** {@code mmu_interval_read_begin}. */
    public long readBegin() {
        return subscriptions.readBegin(this);
    }

    /** {@code mmu_interval_read_retry}: true if an invalidation happened since {@code seq} was read. */
    public boolean readRetry(long seq) {
        return invalidateSeq != seq;
    }

    /** {@code mmu_interval_check_retry}: the same answer, as an early hint without the driver lock. */
    public boolean checkRetry(long seq) {
        return invalidateSeq != seq;
    }

    /** {@code mmu_interval_set_seq}: called unconditionally from the invalidate callback. */
    public void setSeq(long curSeq) {
        invalidateSeq = curSeq;
    }

    /** {@code mmu_interval_notifier_remove}: after it returns no callback runs any more. */
    public void remove() {
        subscriptions.remove(this);
    }

    /** Whether {@code [start, last]} intersects the range (unsigned). */
    boolean overlaps(MmuNotifierRange range) {
        return Long.compareUnsigned(start, range.end()) < 0 && Long.compareUnsigned(range.start(), last) <= 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
