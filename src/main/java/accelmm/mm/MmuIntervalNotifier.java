package accelmm.mm;

import accelmm.sim.Shared;

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
 *
 * <p>Its sequence and its place in the tree are shared state ({@code shared}): the driver's
 * threads, its invalidate callback and the mm's invalidations reach them.
 */
public final class MmuIntervalNotifier {

    private final MmuNotifierSubscriptions subscriptions;
    private final long start;
    private final long last;
    private final MmuIntervalNotifierOps ops;
    private final String name;
    private final Shared shared;
    private long invalidateSeq;
    /** In the interval tree (as opposed to pending insertion, or removed). */
    private boolean inTree;
    private boolean removed;

    MmuIntervalNotifier(MmuNotifierSubscriptions subscriptions, long start, long last,
            MmuIntervalNotifierOps ops, String name, Shared shared) {
        this.subscriptions = subscriptions;
        this.shared = shared;
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

    /** The subscription's own sequence ({@code interval_sub->invalidate_seq}). */
    public long seq() {
        shared.read();
        return invalidateSeq;
    }

    /** Whether the subscription is in the interval tree (not pending insertion, not removed). */
    boolean inTree() {
        shared.read();
        return inTree;
    }

    void setInTree(boolean in) {
        shared.write();
        inTree = in;
    }

    /** Marks the subscription removed; whether it was already. */
    boolean markRemoved() {
        shared.write();
        boolean was = removed;
        removed = true;
        return was;
    }

    /** {@code mmu_interval_read_begin}. */
    public long readBegin() {
        return subscriptions.readBegin(this);
    }

    /** {@code mmu_interval_read_retry}: true if an invalidation happened since {@code seq} was read. */
    public boolean readRetry(long seq) {
        shared.read();
        return invalidateSeq != seq;
    }

    /** {@code mmu_interval_check_retry}: the same answer, as an early hint without the driver lock. */
    public boolean checkRetry(long seq) {
        shared.read();
        return invalidateSeq != seq;
    }

    /** {@code mmu_interval_set_seq}: called unconditionally from the invalidate callback. */
    public void setSeq(long curSeq) {
        shared.write();
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
