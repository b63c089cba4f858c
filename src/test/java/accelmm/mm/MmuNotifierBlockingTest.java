package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.NotifierHarness.Recorder;
import accelmm.sim.Completion;
import accelmm.sim.Outcome;
import org.junit.jupiter.api.Test;

/**
 * {@code mmu_interval_read_begin} sleeps while an invalidation touching its subscription is in
 * progress and returns once the last overlapping {@code invalidate_range_end} ran
 * (mm/mmu_notifier.c). An invalidate callback that blocks on a gate keeps the invalidation
 * open, so the tests can place other actors inside it.
 *
 * <pre>
 *   unmapper: munmap ─ invalidate_range_start ─ callback: set_seq, wait(gate) ·········· ─ end ─┐
 *   reader:                         read_begin ─ sleeps ······························· returns ◀┘
 *   opener:                                              gate.complete ─┘
 * </pre>
 */
class MmuNotifierBlockingTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");
    private final Completion gate = h.gate("invalidation");
    private final Recorder ops = new Recorder(h.kernel).during(call -> {
        h.log("callback " + call.event());
        gate.waitForCompletion();
    });

    @Test
    void readBegin_duringOverlappingInvalidation_returnsOnlyAfterItEnds() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            h.log("munmap returned");
        });
        h.spawn("A.reader", () -> {
            h.log("read_begin");
            sub.readBegin();
            h.log("read_begin returned, invalidating=" + subs.isInvalidating());
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("callback UNMAP", "read_begin", "open gate", "munmap returned",
                "read_begin returned, invalidating=false");
    }

    @Test
    void readBegin_duringOverlappingInvalidation_returnsTheCallbackSeqWithRetryFalse() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        long[] seq = new long[1];
        h.spawn("A.unmapper", () -> assertThat(a.munmap(addr, PAGE)).isZero());
        h.spawn("A.reader", () -> seq[0] = sub.readBegin());
        h.spawn("A.opener", gate::completeAll);

        h.run();

        assertThat(seq[0]).isEqualTo(ops.calls.get(0).curSeq());
        assertThat(sub.readRetry(seq[0])).isFalse();
    }

    @Test
    void readBegin_duringNonOverlappingInvalidation_returnsAtOnce() {
        long addr = NotifierHarness.mmapAnon(a, 8, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "blocker");
        MmuIntervalNotifier other = a.mm().insertIntervalNotifier(addr + 4 * PAGE, 4 * PAGE,
                new Recorder(h.kernel), "other");
        h.spawn("A.unmapper", () -> {
            assertThat(a.munmap(addr, PAGE)).isZero();
            h.log("munmap returned");
        });
        h.spawn("A.reader", () -> {
            long seq = other.readBegin();
            h.log("read_begin returned");
            assertThat(other.readRetry(seq)).isFalse();
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        // The mm is invalidating (the sequence is odd), but not this subscription's range.
        assertThat(h.events).containsExactly("callback UNMAP", "read_begin returned", "open gate", "munmap returned");
    }

    @Test
    void readBegin_invalidationStartedButSetSeqNotYetCalled_returnsAtOnceAndRetryTrueLater() {
        // mmu_interval_read_begin sleeps only if the subscription's seq equals the mm's: before
        // the callback's set_seq it returns the old value, and read_retry catches the collision.
        Completion beforeSetSeq = h.gate("before set_seq");
        MmuIntervalNotifierOps slow = (sub, range, curSeq) -> {
            beforeSetSeq.waitForCompletion();
            sub.setSeq(curSeq);
            return true;
        };
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, slow, "mirror");
        long[] seq = new long[1];
        h.spawn("A.unmapper", () -> assertThat(a.munmap(addr, PAGE)).isZero());
        h.spawn("A.reader", () -> {
            seq[0] = sub.readBegin();
            h.log("read_begin returned, retry=" + sub.readRetry(seq[0]));
            beforeSetSeq.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("read_begin returned, retry=false");
        assertThat(sub.readRetry(seq[0])).isTrue();
    }

    @Test
    void nestedInvalidations_secondEndsFirst_seqStaysOddUntilLastEnd() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 1);
        Completion firstInside = h.gate("first inside");
        Recorder nested = new Recorder(h.kernel).during(call -> {
            if (call.start() == addr) {
                h.log("first callback");
                firstInside.completeAll();
                gate.waitForCompletion();
            } else {
                h.log("second callback");
            }
        });
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, nested, "mirror");
        MmuNotifierSubscriptions subs = a.mm().notifierSubscriptions();
        // MADV_DONTNEED holds mmap_lock for reading only, so two of them can overlap.
        h.spawn("A.first", () -> {
            assertThat(a.madvise(addr, PAGE, Mmap.Advice.DONTNEED)).isZero();
            h.log("first returned, odd=" + subs.isInvalidating());
        });
        h.spawn("A.second", () -> {
            firstInside.waitForCompletion();
            assertThat(a.madvise(addr + 2 * PAGE, PAGE, Mmap.Advice.DONTNEED)).isZero();
            h.log("second returned, odd=" + subs.isInvalidating());
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("first callback", "second callback", "second returned, odd=true",
                "first returned, odd=false");
        assertThat(nested.calls).hasSize(2);
        assertThat(nested.calls.get(1).curSeq()).as("both share one odd cur_seq")
                .isEqualTo(nested.calls.get(0).curSeq());
    }

    @Test
    void readBegin_duringNestedInvalidations_returnsOnlyAfterTheLastEnd() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 1);
        Completion secondGate = h.gate("second");
        Recorder nested = new Recorder(h.kernel).during(call -> {
            h.log("callback at +" + (call.start() - addr) / PAGE);
            (call.start() == addr ? gate : secondGate).waitForCompletion();
        });
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, nested, "mirror");
        Completion firstDone = h.gate("first done");
        h.spawn("A.first", () -> {
            assertThat(a.madvise(addr, PAGE, Mmap.Advice.DONTNEED)).isZero();
            h.log("first returned");
            firstDone.completeAll();
        });
        h.spawn("A.second", () -> assertThat(a.madvise(addr + 2 * PAGE, PAGE, Mmap.Advice.DONTNEED)).isZero());
        h.spawn("A.reader", () -> {
            sub.readBegin();
            h.log("read_begin returned");
        });
        h.spawn("A.opener", () -> {
            h.log("open first");
            gate.completeAll();
            firstDone.waitForCompletion();
            h.log("open second");
            secondGate.completeAll();
        });

        h.run();

        // Had the first end woken the reader, it (a lower id than the opener) would have run first.
        assertThat(h.events).containsExactly("callback at +0", "callback at +2", "open first", "first returned",
                "open second", "read_begin returned");
    }

    @Test
    void remove_fromItsOwnCallback_deadlocks() {
        // mmu_interval_notifier_remove "cannot be called from any ops callback": it would wait for
        // the invalidation that is running it.
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        a.mm().insertIntervalNotifier(addr, 4 * PAGE, (sub, range, curSeq) -> {
            sub.setSeq(curSeq);
            sub.remove();
            return true;
        }, "suicidal");
        h.spawn("A.unmapper", () -> a.munmap(addr, PAGE));

        Outcome outcome = h.sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Deadlock.class, d ->
                assertThat(d.blocked()).singleElement().satisfies(b -> {
                    assertThat(b.actor()).isEqualTo("A.unmapper");
                    assertThat(b.waitsFor()).contains("mmu_notifier");
                }));
    }

    @Test
    void cowBreak_pageZappedWhileCallbackSleeps_zapWinsAndChildKeepsItsFrame() {
        // mm/memory.c wp_page_copy: after mmu_notifier_invalidate_range_start it re-takes the PTE
        // lock and proceeds only if pte_same(orig_pte); otherwise it frees the new page and the
        // access faults again. MADV_DONTNEED zaps under mmap_lock read, so it can get in between.
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 42);
        boolean[] first = {true};
        a.mm().insertIntervalNotifier(addr, PAGE, new Recorder(h.kernel).during(call -> {
            if (first[0] && call.event() == MmuNotifierEvent.CLEAR) {
                first[0] = false;
                gate.waitForCompletion();
            }
        }), "mirror");
        Task[] child = new Task[1];
        h.spawn("A.writer", () -> {
            child[0] = a.fork("B");
            // Breaks COW; its CLEAR callback sleeps until the zap below is done.
            assertThat(a.write(addr + 8, NotifierHarness.intBytes(7), null)).isZero();
        });
        h.spawn("A.dontneed", () -> {
            assertThat(a.madvise(addr, PAGE, Mmap.Advice.DONTNEED)).isZero();
            gate.completeAll();
        });

        h.run();

        PageFrame childFrame = child[0].mm().pageTable().lookup(addr).frame();
        assertThat(childFrame.isFree()).as("frame the child still maps is free").isFalse();
        assertThat(NotifierHarness.readInt(child[0], addr)).isEqualTo(42);
        assertThat(NotifierHarness.readInt(a, addr)).as("A's zapped page reads zero").isZero();
        assertThat(NotifierHarness.readInt(a, addr + 8)).isEqualTo(7);
    }
}
