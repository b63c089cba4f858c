package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.NotifierHarness.Recorder;
import accelmm.sim.Completion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole-mm notifiers with range callbacks (mm/mmu_notifier.c), as KVM registers them: {@code
 * __mmu_notifier_invalidate_range_start} walks the interval tree ({@code mn_itree_invalidate})
 * before the list ({@code mn_hlist_invalidate_range_start}), and {@code _end} ends the tree's
 * sequence ({@code mn_itree_inv_end}) before the list's ends; every invalidation of the mm
 * reaches the notifier with the range its start had. {@code __mmu_notifier_register} holds {@code
 * mm_take_all_locks} so that no invalidation is half seen; {@code mmu_notifier_unregister} calls
 * {@code release} of a notifier still on the list, once.
 */
class MmuNotifierRangeTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");

    /** A whole-mm notifier with range callbacks that logs what it is told. */
    private final class Shadow implements MmuNotifier {
        final String name;
        final List<MmuNotifierRange> starts = new ArrayList<>();
        final List<MmuNotifierRange> ends = new ArrayList<>();
        final List<Boolean> intervalSequenceOddAtEnd = new ArrayList<>();
        int releases;

        Shadow(String name) {
            this.name = name;
        }

        @Override
        public boolean hasRangeOps() {
            return true;
        }

        @Override
        public void invalidateRangeStart(MmuNotifierRange range) {
            starts.add(range);
            h.log(name + " start " + range.event());
        }

        @Override
        public void invalidateRangeEnd(MmuNotifierRange range) {
            ends.add(range);
            MmuNotifierSubscriptions subs = range.mm().notifierSubscriptions();
            intervalSequenceOddAtEnd.add(subs != null && subs.isInvalidating());
            h.log(name + " end " + range.event());
        }

        @Override
        public void release(MmStruct mm) {
            releases++;
            h.log(name + " release");
        }
    }

    @Test
    void invalidateRangeStart_wholeMmNotifier_runsAfterIntervalNotifiers() {
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        a.mm().insertIntervalNotifier(addr, 2 * PAGE,
                new Recorder(h.kernel).during(call -> h.log("interval " + call.event())), "mirror");
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(kvm);
            assertThat(a.munmap(addr, 2 * PAGE)).isZero();
        });

        h.run();

        assertThat(h.events).containsExactly("interval UNMAP", "kvm start UNMAP", "kvm end UNMAP");
    }

    @Test
    void invalidateRangeEnd_wholeMmNotifier_runsAfterTheIntervalSequenceEnds() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 1);
        a.mm().insertIntervalNotifier(addr, PAGE, new Recorder(h.kernel), "mirror");
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(kvm);
            assertThat(a.munmap(addr, PAGE)).isZero();
        });

        h.run();

        // mn_itree_inv_end made the sequence even before mn_hlist_invalidate_end ran.
        assertThat(kvm.intervalSequenceOddAtEnd).containsExactly(false);
    }

    @Test
    void invalidateRangeEnd_wholeMmNotifier_getsSameRange() {
        long addr = NotifierHarness.mmapAnon(a, 3, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 3, 1);
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(kvm);
            assertThat(a.munmap(addr + PAGE, PAGE)).isZero();
        });

        h.run();

        assertThat(kvm.starts).hasSize(1);
        assertThat(kvm.ends).hasSize(1);
        assertThat(kvm.ends.get(0)).isSameAs(kvm.starts.get(0));
        MmuNotifierRange range = kvm.starts.get(0);
        assertThat(range.start()).isEqualTo(addr + PAGE);
        assertThat(range.end()).isEqualTo(addr + 2 * PAGE);
        assertThat(range.event()).isEqualTo(MmuNotifierEvent.UNMAP);
    }

    @Test
    void invalidateRange_wholeMmNotifierWithoutIntervalSubscriptions_seesEveryInvalidation() {
        // No interval subscription anywhere: the notifier still gets the mprotect and the munmap,
        // whatever their range (the whole-mm list has no interval to match).
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(kvm);
            assertThat(a.mprotect(addr, PAGE, Prot.READ)).isZero();
            assertThat(a.munmap(addr, 2 * PAGE)).isZero();
        });

        h.run();

        assertThat(a.mm().notifierSubscriptions()).isNull();
        assertThat(h.events).containsExactly("kvm start PROTECTION_VMA", "kvm end PROTECTION_VMA",
                "kvm start UNMAP", "kvm end UNMAP");
    }

    @Test
    void mmuNotifierRegister_twoNotifiers_newestIsCalledFirst() {
        // __mmu_notifier_register: hlist_add_head_rcu.
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 1);
        Shadow first = new Shadow("first");
        Shadow second = new Shadow("second");
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(first);
            a.mm().mmuNotifierRegister(second);
            assertThat(a.munmap(addr, PAGE)).isZero();
        });

        h.run();

        assertThat(h.events).containsExactly("second start UNMAP", "first start UNMAP", "second end UNMAP",
                "first end UNMAP");
    }

    @Test
    void mmuNotifierRegister_duringInvalidation_waitsForItsEnd() {
        // An invalidation running when the notifier registers would call its end without its
        // start: the registration waits until none is in progress (mm_take_all_locks).
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        MmStruct mm = a.mm();
        Completion gate = h.gate("zap");
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.zapper", () -> {
            MmuNotifierRange range = new MmuNotifierRange(mm, addr, addr + PAGE, MmuNotifierEvent.CLEAR);
            mm.invalidateRangeStart(range);
            h.log("invalidation started");
            gate.waitForCompletion();
            mm.invalidateRangeEnd(range);
            h.log("invalidation ended");
        });
        h.spawn("A.vmm", () -> {
            mm.mmuNotifierRegister(kvm);
            h.log("registered");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("invalidation started", "open gate", "invalidation ended", "registered");
        assertThat(kvm.ends).isEmpty();
    }

    @Test
    void mmuNotifierRegister_duringRmapWalk_waitsForTheWalk() {
        // Migration of another mm's view of the page holds the anon_vma lock from the walk to
        // the last end; mm_take_all_locks takes that lock for writing and so waits.
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 1);
        Completion gate = h.gate("migrate");
        a.mm().insertIntervalNotifier(addr, PAGE, new Recorder(h.kernel).during(call -> {
            h.log("migration invalidates");
            gate.waitForCompletion();
        }), "mirror");
        Shadow kvm = new Shadow("kvm");
        h.spawn("kernel.migrate", () -> {
            h.kernel.migrate().migratePages(a.mm(), addr, PAGE);
            h.log("migrated");
        });
        h.spawn("A.vmm", () -> {
            a.mm().mmuNotifierRegister(kvm);
            h.log("registered");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsSubsequence("migration invalidates", "open gate", "migrated", "registered");
        assertThat(kvm.starts).isEmpty();
        assertThat(kvm.ends).isEmpty();
    }

    @Test
    void mmuNotifierUnregister_liveMm_callsReleaseOnce() {
        Shadow kvm = new Shadow("kvm");
        MmStruct mm = a.mm();
        int count = mm.count();
        h.spawn("A.main", () -> {
            mm.mmuNotifierRegister(kvm);
            assertThat(mm.count()).isEqualTo(count + 1);
            mm.mmuNotifierUnregister(kvm);
            assertThat(kvm.releases).isEqualTo(1);
            assertThat(mm.mmuNotifiers()).isEmpty();
            a.exit();
        });

        h.run();

        // The mm's teardown found the notifier gone: no second release.
        assertThat(kvm.releases).isEqualTo(1);
    }

    @Test
    void mmuNotifierUnregister_afterTeardownReleasedIt_callsNothingMore() {
        Shadow kvm = new Shadow("kvm");
        MmStruct mm = a.mm();
        h.spawn("A.main", () -> {
            mm.mmgrab(); // the VM's own mm_count, as kvm_create_vm's mmgrab
            mm.mmuNotifierRegister(kvm);
            a.exit();
            assertThat(kvm.releases).isEqualTo(1);
            mm.mmuNotifierUnregister(kvm);
            mm.mmdrop();
        });

        h.run();

        assertThat(kvm.releases).isEqualTo(1);
    }

    @Test
    void mmuNotifierUnregister_dropsTheRegistrationsMmCount() {
        Shadow kvm = new Shadow("kvm");
        int count = a.mm().count();
        h.spawn("A.main", () -> {
            a.mm().mmuNotifierRegister(kvm);
            a.mm().mmuNotifierUnregister(kvm);
        });

        h.run();

        assertThat(a.mm().count()).isEqualTo(count);
    }

    /** A range notifier whose start or end (as {@code blockIn} says) waits for {@code gate}. */
    private MmuNotifier blocking(String blockIn, Completion gate) {
        return new MmuNotifier() {
            @Override
            public boolean hasRangeOps() {
                return true;
            }

            @Override
            public void invalidateRangeStart(MmuNotifierRange range) {
                block("start");
            }

            @Override
            public void invalidateRangeEnd(MmuNotifierRange range) {
                block("end");
            }

            private void block(String callback) {
                if (callback.equals(blockIn)) {
                    h.log("blocker " + callback + " waits");
                    gate.waitForCompletion();
                    h.log("blocker " + callback + " returns");
                }
            }

            @Override
            public void release(MmStruct mm) {
            }
        };
    }

    @Test
    void mmuNotifierUnregister_duringAnotherNotifiersStart_waitsForIt() {
        // mmu_notifier_unregister ends with synchronize_srcu: a list walk that began before the
        // notifier left the list may still call it, and kvm_destroy_vm frees the VM right after.
        MmStruct mm = a.mm();
        Completion gate = h.gate("start");
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.zapper", () -> {
            mm.mmuNotifierRegister(kvm);
            mm.mmuNotifierRegister(blocking("start", gate)); // newest: called first
            MmuNotifierRange range = new MmuNotifierRange(mm, 0, PAGE, MmuNotifierEvent.CLEAR);
            mm.invalidateRangeStart(range);
            mm.invalidateRangeEnd(range);
        });
        h.spawn("A.vmm", () -> {
            mm.mmuNotifierUnregister(kvm);
            h.log("unregistered");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("blocker start waits", "kvm release", "open gate",
                "blocker start returns", "kvm start CLEAR", "unregistered");
        assertThat(kvm.ends).as("the end's walk began after the unhooking").isEmpty();
    }

    @Test
    void mmuNotifierRegister_duringAnotherNotifiersEnd_waitsForTheEnd() {
        // The range is in progress until the list's ends ran: a registration that got in while
        // an end callback blocks could see an end without its start.
        MmStruct mm = a.mm();
        Completion gate = h.gate("end");
        Shadow kvm = new Shadow("kvm");
        h.spawn("A.zapper", () -> {
            mm.mmuNotifierRegister(blocking("end", gate));
            MmuNotifierRange range = new MmuNotifierRange(mm, 0, PAGE, MmuNotifierEvent.CLEAR);
            mm.invalidateRangeStart(range);
            mm.invalidateRangeEnd(range);
            h.log("invalidation ended");
        });
        h.spawn("A.vmm", () -> {
            mm.mmuNotifierRegister(kvm);
            h.log("registered");
        });
        h.spawn("A.opener", () -> {
            h.log("open gate");
            gate.completeAll();
        });

        h.run();

        assertThat(h.events).containsExactly("blocker end waits", "open gate", "blocker end returns",
                "invalidation ended", "registered");
    }

    @Test
    void mmuNotifierRegister_secondaryTlbAndRangeOps_throws() {
        // __mmu_notifier_register: WARN_ON and -EINVAL for a notifier with both kinds of op.
        MmuNotifier both = new MmuNotifier() {
            @Override
            public boolean hasSecondaryTlbOps() {
                return true;
            }

            @Override
            public boolean hasRangeOps() {
                return true;
            }

            @Override
            public void release(MmStruct mm) {
            }
        };

        assertThatThrownBy(() -> a.mm().mmuNotifierRegister(both)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("both");
        assertThat(a.mm().mmuNotifiers()).isEmpty();
    }
}
