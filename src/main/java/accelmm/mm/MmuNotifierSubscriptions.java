package accelmm.mm;

import accelmm.sim.Access;
import accelmm.sim.Cost;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct mmu_notifier_subscriptions}: the interval subscriptions of one mm and the
 * invalidation sequence they share (mm/mmu_notifier.c).
 *
 * <p>{@code invalidateSeq} is even while no invalidation touching a subscription is running,
 * and odd while one is. {@link #invalidateRangeStart} makes it odd (if the range hits any
 * subscription; {@link #insert} does too while any invalidation runs) and passes that odd
 * value to each hit callback as {@code cur_seq}; the last {@link #invalidateRangeEnd} makes it
 * even again, applies the inserts and removals deferred meanwhile, and wakes {@code readBegin}
 * sleepers. Overlapping invalidations nest through {@code activeInvalidateRanges}.
 *
 * <p>The sequence, the count of active ranges, the tree and the deferred list are shared state,
 * reported as one {@code shared} (every invalidation of the mm writes the count anyway); each
 * subscription reports its own fields.
 */
public final class MmuNotifierSubscriptions {

    private final MmStruct mm;
    private final Simulation sim;
    private long invalidateSeq = 2;
    private int activeInvalidateRanges;
    /** The interval tree, kept as a list ordered by start, then insertion. */
    private final List<MmuIntervalNotifier> itree = new ArrayList<>();
    private final List<MmuIntervalNotifier> deferred = new ArrayList<>();
    private final WaitQueue wq;
    private final Shared shared;

    MmuNotifierSubscriptions(MmStruct mm, Simulation sim) {
        this.mm = mm;
        this.sim = sim;
        this.shared = sim.shared("mmu notifier subscriptions");
        this.wq = new WaitQueue(sim, "mmu_notifier " + mm);
    }

    MmStruct mm() {
        return mm;
    }

    /** The current sequence: even when idle. */
    public long invalidateSeq() {
        shared.read();
        return invalidateSeq;
    }

    /** {@code mn_itree_is_invalidating}. */
    public boolean isInvalidating() {
        shared.read();
        return (invalidateSeq & 1) != 0;
    }

    /** The live subscriptions, in tree order. */
    public List<MmuIntervalNotifier> subscriptions() {
        shared.read();
        return List.copyOf(itree);
    }

    /**
     * {@code __mmu_interval_notifier_insert}: while any invalidation runs, the new subscription
     * starts with the odd sequence (its readBegin waits for that invalidation to end), and joins
     * the tree at the last end if the sequence was already odd.
     */
    MmuIntervalNotifier insert(long start, long length, MmuIntervalNotifierOps ops, String name) {
        if (length == 0) {
            throw new IllegalArgumentException("bad notifier range");
        }
        MmuIntervalNotifier sub = new MmuIntervalNotifier(this, start, start + length - 1, ops, name,
                sim.shared("mmu interval notifier"));
        mm.mmgrab();
        shared.write();
        if (activeInvalidateRanges > 0) {
            // Some invalidation is running and its range may include the new one: readBegin must
            // wait for it. While the sequence is odd the tree may not change, so the insert is
            // deferred; if it is even (the running ranges hit no subscription) the tree may
            // change, and the sequence goes odd now so that the last end makes it even again.
            if (isInvalidating()) {
                deferred.add(sub);
            } else {
                invalidateSeq |= 1;
                addToTree(sub);
            }
            sub.setSeq(invalidateSeq);
        } else {
            // Never equal to a sequence the tree will use, so the first readBegin returns at once.
            sub.setSeq(invalidateSeq - 1);
            addToTree(sub);
        }
        return sub;
    }

    private void addToTree(MmuIntervalNotifier sub) {
        int i = itree.size();
        while (i > 0 && Long.compareUnsigned(itree.get(i - 1).start(), sub.start()) > 0) {
            i--;
        }
        itree.add(i, sub);
        sub.setInTree(true);
    }

    /** {@code mmu_interval_notifier_remove}: waits for an invalidation that still uses it. */
    void remove(MmuIntervalNotifier sub) {
        // Marked before anything can sleep, so that a second remove racing with this one is
        // caught too (it would queue the subscription on the deferred list twice).
        if (sub.markRemoved()) {
            throw new IllegalStateException("notifier " + sub + " removed twice");
        }
        sim.preemptionPoint("mmu_interval_notifier_remove");
        shared.write();
        long waitFor = 0;
        if (isInvalidating()) {
            if (!sub.inTree()) {
                deferred.remove(sub);
            } else {
                deferred.add(sub);
                waitFor = invalidateSeq;
            }
        } else {
            itree.remove(sub);
            sub.setInTree(false);
        }
        if (waitFor != 0) {
            long seq = waitFor;
            wq.waitEvent(() -> invalidateSeq() != seq);
        }
        mm.mmdrop();
    }

    /** {@code mmu_interval_read_begin}. */
    long readBegin(MmuIntervalNotifier sub) {
        // The step reads the sequences and may queue on wq; if it does not sleep it returns
        // into the driver, which declares nothing.
        sim.preemptionPoint("mmu_interval_read_begin", shared.writeAll());
        long seq = sub.seq();
        if (seq == invalidateSeq()) {
            wq.waitEvent(() -> invalidateSeq() != seq);
        }
        sim.endOfDeclaredAccess();
        return seq;
    }

    /** {@code mn_itree_invalidate} from {@code mmu_notifier_invalidate_range_start}. */
    void invalidateRangeStart(MmuNotifierRange range) {
        sim.preemptionPoint("invalidate_range_start");
        shared.write();
        activeInvalidateRanges++;
        List<MmuIntervalNotifier> hits = new ArrayList<>(2);
        for (MmuIntervalNotifier sub : itree) {
            if (sub.overlaps(range)) {
                hits.add(sub);
            }
        }
        if (!hits.isEmpty()) {
            invalidateSeq |= 1;
        }
        long curSeq = invalidateSeq;
        for (MmuIntervalNotifier sub : hits) {
            sim.costs().count(Cost.NOTIFIER_INVALIDATION);
            if (!sub.ops().invalidate(sub, range, curSeq)) {
                throw new IllegalStateException("notifier " + sub + " refused a blockable invalidation");
            }
        }
    }

    /** {@code mn_itree_inv_end} from {@code mmu_notifier_invalidate_range_end}. */
    void invalidateRangeEnd() {
        shared.write();
        if (activeInvalidateRanges <= 0) {
            throw new IllegalStateException("invalidate_range_end without start");
        }
        if (--activeInvalidateRanges > 0 || !isInvalidating()) {
            return;
        }
        invalidateSeq++;
        for (MmuIntervalNotifier sub : deferred) {
            if (sub.inTree()) {
                itree.remove(sub);
                sub.setInTree(false);
            } else {
                addToTree(sub);
            }
        }
        deferred.clear();
        wq.wakeUpAll();
    }
}
