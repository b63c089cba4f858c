package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.mmapSharedAnon;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.tryRead;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.TestFiles.CountingFile;
import org.junit.jupiter.api.Test;

/**
 * exec and exit (fs/exec.c, kernel/exit.c): what happens to the address space and the file
 * table, and when files are released (KERNEL-SEMANTICS 13.4).
 */
class ProcessLifecycleTest {

    // ---- exec ------------------------------------------------------------------------------

    @Test
    void exec_closesCloexecFdsAndKeepsOthers() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            CountingFile kept = new CountingFile();
            CountingFile closed = new CountingFile();
            int keptFd = p.files().install(fx.kernel.openFile(kept, true, true, null), false);
            int closedFd = p.files().install(fx.kernel.openFile(closed, true, true, null), true);

            p.exec();

            assertThat(p.files().openFds()).containsExactly(keptFd);
            assertThat(p.files().lookup(closedFd)).isNull();
            assertThat(closed.releases).isEqualTo(1);
            assertThat(kept.releases).isZero();
        });
    }

    @Test
    void exec_givesEmptyAddressSpace() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            MmStruct old = p.mm();

            p.exec();

            assertThat(p.mm()).isNotSameAs(old);
            assertThat(p.mm().vmas()).isEmpty();
            assertThat(p.mm().pageTable().size()).isZero();
            assertThat(tryRead(p, a)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void exec_tearsDownOldAddressSpaceAndFreesItsFrames() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(p, a + (long) i * PAGE, i + 1);
            }
            long b = mmapSharedAnon(p, 1);
            writeByte(p, b, 0x22);
            MmStruct old = p.mm();
            assertThat(fx.allocated()).isEqualTo(4);

            p.exec();

            assertThat(old.isTornDown()).isTrue();
            assertThat(old.vmas()).isEmpty();
            assertThat(fx.allocated()).isZero();
            assertThat(fx.kernel.openFiles()).as("the shmem file went with its last VMA").isEmpty();
        });
    }

    @Test
    void exec_afterFork_childMemoryUnaffected() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            parent.exec();

            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void exec_cloexecFdOwningNotifier_oldMmTornDownBeforeFdsClosed() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            RecordingNotifier rec = new RecordingNotifier();
            MmuIntervalNotifier sub = p.mm().insertIntervalNotifier(0, MmStruct.TASK_SIZE, rec, "mirror");
            CountingFile mirror = new CountingFile();
            mirror.onRelease.add(sub::remove);
            p.files().install(fx.kernel.openFile(mirror, true, true, null), true);

            p.exec();

            // exec_mmap (mmput of the old mm) comes before do_close_on_exec.
            assertThat(rec.events()).startsWith(MmuNotifierEvent.RELEASE);
            assertThat(mirror.releases).isEqualTo(1);
            assertThat(tryRead(p, a)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    // ---- exit ------------------------------------------------------------------------------

    @Test
    void exit_closesEveryFdAndReleasesTheFiles() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            CountingFile f0 = new CountingFile();
            CountingFile f1 = new CountingFile();
            p.files().install(fx.kernel.openFile(f0, true, true, null), false);
            p.files().install(fx.kernel.openFile(f1, true, true, null), true);

            p.exit();

            assertThat(p.files().openFds()).isEmpty();
            assertThat(f0.releases).isEqualTo(1);
            assertThat(f1.releases).isEqualTo(1);
            assertThat(fx.kernel.openFiles()).isEmpty();
            assertThat(p.exited()).isTrue();
            assertThat(p.mm()).isNull();
        });
    }

    @Test
    void exit_afterFork_fileReleasedOnceWhenLastHolderExits() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            CountingFile f = new CountingFile();
            File file = fx.kernel.openFile(f, true, true, null);
            parent.files().install(file, false);
            Task child = parent.fork("C");
            assertThat(file.refCount()).isEqualTo(2);

            parent.exit();
            assertThat(f.releases).isZero();
            assertThat(fx.kernel.openFiles()).containsExactly(file);

            child.exit();
            assertThat(f.releases).isEqualTo(1);
            assertThat(file.isReleased()).isTrue();
            assertThat(fx.kernel.openFiles()).isEmpty();
        });
    }

    @Test
    void exit_ofEveryProcess_freesEveryFrameAndFile() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long priv = mmapAnon(parent, 4);
            long shared = mmapSharedAnon(parent, 2);
            int fd = fx.openMemfd(parent);
            long file = mmapFile(parent, fd, 2, false, 0);
            for (int i = 0; i < 4; i++) {
                writeByte(parent, priv + (long) i * PAGE, i + 1);
            }
            writeByte(parent, shared, 0x21);
            writeByte(parent, file, 0x31);
            assertThat(readByte(parent, file + PAGE)).isZero();
            Task child = parent.fork("C");
            writeByte(child, priv, 0x41);
            writeByte(child, shared + PAGE, 0x42);
            PageFrame[] pinned = fx.pin(parent, priv + PAGE, 1, true, true);
            Gup.unpinUserPages(pinned, 1);
            assertThat(fx.allocated()).isPositive();

            parent.exit();
            child.exit();

            assertThat(fx.allocated()).isZero();
            assertThat(fx.kernel.openFiles()).isEmpty();
            assertThat(fx.memory().frames()).filteredOn(f -> !f.isZeroPage()).allMatch(PageFrame::isFree);
        });
    }

    @Test
    void exit_withSwappedOutPage_freesSwapSlotAndFrames() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x12);
            assertThat(fx.kernel.migrate().reclaimPages(p.mm(), a, PAGE)).isEqualTo(1);
            SwapSlot slot = MmFixture.pte(p, a).swap();
            assertThat(slot).isNotNull();

            p.exit();

            assertThat(slot.users()).isZero();
            assertThat(fx.allocated()).isZero();
        });
    }

    @Test
    void exit_notifierOnMm_seesReleaseBeforePagesAreFreed() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            long[] allocatedAtRelease = {-1};
            MmuIntervalNotifierOps ops = (sub, range, seq) -> {
                sub.setSeq(seq);
                if (range.event() == MmuNotifierEvent.RELEASE) {
                    allocatedAtRelease[0] = fx.allocated();
                }
                return true;
            };
            p.mm().insertIntervalNotifier(a, PAGE, ops, "mirror");

            p.exit();

            assertThat(allocatedAtRelease[0]).isEqualTo(1);
            assertThat(fx.allocated()).isZero();
        });
    }

    @Test
    void exit_fdOwningNotifierOnOwnMm_notifierSeesReleaseBeforeFdIsClosed() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            mmapAnon(p, 1);
            // A dmirror-like device: open binds a notifier over the whole mm, release removes it.
            RecordingNotifier rec = new RecordingNotifier();
            MmuIntervalNotifier sub = p.mm().insertIntervalNotifier(0, MmStruct.TASK_SIZE, rec, "mirror");
            CountingFile mirror = new CountingFile();
            mirror.onRelease.add(sub::remove);
            p.files().install(fx.kernel.openFile(mirror, true, true, null), false);

            p.exit();

            // do_exit: exit_mm (mmput: RELEASE, unmap) comes before exit_files.
            assertThat(rec.events()).startsWith(MmuNotifierEvent.RELEASE);
            assertThat(mirror.releases).isEqualTo(1);
        });
    }

    @Test
    void exit_calledTwice_isIdempotent() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            CountingFile f = new CountingFile();
            p.files().install(fx.kernel.openFile(f, true, true, null), false);
            mmapAnon(p, 1);

            p.exit();
            p.exit();

            assertThat(f.releases).isEqualTo(1);
        });
    }

    @Test
    void mappedFile_afterFdClosed_releasedOnlyWhenLastVmaGoes() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long a = mmapFile(p, fd, 2, true, 0);
            writeByte(p, a, 0x11);
            File file = p.files().lookup(fd);

            assertThat(p.close(fd)).isZero();
            assertThat(file.isReleased()).isFalse();
            assertThat(readByte(p, a)).isEqualTo(0x11);
            assertThat(p.munmap(a, PAGE)).isZero();
            assertThat(file.isReleased()).as("the second page's VMA still holds it").isFalse();
            assertThat(p.munmap(a + PAGE, PAGE)).isZero();

            assertThat(file.isReleased()).isTrue();
            assertThat(fx.allocated()).as("the page cache went with the file").isZero();
        });
    }
}
