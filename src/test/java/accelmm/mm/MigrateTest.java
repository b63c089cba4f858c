package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Migration and reclaim of anonymous pages (mm/migrate.c, mm/vmscan.c), and secret labels
 * following the bytes through every copy the kernel makes (COW, migration, swap).
 */
class MigrateTest {

    private static final int SECRET = 7;

    // ---- migration -------------------------------------------------------------------------

    @Test
    void migratePages_unpinnedAnonPage_movesToNewFrameWithSameContents() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a + 9, 0x99);
            PageFrame old = frameAt(p, a);

            assertThat(fx.kernel.migrate().migratePages(p.mm(), a, PAGE)).isEqualTo(1);

            PageFrame now = frameAt(p, a);
            assertThat(now).isNotSameAs(old);
            assertThat(old.isFree()).isTrue();
            assertThat(now.mapCount()).isEqualTo(1);
            assertThat(now.isAnonExclusive()).isTrue();
            assertThat(pte(p, a).writable()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
            assertThat(readByte(p, a + 9)).isEqualTo(0x99);
        });
    }

    @Test
    void migratePages_pinnedPage_isSkipped() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x12);
            PageFrame pinned = fx.pin(p, a, 1, true, true)[0];
            PageFrame other = frameAt(p, a + PAGE);

            assertThat(fx.kernel.migrate().migratePages(p.mm(), a, 2 * PAGE)).isEqualTo(1);

            assertThat(frameAt(p, a)).isSameAs(pinned);
            assertThat(frameAt(p, a + PAGE)).isNotSameAs(other);
            assertThat(readByte(p, a)).isEqualTo(0x11);
        });
    }

    @Test
    void migratePages_cowSharedPage_isSkipped() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            parent.fork("C");

            assertThat(fx.kernel.migrate().migratePages(parent.mm(), a, PAGE)).isZero();
            assertThat(frameAt(parent, a)).isSameAs(shared);
        });
    }

    @Test
    void migratePages_notifierOnRange_seesMigrateInvalidation() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, PAGE, rec, "mirror");

            fx.kernel.migrate().migratePages(p.mm(), a, PAGE);

            assertThat(rec.events()).containsExactly(MmuNotifierEvent.MIGRATE);
        });
    }

    @Test
    void migratePages_zeroLength_movesNothing() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);

            assertThat(fx.kernel.migrate().migratePages(p.mm(), a, 0)).isZero();
            assertThat(fx.kernel.migrate().reclaimPages(p.mm(), a, 0)).isZero();

            assertThat(frameAt(p, a)).isSameAs(frame);
        });
    }

    // ---- the target process exits (get_task_mm / mmput) --------------------------------------

    @Test
    void migratePages_ofProcessThatExited_movesNothing() {
        // damon_get_mm: no mm, nothing to apply the action to; move_pages would say -ESRCH.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            p.exit();

            assertThat(fx.kernel.migrate().migratePages(p, a, PAGE)).isZero();
            assertThat(fx.kernel.migrate().reclaimPages(p, a, PAGE)).isZero();
        });
    }

    @Test
    void reclaimPages_ownerExitsDuringTheWalk_lastMmputTearsTheAddressSpaceDown() {
        // The walk holds mm_users (get_task_mm): exit_mm only drops the process's reference, the
        // walk finishes on the intact address space, and its mmput runs exit_mmap.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            MmStruct mm = p.mm();
            boolean[] tornDownAtExit = {true};
            List<MmuNotifierEvent> events = new ArrayList<>();
            mm.insertIntervalNotifier(a, PAGE, (sub, range, seq) -> {
                sub.setSeq(seq);
                events.add(range.event());
                if (range.event() == MmuNotifierEvent.CLEAR) {
                    p.exit();
                    tornDownAtExit[0] = mm.isTornDown();
                }
                return true;
            }, "mirror");

            assertThat(fx.kernel.migrate().reclaimPages(p, a, PAGE)).isEqualTo(1);

            assertThat(tornDownAtExit[0]).isFalse();
            assertThat(mm.isTornDown()).isTrue();
            assertThat(events).startsWith(MmuNotifierEvent.CLEAR, MmuNotifierEvent.RELEASE);
            assertThat(fx.allocated()).isZero();
        });
    }

    // ---- reclaim ---------------------------------------------------------------------------

    @Test
    void reclaimPages_anonPage_swapsOutAndFreesFrame() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame old = frameAt(p, a);

            assertThat(fx.kernel.migrate().reclaimPages(p.mm(), a, PAGE)).isEqualTo(1);

            assertThat(old.isFree()).isTrue();
            assertThat(fx.allocated()).isZero();
            assertThat(pte(p, a).isPresent()).isFalse();
            assertThat(pte(p, a).swap()).isNotNull();
        });
    }

    @Test
    void read_afterReclaim_faultsPageBackWithSameContents() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a + 100, 0x5a);
            fx.kernel.migrate().reclaimPages(p.mm(), a, PAGE);

            assertThat(readByte(p, a + 100)).isEqualTo(0x5a);

            assertThat(pte(p, a).isPresent()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
            writeByte(p, a, 1);
            assertThat(fx.allocated()).as("the swapped-in page is exclusive: written in place").isEqualTo(1);
        });
    }

    @Test
    void fork_ofSwappedOutPage_bothProcessesReadItBackAndStayIsolated() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            fx.kernel.migrate().reclaimPages(parent.mm(), a, PAGE);
            Task child = parent.fork("C");

            writeByte(parent, a, 0x21);

            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(readByte(parent, a)).isEqualTo(0x21);
        });
    }

    // ---- secret labels ---------------------------------------------------------------------

    @Test
    void cowCopy_ofLabelledPage_keepsSecretLabels() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        RecordingObserver obs = new RecordingObserver();
        fx.memory().addObserver(obs);
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            assertThat(parent.write(a, new byte[] {0x42}, new int[] {SECRET})).isZero();
            PageFrame original = frameAt(parent, a);
            Task child = parent.fork("C");
            writeByte(child, a + 1, 0x01);
            assertThat(frameAt(child, a)).isNotSameAs(original);

            assertThat(readByte(child, a)).isEqualTo(0x42);

            assertThat(obs.last().access().frame()).isSameAs(frameAt(child, a));
            assertThat(obs.last().labels()).containsExactly(SECRET);
        });
    }

    @Test
    void migratePages_labelledPage_keepsSecretLabels() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        RecordingObserver obs = new RecordingObserver();
        fx.memory().addObserver(obs);
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.write(a, new byte[] {0x42, 0x43}, new int[] {SECRET, 0})).isZero();
            fx.kernel.migrate().migratePages(p.mm(), a, PAGE);

            assertThat(p.read(a, new byte[2])).isZero();

            assertThat(obs.last().access().write()).isFalse();
            assertThat(obs.last().labels()).containsExactly(SECRET, 0);
        });
    }

    @Test
    void reclaimPages_labelledPage_keepsSecretLabelsThroughSwap() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        RecordingObserver obs = new RecordingObserver();
        fx.memory().addObserver(obs);
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.write(a + 3, new byte[] {0x42}, new int[] {SECRET})).isZero();
            fx.kernel.migrate().reclaimPages(p.mm(), a, PAGE);

            assertThat(readByte(p, a + 3)).isEqualTo(0x42);

            assertThat(obs.last().labels()).containsExactly(SECRET);
        });
    }

    @Test
    void write_unlabelledOverLabelledByte_clearsLabel() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        RecordingObserver obs = new RecordingObserver();
        fx.memory().addObserver(obs);
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.write(a, new byte[] {0x42}, new int[] {SECRET})).isZero();

            writeByte(p, a, 0x43);
            readByte(p, a);

            assertThat(obs.last().labels()).isNull();
        });
    }
}
