package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.NotifierHarness.Invalidation;
import accelmm.mm.NotifierHarness.Recorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mm teardown (KERNEL-SEMANTICS 13.1, mm/mmu_notifier.c {@code mn_itree_release}, mm/mmap.c
 * {@code exit_mmap}): when the last user goes, every interval subscription gets a RELEASE
 * invalidation over {@code [0, ULONG_MAX)} before any page is freed, then the UNMAP of the VMAs.
 */
class MmuNotifierReleaseTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");

    @Test
    void exit_lastUser_releaseThenUnmapOverTheWholeAddressSpace() {
        long addr = NotifierHarness.mmapAnon(a, 3, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 3, 1);
        Recorder ops = new Recorder(h.kernel);
        a.mm().insertIntervalNotifier(addr, 3 * PAGE, ops, "mirror");
        h.spawn("A.main", a::exit);

        h.run();

        assertThat(ops.events()).containsExactly(MmuNotifierEvent.RELEASE, MmuNotifierEvent.UNMAP);
        for (Invalidation call : ops.calls) {
            assertThat(call.start()).isZero();
            assertThat(call.end()).isEqualTo(MmuNotifierRange.ULONG_MAX);
        }
    }

    @Test
    void exit_lastUser_releaseComesBeforeAnyPageIsFreed() {
        long addr = NotifierHarness.mmapAnon(a, 3, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 3, 1);
        List<PageFrame> frames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            frames.add(a.mm().pageTable().lookup(addr + i * PAGE).frame());
        }
        List<Boolean> anyFreeAtRelease = new ArrayList<>();
        Recorder ops = new Recorder(h.kernel).during(call -> {
            if (call.event() == MmuNotifierEvent.RELEASE) {
                anyFreeAtRelease.add(frames.stream().anyMatch(PageFrame::isFree));
            }
        });
        a.mm().insertIntervalNotifier(addr, 3 * PAGE, ops, "mirror");
        long allocated = h.kernel.physicalMemory().allocatedCount();
        h.spawn("A.main", a::exit);

        h.run();

        assertThat(ops.calls.get(0).event()).isEqualTo(MmuNotifierEvent.RELEASE);
        assertThat(ops.calls.get(0).allocatedFrames()).isEqualTo(allocated);
        assertThat(anyFreeAtRelease).containsExactly(false);
        assertThat(frames).allMatch(PageFrame::isFree);
        assertThat(h.kernel.physicalMemory().allocatedCount()).isEqualTo(allocated - 3);
    }

    @Test
    void exit_lastUser_releaseReachesSubscriptionsOutsideEveryVma() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        Recorder mapped = new Recorder(h.kernel);
        Recorder unmapped = new Recorder(h.kernel);
        a.mm().insertIntervalNotifier(addr, PAGE, mapped, "mapped");
        a.mm().insertIntervalNotifier(0x7f0000000000L, 16 * PAGE, unmapped, "nowhere");
        h.spawn("A.main", a::exit);

        h.run();

        assertThat(mapped.events()).first().isEqualTo(MmuNotifierEvent.RELEASE);
        assertThat(unmapped.events()).first().isEqualTo(MmuNotifierEvent.RELEASE);
    }

    @Test
    void exit_lastUser_releaseWithOddCurSeqMakesReadRetryTrue() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        Recorder ops = new Recorder(h.kernel);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, PAGE, ops, "mirror");
        long[] seq = new long[1];
        h.spawn("A.main", () -> {
            seq[0] = sub.readBegin();
            a.exit();
        });

        h.run();

        assertThat(ops.calls.get(0).curSeq() % 2).isEqualTo(1);
        assertThat(sub.readRetry(seq[0])).isTrue();
    }

    @Test
    void exit_notTheLastUser_noRelease() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        Recorder ops = new Recorder(h.kernel);
        a.mm().insertIntervalNotifier(addr, PAGE, ops, "mirror");
        MmStruct mm = a.mm();
        assertThat(mm.mmgetNotZero()).isTrue();
        h.spawn("A.main", () -> {
            a.exit();
            assertThat(ops.calls).as("after exit, with a user left").isEmpty();
            mm.mmput();
            assertThat(ops.events()).as("after the last mmput").first().isEqualTo(MmuNotifierEvent.RELEASE);
        });

        h.run();
    }

    @Test
    void exec_oldMmLastUser_releaseToItsSubscriptions() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        Recorder ops = new Recorder(h.kernel);
        a.mm().insertIntervalNotifier(addr, PAGE, ops, "mirror");
        MmStruct old = a.mm();
        h.spawn("A.main", a::exec);

        h.run();

        assertThat(ops.events()).first().isEqualTo(MmuNotifierEvent.RELEASE);
        assertThat(old.isTornDown()).isTrue();
    }

    @Test
    void exit_subscriptionStillInserted_holdsMmCountUntilRemoved() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, PAGE, new Recorder(h.kernel), "mirror");
        MmStruct mm = a.mm();
        h.spawn("A.main", () -> {
            a.exit();
            assertThat(mm.isTornDown()).isTrue();
            assertThat(mm.count()).as("mm_count after teardown, subscription inserted").isEqualTo(1);
            sub.remove();
            assertThat(mm.count()).as("mm_count after remove").isZero();
        });

        h.run();
    }
}
