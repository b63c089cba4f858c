package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.mmapSharedAnon;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reverse map (mm/rmap.c): anon_vma links through fault, split, fork and unmap, a page
 * cache's i_mmap, and walks that find exactly the PTEs that map a page — as many as its
 * mapcount, after any mix of the operations that add and remove mappings.
 */
class RmapTest {

    /** Every reverse-mapped page is found exactly where its mapcount says it is mapped. */
    private static void assertWalksMatchMapcounts(MmFixture fx) {
        for (PageFrame frame : fx.memory().frames()) {
            if (!frame.isFree() && !frame.isZeroPage() && (frame.isAnon() || frame.mapping() != null)) {
                assertThat(Rmap.walk(frame)).as("walk of %s", frame).hasSize(frame.mapCount());
            }
        }
    }

    @Test
    void walk_cowSharedPage_findsParentAndChild() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            assertThat(Rmap.walk(frameAt(parent, a))).containsExactly(
                    new Rmap.Mapping(parent.mm(), a), new Rmap.Mapping(child.mm(), a));
        });
    }

    @Test
    void anonVmaFork_childsOwnAnonVma_sharesTheParentsRootLock() {
        // anon_vma_fork: anon_vma->root = pvma->anon_vma->root; the family has one rwsem.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            writeByte(child, a, 0x22);

            assertThat(Rmap.lockOf(frameAt(child, a))).isSameAs(Rmap.lockOf(frameAt(parent, a)));
        });
    }

    @Test
    void mmTakeAllLocks_fileMappedTwiceAndSplitAnonVma_takesEachLockOnce() {
        // AS_MM_ALL_LOCKS and the anon_vma root mark: a lock two VMAs lead to is taken once (a
        // second down_write by its holder would never return).
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long first = mmapFile(p, fd, 1, true, 0);
            long second = mmapFile(p, fd, 1, true, 0);
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();
            writeByte(p, first, 0x22);

            p.mm().insertIntervalNotifier(second, PAGE, new RecordingNotifier(), "mirror");

            assertThat(p.mm().notifierSubscriptions().subscriptions()).hasSize(1);
            assertThat(Rmap.lockOf(frameAt(p, a)).describe()).doesNotContain("held");
            assertThat(Rmap.lockOf(frameAt(p, first)).describe()).doesNotContain("held");
        });
    }

    @Test
    void walk_afterChildBreaksCow_findsOnlyWhoStillMapsEachPage() {
        // The child's VMA stays linked to the parent's anon_vma, but maps its own copy there.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            writeByte(child, a, 0x22);

            assertThat(Rmap.walk(frameAt(parent, a))).containsExactly(new Rmap.Mapping(parent.mm(), a));
            assertThat(Rmap.walk(frameAt(child, a))).containsExactly(new Rmap.Mapping(child.mm(), a));
        });
    }

    @Test
    void walk_pageInTailOfSplitVma_foundThroughItsLinearIndex() {
        // __split_vma: the tail shares the anon_vma (anon_vma_clone) and its vm_pgoff moves on,
        // so vma_address still lands on the page.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            writeByte(p, a + 2 * PAGE, 0x11);
            Task child = p.fork("C");
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();
            assertThat(child.munmap(a, PAGE)).isZero();

            assertThat(Rmap.walk(frameAt(p, a + 2 * PAGE))).containsExactly(
                    new Rmap.Mapping(p.mm(), a + 2 * PAGE), new Rmap.Mapping(child.mm(), a + 2 * PAGE));
        });
    }

    @Test
    void anonVmaPrepare_neighbourDifferingOnlyInAccess_sharesItsAnonVma() {
        // find_mergeable_anon_vma: anon_vma_compatible ignores VM_READ/WRITE/EXEC.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            assertThat(p.mprotect(a + PAGE, PAGE, new Prot(true, true, true))).isZero();
            writeByte(p, a, 0x11);

            writeByte(p, a + PAGE, 0x12);

            assertThat(p.mm().vmas()).hasSize(2);
            assertThat(frameAt(p, a + PAGE).anonVma()).isSameAs(frameAt(p, a).anonVma());
        });
    }

    @Test
    void fork_childVma_linkedToParentsAnonVmaAndItsOwn() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Vma parentVma = parent.mm().findVma(a);

            Task child = parent.fork("C");

            Vma childVma = child.mm().findVma(a);
            assertThat(childVma.anonVmaChain()).hasSize(2).startsWith(parentVma.anonVma());
            assertThat(childVma.anonVma()).isNotSameAs(parentVma.anonVma());
            assertThat(parentVma.anonVmaChain()).containsExactly(parentVma.anonVma());
        });
    }

    @Test
    void exit_ofEveryMapper_leavesAnonVmaAndIMmapEmpty() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            long s = mmapSharedAnon(parent, 1);
            writeByte(parent, a, 0x11);
            writeByte(parent, s, 0x12);
            AnonVma anonVma = frameAt(parent, a).anonVma();
            AddressSpace mapping = frameAt(parent, s).mapping();
            Task child = parent.fork("C");
            readByte(child, s);

            child.exit();
            parent.exit();

            assertThat(anonVma.vmas()).isEmpty();
            assertThat(mapping.iMmap()).isEmpty();
            assertThat(fx.allocated()).isZero();
        });
    }

    @Test
    void walks_afterForkCowSplitUnmapSwapAndExec_matchMapcounts() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 4);
            long s = mmapSharedAnon(p, 2);
            int fd = fx.openMemfd(p);
            long priv = mmapFile(p, fd, 2, false, 0);
            for (int i = 0; i < 4; i++) {
                writeByte(p, a + (long) i * PAGE, i);
            }
            writeByte(p, s, 0x21);
            readByte(p, priv);
            writeByte(p, priv + PAGE, 0x31);
            Task c1 = p.fork("C1");
            assertWalksMatchMapcounts(fx);

            writeByte(c1, a + PAGE, 0x41);
            readByte(c1, s);
            assertThat(p.mprotect(a + PAGE, 2 * PAGE, Prot.READ)).isZero();
            assertThat(fx.kernel.migrate().reclaimPages(p, a + 3 * PAGE, PAGE)).isEqualTo(1);
            Task c2 = c1.fork("C2");
            assertThat(c1.munmap(a + 2 * PAGE, PAGE)).isZero();
            assertThat(fx.kernel.migrate().migratePages(c2, a, 4 * PAGE)).isPositive();
            readByte(c2, a + 3 * PAGE);
            assertWalksMatchMapcounts(fx);

            c1.exec();
            assertThat(p.madvise(s, 2 * PAGE, Mmap.Advice.DONTNEED)).isZero();
            p.exit();
            assertWalksMatchMapcounts(fx);
            c2.exit();
            c1.exit();
            assertThat(fx.allocated()).isZero();
        });
    }
}
