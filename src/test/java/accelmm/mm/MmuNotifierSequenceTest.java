package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.NotifierHarness.Invalidation;
import accelmm.mm.NotifierHarness.Recorder;
import org.junit.jupiter.api.Test;

/**
 * The sequence protocol of interval notifiers (KERNEL-SEMANTICS 13.1, mm/mmu_notifier.c): an
 * even sequence while idle, an odd {@code cur_seq} handed to the callbacks of the subscriptions
 * an invalidation overlaps, {@code read_retry} true after {@code set_seq}, and an even, larger
 * sequence after the last {@code invalidate_range_end}.
 */
class MmuNotifierSequenceTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");
    private final Recorder ops = new Recorder(h.kernel);

    @Test
    void insert_noInvalidationRunning_seqEvenAndSubscriptionInTree() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);

        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");

        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        assertThat(subs.invalidateSeq() % 2).isZero();
        assertThat(subs.isInvalidating()).isFalse();
        assertThat(subs.subscriptions()).containsExactly(sub);
    }

    @Test
    void readBegin_freshSubscription_returnsAtOnceWithRetryFalse() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        long[] seq = new long[1];
        h.spawn("A.main", () -> {
            h.log("read_begin");
            seq[0] = sub.readBegin();
            h.log("read_begin returned");
        });
        h.spawn("B.other", () -> h.log("B ran"));

        h.run();

        // Keep-running policy: had read_begin slept, B would have run in between.
        assertThat(h.events).containsExactly("read_begin", "read_begin returned", "B ran");
        assertThat(sub.readRetry(seq[0])).isFalse();
        assertThat(sub.checkRetry(seq[0])).isFalse();
        assertThat(seq[0]).isNotEqualTo(a.mm().notifierSubscriptions().invalidateSeq());
    }

    @Test
    void munmap_partOfSubscription_callsInvalidateOnceWithOddCurSeq() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 100);
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.unmapper", () -> assertThat(a.munmap(addr + PAGE, PAGE)).isZero());

        h.run();

        assertThat(ops.calls).hasSize(1);
        Invalidation call = ops.calls.get(0);
        assertThat(call.event()).isEqualTo(MmuNotifierEvent.UNMAP);
        assertThat(call.start()).isEqualTo(addr + PAGE);
        assertThat(call.end()).isEqualTo(addr + 2 * PAGE);
        assertThat(call.curSeq() % 2).isEqualTo(1);
        assertThat(call.mmSeq()).as("mm seq while the callback runs").isEqualTo(call.curSeq());
    }

    @Test
    void munmap_overlappingAfterReadBegin_readRetryTrue() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> {
            long seq = sub.readBegin();
            assertThat(a.munmap(addr + 3 * PAGE, PAGE)).isZero();
            assertThat(sub.readRetry(seq)).as("read_retry after an overlapping munmap").isTrue();
            assertThat(sub.checkRetry(seq)).as("check_retry after an overlapping munmap").isTrue();
        });

        h.run();
    }

    @Test
    void invalidate_callbackWithoutSetSeq_readRetryStaysFalse() {
        // Documents why set_seq is mandatory: the retry check only sees what the callback stored.
        Recorder lazy = new Recorder(h.kernel, false);
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, lazy, "lazy");
        h.spawn("A.main", () -> {
            long seq = sub.readBegin();
            assertThat(a.munmap(addr, PAGE)).isZero();
            assertThat(lazy.calls).hasSize(1);
            assertThat(sub.readRetry(seq)).isFalse();
        });

        h.run();
    }

    @Test
    void madviseDontneed_overlappingSubscription_deliversClearForTheRange() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 100);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> {
            long seq = sub.readBegin();
            assertThat(a.madvise(addr + PAGE, 2 * PAGE, Mmap.Advice.DONTNEED)).isZero();
            assertThat(sub.readRetry(seq)).isTrue();
        });

        h.run();

        assertThat(ops.calls).singleElement().satisfies(call -> {
            assertThat(call.event()).isEqualTo(MmuNotifierEvent.CLEAR);
            assertThat(call.start()).isEqualTo(addr + PAGE);
            assertThat(call.end()).isEqualTo(addr + 3 * PAGE);
            assertThat(call.curSeq() % 2).isEqualTo(1);
        });
    }

    @Test
    void mprotect_overlappingSubscription_deliversProtectionVma() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> assertThat(a.mprotect(addr, PAGE, Prot.READ)).isZero());

        h.run();

        assertThat(ops.events()).containsExactly(MmuNotifierEvent.PROTECTION_VMA);
    }

    @Test
    void munmap_notOverlapping_noCallbackAndSeqUnchanged() {
        long mirrored = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        long other = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, other, 2, 7);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(mirrored, 4 * PAGE, ops, "mirror");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        long before = subs.invalidateSeq();
        h.spawn("A.main", () -> {
            long seq = sub.readBegin();
            assertThat(a.munmap(other, 2 * PAGE)).isZero();
            assertThat(sub.readRetry(seq)).isFalse();
        });

        h.run();

        assertThat(ops.calls).isEmpty();
        // Had the sequence gone odd, the end would have made it even again one higher.
        assertThat(subs.invalidateSeq()).isEqualTo(before);
    }

    @Test
    void munmap_pageJustPastLast_noCallback() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr, 3 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> assertThat(a.munmap(addr + 3 * PAGE, PAGE)).isZero());

        h.run();

        assertThat(ops.calls).isEmpty();
    }

    @Test
    void munmap_pageJustBeforeStart_noCallback() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr + PAGE, 3 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> assertThat(a.munmap(addr, PAGE)).isZero());

        h.run();

        assertThat(ops.calls).isEmpty();
    }

    @Test
    void munmap_pageHoldingOnlyTheLastByte_callsInvalidate() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        // last = start + length - 1 is inclusive: here it is the first byte of the third page.
        a.mm().insertIntervalNotifier(addr, 2 * PAGE + 1, ops, "mirror");
        h.spawn("A.main", () -> assertThat(a.munmap(addr + 2 * PAGE, PAGE)).isZero());

        h.run();

        assertThat(ops.events()).containsExactly(MmuNotifierEvent.UNMAP);
    }

    @Test
    void invalidateRangeEnd_lastEnd_seqEvenAndTwoHigher() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        long before = subs.invalidateSeq();
        h.spawn("A.main", () -> assertThat(a.munmap(addr, PAGE)).isZero());

        h.run();

        assertThat(subs.isInvalidating()).isFalse();
        assertThat(subs.invalidateSeq() % 2).isZero();
        assertThat(subs.invalidateSeq()).isEqualTo(before + 2);
        assertThat(ops.calls.get(0).curSeq()).isEqualTo(before + 1);
    }

    @Test
    void readBegin_afterInvalidationEnded_returnsTheCallbackSeqWithRetryFalse() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            long seq = sub.readBegin();
            assertThat(seq).isEqualTo(ops.calls.get(0).curSeq());
            assertThat(sub.readRetry(seq)).isFalse();
        });

        h.run();
    }

    @Test
    void fork_cowMappingOfParent_deliversProtectionPageToParentSubscription() {
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 2 * PAGE, ops, "mirror");
        h.spawn("A.main", () -> {
            long seq = sub.readBegin();
            a.fork("B");
            assertThat(sub.readRetry(seq)).isTrue();
        });

        h.run();

        assertThat(ops.events()).containsExactly(MmuNotifierEvent.PROTECTION_PAGE);
    }

    @Test
    void invalidation_twoOverlappingSubscriptions_bothGetTheSameCurSeq() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        Recorder other = new Recorder(h.kernel);
        a.mm().insertIntervalNotifier(addr, 2 * PAGE, ops, "low");
        a.mm().insertIntervalNotifier(addr + PAGE, 3 * PAGE, other, "high");
        h.spawn("A.main", () -> assertThat(a.munmap(addr, 4 * PAGE)).isZero());

        h.run();

        assertThat(ops.calls).hasSize(1);
        assertThat(other.calls).hasSize(1);
        assertThat(other.calls.get(0).curSeq()).isEqualTo(ops.calls.get(0).curSeq());
    }
}
