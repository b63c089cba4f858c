package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Completion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Migration and reclaim (mm/migrate.c, mm/vmscan.c) of pages mapped once or in several places,
 * found through the reverse map (mm/rmap.c), and secret labels following the bytes through every
 * copy the kernel makes (COW, migration, swap).
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
    void migratePages_cowSharedPage_movesForParentAndChild() {
        // try_to_migrate walks the anon_vma: the child's VMA is linked to the parent's anon_vma,
        // and remove_migration_ptes points both PTEs at the new page.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            Task child = parent.fork("C");

            assertThat(fx.kernel.migrate().migratePages(child, a, PAGE)).isEqualTo(1);

            PageFrame now = frameAt(parent, a);
            assertThat(now).isNotSameAs(shared).isSameAs(frameAt(child, a));
            assertThat(shared.isFree()).isTrue();
            assertThat(now.mapCount()).isEqualTo(2);
            assertThat(now.isAnonExclusive()).isFalse();
            assertThat(pte(parent, a).writable()).isFalse();
            assertThat(pte(child, a).writable()).isFalse();
            assertThat(fx.allocated()).isEqualTo(1);
            writeByte(child, a, 0x22);
            assertThat(readByte(parent, a)).isEqualTo(0x11);
        });
    }

    @Test
    void migratePages_notifierOnRange_seesClearInvalidation() {
        // try_to_migrate_one brackets the PTE change with MMU_NOTIFY_CLEAR; MIGRATE (with an
        // owner) is migrate_vma's, for device memory.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, PAGE, rec, "mirror");

            fx.kernel.migrate().migratePages(p.mm(), a, PAGE);

            assertThat(rec.events()).containsExactly(MmuNotifierEvent.CLEAR);
        });
    }

    @Test
    void migratePages_cowSharedPage_invalidatesEachMappingInItsOwnMm() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a + PAGE, 0x11);
            Task child = parent.fork("C");
            RecordingNotifier inParent = new RecordingNotifier();
            RecordingNotifier inChild = new RecordingNotifier();
            parent.mm().insertIntervalNotifier(a, 2 * PAGE, inParent, "parent mirror");
            child.mm().insertIntervalNotifier(a, 2 * PAGE, inChild, "child mirror");

            assertThat(fx.kernel.migrate().migratePages(parent, a, 2 * PAGE)).isEqualTo(1);

            assertThat(inParent.ranges).containsExactly(
                    new MmuNotifierRange(parent.mm(), a + PAGE, a + 2 * PAGE, MmuNotifierEvent.CLEAR));
            assertThat(inChild.ranges).containsExactly(
                    new MmuNotifierRange(child.mm(), a + PAGE, a + 2 * PAGE, MmuNotifierEvent.CLEAR));
        });
    }

    @Test
    void migratePages_sharedPageMappedAtThreeAddresses_everyPteFollows() {
        // A page cache page is found through the file's i_mmap: every VMA mapping the memfd, in
        // any process and at any address.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        Task q = fx.process("Q");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long first = mmapFile(p, fd, 1, true, 0);
            long second = mmapFile(p, fd, 1, true, 0);
            int qfd = q.installFile(p.fget(fd), false);
            long inQ = mmapFile(q, qfd, 1, true, 0);
            writeByte(p, first, 0x11);
            readByte(p, second);
            readByte(q, inQ);
            PageFrame old = frameAt(p, first);
            RecordingNotifier inP = new RecordingNotifier();
            RecordingNotifier inQmm = new RecordingNotifier();
            p.mm().insertIntervalNotifier(first, second + PAGE - first, inP, "p mirror");
            q.mm().insertIntervalNotifier(inQ, PAGE, inQmm, "q mirror");

            assertThat(fx.kernel.migrate().migratePages(q, inQ, PAGE)).isEqualTo(1);

            PageFrame now = frameAt(q, inQ);
            assertThat(now).isNotSameAs(old);
            assertThat(frameAt(p, first)).isSameAs(now);
            assertThat(frameAt(p, second)).isSameAs(now);
            assertThat(now.mapCount()).isEqualTo(3);
            assertThat(old.isFree()).isTrue();
            assertThat(inP.ranges).extracting(MmuNotifierRange::start).containsExactlyInAnyOrder(first, second);
            assertThat(inQmm.ranges).extracting(MmuNotifierRange::start).containsExactly(inQ);
            writeByte(q, inQ, 0x22);
            assertThat(readByte(p, second)).as("still one shared page").isEqualTo(0x22);
        });
    }

    @Test
    void migratePages_pageMappedTwiceInTheRange_movesOnce() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long first = mmapFile(p, fd, 1, true, 0);
            long second = mmapFile(p, fd, 1, true, 0);
            writeByte(p, first, 0x11);
            readByte(p, second);

            assertThat(fx.kernel.migrate().migratePages(p, first, second + PAGE - first)).isEqualTo(1);

            assertThat(frameAt(p, second)).isSameAs(frameAt(p, first));
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void migratePages_pinnedSharedPage_staysForEveryMapping() {
        // folio_maybe_dma_pinned: a pinned page is neither migrated nor reclaimed, whoever maps it.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = MmFixture.mmapSharedAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            readByte(child, a);
            PageFrame page = frameAt(parent, a);
            PageFrame[] pinned = fx.pin(child, a, 1, true, true);

            assertThat(fx.kernel.migrate().migratePages(parent, a, PAGE)).isZero();
            assertThat(fx.kernel.migrate().reclaimPages(parent, a, PAGE)).isZero();

            assertThat(frameAt(parent, a)).isSameAs(page);
            assertThat(frameAt(child, a)).isSameAs(page);
            Gup.unpinUserPages(pinned, 1);
        });
    }

    @Test
    void migratePages_mappingDroppedWhileNotifierSleeps_pageStaysPut() {
        // The callbacks may sleep; a COW fault of the child meanwhile leaves the page mapped in
        // the parent only, not where the walk found it: this round moves nothing, the next does.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            PageFrame shared = frameAt(parent, a);
            boolean[] once = {true};
            parent.mm().insertIntervalNotifier(a, PAGE, (sub, range, seq) -> {
                sub.setSeq(seq);
                if (once[0]) {
                    once[0] = false;
                    writeByte(child, a, 0x22);
                }
                return true;
            }, "mirror");

            assertThat(fx.kernel.migrate().migratePages(parent, a, PAGE)).isZero();
            assertThat(frameAt(parent, a)).isSameAs(shared);
            assertThat(shared.mapCount()).isEqualTo(1);

            assertThat(fx.kernel.migrate().migratePages(parent, a, PAGE)).isEqualTo(1);
            assertThat(readByte(parent, a)).isEqualTo(0x11);
            assertThat(readByte(child, a)).isEqualTo(0x22);
        });
    }

    @Test
    void migratePages_firstNotifierInsertInAnotherMmWhileACallbackSleeps_waitsForTheWalk() {
        // The parent's mprotect splits its VMA after the fork, so the walk meets the child's
        // mapping first and skips invalidate_range_start there (no notifiers yet), then sleeps in
        // the parent's callback. mmu_notifier_register's mm_take_all_locks needs the anon_vma
        // lock the walk holds (rmap_walk_anon), so the child's first notifier appears only after
        // the walk's invalidate_range_end there, never between the two.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        Completion inCallback = new Completion(fx.sim, "parent callback sleeps");
        Completion proceed = new Completion(fx.sim, "callback may go on");
        Completion inserted = new Completion(fx.sim, "child notifier inserted");
        fx.run(() -> {
            long a = mmapAnon(parent, 2) + PAGE;
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            assertThat(parent.mprotect(a, PAGE, Prot.READ)).isZero();
            PageFrame old = frameAt(parent, a);
            boolean[] childRegisteredDuringWalk = {false};
            parent.mm().insertIntervalNotifier(a, PAGE, (sub, range, seq) -> {
                sub.setSeq(seq);
                inCallback.complete();
                proceed.waitForCompletion();
                childRegisteredDuringWalk[0] = child.mm().notifierSubscriptions() != null;
                return true;
            }, "parent mirror");
            fx.sim.spawn("C.bind", () -> {
                inCallback.waitForCompletion();
                proceed.complete();
                child.mm().insertIntervalNotifier(a, PAGE, new RecordingNotifier(), "child mirror");
                inserted.complete();
            });

            assertThat(fx.kernel.migrate().migratePages(parent, a, PAGE)).isEqualTo(1);
            inserted.waitForCompletion();

            assertThat(childRegisteredDuringWalk[0]).isFalse();
            assertThat(frameAt(child, a)).isSameAs(frameAt(parent, a)).isNotSameAs(old);
            assertThat(child.mm().notifierSubscriptions().subscriptions()).hasSize(1);
        });
    }

    @Test
    void migratePages_ownCopyFreedAndItsFrameReusedLaterInTheRange_movesThatPageToo() {
        // Frames come back with a new generation. While page 1's callback sleeps, MADV_DONTNEED
        // frees the walk's copy of page 0, and a COW fault of page 2 (from the zero page) gets
        // that very frame: the walk must tell the new page from its own copy and move it.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x22);
            readByte(p, a + 2 * PAGE);
            PageFrame[] reused = new PageFrame[1];
            p.mm().insertIntervalNotifier(a + PAGE, PAGE, (sub, range, seq) -> {
                sub.setSeq(seq);
                if (reused[0] == null) {
                    reused[0] = frameAt(p, a);
                    assertThat(p.madvise(a, PAGE, Mmap.Advice.DONTNEED)).isZero();
                    writeByte(p, a + 2 * PAGE, 0x33);
                    assertThat(frameAt(p, a + 2 * PAGE)).as("the freed copy, handed out again").isSameAs(reused[0]);
                }
                return true;
            }, "mirror");

            assertThat(fx.kernel.migrate().migratePages(p, a, 3 * PAGE)).isEqualTo(3);

            assertThat(frameAt(p, a + 2 * PAGE)).isNotSameAs(reused[0]);
            assertThat(readByte(p, a + 2 * PAGE)).isEqualTo(0x33);
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
    void reclaimPages_cowSharedPage_sameSwapSlotInBothMappings() {
        // try_to_unmap_one: every PTE of a swapped-out anon page gets the same swap entry.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame old = frameAt(parent, a);
            Task child = parent.fork("C");

            assertThat(fx.kernel.migrate().reclaimPages(parent, a, PAGE)).isEqualTo(1);

            SwapSlot slot = pte(parent, a).swap();
            assertThat(slot).isNotNull().isSameAs(pte(child, a).swap());
            assertThat(slot.users()).isEqualTo(2);
            assertThat(old.isFree()).isTrue();
            assertThat(fx.allocated()).isZero();
            assertThat(readByte(child, a)).isEqualTo(0x11);
            writeByte(parent, a, 0x21);
            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(slot.users()).isZero();
        });
    }

    @Test
    void reclaimPages_sharedAnonPage_clearsEveryPteAndReadsBackOneSharedPage() {
        // A shmem page: try_to_unmap clears its PTEs, shmem_writeout moves it to swap, the next
        // fault of either process reads it back into the page cache, shared again.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = MmFixture.mmapSharedAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            readByte(child, a);
            RecordingNotifier inChild = new RecordingNotifier();
            child.mm().insertIntervalNotifier(a, PAGE, inChild, "child mirror");

            assertThat(fx.kernel.migrate().reclaimPages(parent, a, PAGE)).isEqualTo(1);

            assertThat(pte(parent, a)).isNull();
            assertThat(pte(child, a)).isNull();
            assertThat(inChild.events()).containsExactly(MmuNotifierEvent.CLEAR);
            assertThat(fx.allocated()).isZero();
            assertThat(readByte(child, a)).isEqualTo(0x11);
            writeByte(child, a, 0x22);
            assertThat(readByte(parent, a)).isEqualTo(0x22);
            assertThat(frameAt(parent, a)).isSameAs(frameAt(child, a));
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
