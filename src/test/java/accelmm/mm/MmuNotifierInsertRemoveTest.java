package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.NotifierHarness.Recorder;
import accelmm.sim.Completion;
import org.junit.jupiter.api.Test;

/**
 * Insertion and removal of interval subscriptions while invalidations run (mm/mmu_notifier.c
 * {@code __mmu_interval_notifier_insert}, {@code mmu_interval_notifier_remove},
 * {@code mn_itree_inv_end}): the tree does not change while the sequence is odd, so both are
 * deferred to the last {@code invalidate_range_end}; remove waits for it.
 */
class MmuNotifierInsertRemoveTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");
    private final Completion gate = h.gate("invalidation");
    /** Keeps every invalidation of its subscription open until the gate opens. */
    private final Recorder blocking = new Recorder(h.kernel).during(call -> {
        h.log("callback " + call.event());
        gate.waitForCompletion();
    });
    private final long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);

    @Test
    void insert_duringInvalidation_notInSubscriptionsUntilTheEnd() {
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, blocking, "first");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        MmuIntervalNotifier[] late = new MmuIntervalNotifier[1];
        h.spawn("A.unmapper", () -> assertThat(a.munmap(addr, PAGE)).isZero());
        h.spawn("A.inserter", () -> {
            late[0] = a.mm().insertIntervalNotifier(addr, 4 * PAGE, new Recorder(h.kernel), "late");
            assertThat(subs.subscriptions()).as("during the invalidation").doesNotContain(late[0]);
            gate.completeAll();
        });

        h.run();

        assertThat(subs.subscriptions()).as("after the last end").contains(late[0]);
    }

    @Test
    void insert_duringInvalidation_readBeginWaitsForThatInvalidation() {
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, blocking, "first");
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            h.log("munmap returned");
        });
        h.spawn("A.inserter", () -> {
            MmuIntervalNotifier late = a.mm().insertIntervalNotifier(addr, 4 * PAGE, new Recorder(h.kernel), "late");
            h.log("inserted");
            long seq = late.readBegin();
            h.log("read_begin returned");
            assertThat(late.readRetry(seq)).isFalse();
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("callback UNMAP", "inserted", "open gate", "munmap returned",
                "read_begin returned");
    }

    @Test
    void insert_duringInvalidation_noCallbackForItNorForOneNestedInIt() {
        NotifierHarness.fill(a, addr, 4, 1);
        a.mm().insertIntervalNotifier(addr, PAGE, blocking, "first");
        Recorder lateOps = new Recorder(h.kernel);
        h.spawn("A.first", () -> assertThat(a.madvise(addr, PAGE, Mmap.Advice.DONTNEED)).isZero());
        h.spawn("A.inserter", () -> {
            a.mm().insertIntervalNotifier(addr, 4 * PAGE, lateOps, "late");
            // A second invalidation nested in the first one, inside the late subscription's range.
            assertThat(a.madvise(addr + 2 * PAGE, PAGE, Mmap.Advice.DONTNEED)).isZero();
            gate.completeAll();
        });

        h.run();

        assertThat(lateOps.calls).isEmpty();
    }

    @Test
    void insert_duringInvalidation_getsCallbacksForLaterInvalidations() {
        a.mm().insertIntervalNotifier(addr, PAGE, blocking, "first");
        Recorder lateOps = new Recorder(h.kernel);
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            assertThat(a.munmap(addr + 2 * PAGE, PAGE)).isZero();
            assertThat(a.munmap(addr + 3 * PAGE, PAGE)).isZero();
        });
        h.spawn("A.inserter", () -> {
            a.mm().insertIntervalNotifier(addr, 4 * PAGE, lateOps, "late");
            gate.completeAll();
        });

        h.run();

        assertThat(lateOps.calls).extracting(c -> (c.start() - addr) / PAGE).containsExactly(2L, 3L);
    }

    @Test
    void insert_whileAnInvalidationHittingNothingRuns_readBeginWaitsForItsEnd() {
        // __mmu_interval_notifier_insert: "If some invalidate_range_start/end region is going on
        // in parallel we don't know what VA ranges are affected, so we must assume this new range
        // is included": the sequence goes odd and read_begin sleeps until that invalidation ends.
        long elsewhere = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(elsewhere + 64 * PAGE, PAGE, new Recorder(h.kernel), "bystander");
        MmStruct mm = a.mm();
        h.spawn("A.zapper", () -> {
            MmuNotifierRange range = new MmuNotifierRange(mm, addr, addr + 4 * PAGE, MmuNotifierEvent.CLEAR);
            mm.invalidateRangeStart(range);
            h.log("invalidation started");
            gate.waitForCompletion();
            mm.invalidateRangeEnd(range);
            h.log("invalidation ended");
        });
        h.spawn("A.inserter", () -> {
            MmuIntervalNotifier late = mm.insertIntervalNotifier(addr, 4 * PAGE, new Recorder(h.kernel), "late");
            h.log("inserted");
            long seq = late.readBegin();
            h.log("read_begin returned");
            assertThat(late.readRetry(seq)).isFalse();
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("invalidation started", "inserted", "open gate",
                "invalidation ended", "read_begin returned");
        assertThat(mm.notifierSubscriptions().isInvalidating()).isFalse();
    }

    @Test
    void remove_duringInvalidationThatUsesIt_waitsForTheEnd() {
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, blocking, "mirror");
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            h.log("munmap returned");
        });
        h.spawn("A.remover", () -> {
            h.log("remove");
            sub.remove();
            h.log("remove returned");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("callback UNMAP", "remove", "open gate", "munmap returned",
                "remove returned");
        assertThat(a.mm().notifierSubscriptions().subscriptions()).doesNotContain(sub);
    }

    @Test
    void remove_returned_noFurtherCallbacks() {
        Recorder ops = new Recorder(h.kernel);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> {
            sub.remove();
            assertThat(a.munmap(addr, 4 * PAGE)).isZero();
        });

        h.run();

        assertThat(ops.calls).isEmpty();
        assertThat(a.mm().notifierSubscriptions().subscriptions()).isEmpty();
    }

    @Test
    void remove_twice_throws() {
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, new Recorder(h.kernel), "mirror");
        h.spawn("A.main", () -> {
            sub.remove();
            assertThatThrownBy(sub::remove).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("removed twice");
        });

        h.run();
    }

    @Test
    void remove_secondCallWhileTheFirstWaits_throws() {
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, blocking, "mirror");
        h.spawn("A.unmapper", () -> assertThat(a.munmap(addr, PAGE)).isZero());
        h.spawn("A.remover", sub::remove);
        h.spawn("A.again", () -> {
            assertThatThrownBy(sub::remove).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("removed twice");
            gate.completeAll();
        });

        h.run();

        assertThat(a.mm().notifierSubscriptions().subscriptions()).doesNotContain(sub);
    }

    @Test
    void remove_ofInsertDeferredByTheSameInvalidation_returnsAtOnceAndNeverJoinsTheTree() {
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, blocking, "first");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        Recorder lateOps = new Recorder(h.kernel);
        MmuIntervalNotifier[] late = new MmuIntervalNotifier[1];
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            assertThat(a.munmap(addr + PAGE, PAGE)).isZero();
        });
        h.spawn("A.inserter", () -> {
            late[0] = a.mm().insertIntervalNotifier(addr, 4 * PAGE, lateOps, "late");
            late[0].remove();
            h.log("remove returned, invalidating=" + subs.isInvalidating());
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("callback UNMAP", "remove returned, invalidating=true",
                "callback UNMAP");
        assertThat(subs.subscriptions()).doesNotContain(late[0]);
        assertThat(lateOps.calls).isEmpty();
    }

    @Test
    void insertThenRemove_mmCountTakenAndDropped() {
        int before = a.mm().count();
        h.spawn("A.main", () -> {
            MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, PAGE, new Recorder(h.kernel), "mirror");
            assertThat(a.mm().count()).isEqualTo(before + 1);
            sub.remove();
        });

        h.run();

        assertThat(a.mm().count()).isEqualTo(before);
    }
}
