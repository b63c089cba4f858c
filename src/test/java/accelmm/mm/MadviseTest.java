package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.mmapSharedAnon;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.tryRead;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Mmap.Advice;
import accelmm.mm.TestFiles.PfnDevice;
import org.junit.jupiter.api.Test;

/**
 * madvise (mm/madvise.c): the fork advice (DONTFORK, DOFORK, WIPEONFORK; KERNEL-SEMANTICS 13.3),
 * MADV_DONTNEED, and the argument and hole rules.
 */
class MadviseTest {

    // ---- DONTFORK / DOFORK -----------------------------------------------------------------

    @Test
    void fork_afterDontfork_childHasNoVmaThere() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a, 0x11);
            assertThat(parent.madvise(a, 2 * PAGE, Advice.DONTFORK)).isZero();

            Task child = parent.fork("C");

            assertThat(child.mm().vmas()).isEmpty();
            assertThat(child.mm().findVma(a)).isNull();
            assertThat(child.mm().pageTable().size()).isZero();
        });
    }

    @Test
    void childAccess_afterDontforkFork_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            assertThat(parent.madvise(a, PAGE, Advice.DONTFORK)).isZero();
            Task child = parent.fork("C");

            assertThat(tryRead(child, a)).isEqualTo(Errno.EFAULT.neg());
            assertThat(readByte(parent, a)).isEqualTo(0x11);
        });
    }

    @Test
    void madviseDofork_afterDontfork_childInheritsMappingAgain() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            assertThat(parent.madvise(a, PAGE, Advice.DONTFORK)).isZero();

            assertThat(parent.madvise(a, PAGE, Advice.DOFORK)).isZero();
            Task child = parent.fork("C");

            assertThat(parent.mm().findVma(a).has(VmFlag.DONTCOPY)).isFalse();
            assertThat(readByte(child, a)).isEqualTo(0x11);
        });
    }

    @Test
    void madviseDontfork_partOfVma_splitsAndChildKeepsTheRest() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(parent, a + (long) i * PAGE, 0x10 + i);
            }

            assertThat(parent.madvise(a + PAGE, PAGE, Advice.DONTFORK)).isZero();
            Task child = parent.fork("C");

            assertThat(parent.mm().vmas()).hasSize(3);
            assertThat(child.mm().vmas()).extracting(Vma::start).containsExactly(a, a + 2 * PAGE);
            assertThat(readByte(child, a)).isEqualTo(0x10);
            assertThat(tryRead(child, a + PAGE)).isEqualTo(Errno.EFAULT.neg());
            assertThat(readByte(child, a + 2 * PAGE)).isEqualTo(0x12);
        });
    }

    @Test
    void madviseDofork_onVmIoMapping_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 1, true, 0);
            assertThat(p.mm().findVma(a).has(VmFlag.IO)).isTrue();
            assertThat(p.madvise(a, PAGE, Advice.DONTFORK)).as("DONTFORK is allowed on VM_IO").isZero();

            assertThat(p.madvise(a, PAGE, Advice.DOFORK)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isTrue();
        });
    }

    // ---- WIPEONFORK ------------------------------------------------------------------------

    @Test
    void fork_afterWipeonfork_childReadsZeroesAndParentKeepsData() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a, 0x11);
            writeByte(parent, a + PAGE, 0x12);
            assertThat(parent.madvise(a, 2 * PAGE, Advice.WIPEONFORK)).isZero();

            Task child = parent.fork("C");

            assertThat(child.mm().findVma(a)).as("the VMA is copied").isNotNull();
            assertThat(readByte(child, a)).isZero();
            assertThat(readByte(child, a + PAGE)).isZero();
            assertThat(readByte(parent, a)).isEqualTo(0x11);
            assertThat(readByte(parent, a + PAGE)).isEqualTo(0x12);
            assertThat(frameAt(parent, a).mapCount()).isEqualTo(1);
        });
    }

    @Test
    void madviseWipeonfork_onSharedMapping_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapSharedAnon(p, 1);

            assertThat(p.madvise(a, PAGE, Advice.WIPEONFORK)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().findVma(a).has(VmFlag.WIPEONFORK)).isFalse();
        });
    }

    @Test
    void madviseWipeonfork_onPrivateFileMapping_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long a = mmapFile(p, fd, 1, false, 0);

            assertThat(p.madvise(a, PAGE, Advice.WIPEONFORK)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void fork_withDontforkAndWipeonfork_dontcopyWins() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            assertThat(parent.madvise(a, PAGE, Advice.WIPEONFORK)).isZero();
            assertThat(parent.madvise(a, PAGE, Advice.DONTFORK)).isZero();

            Task child = parent.fork("C");

            assertThat(child.mm().findVma(a)).isNull();
            assertThat(tryRead(child, a)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void madviseKeeponfork_afterWipeonfork_childInheritsData() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            assertThat(parent.madvise(a, PAGE, Advice.WIPEONFORK)).isZero();

            assertThat(parent.madvise(a, PAGE, Advice.KEEPONFORK)).isZero();
            Task child = parent.fork("C");

            assertThat(readByte(child, a)).isEqualTo(0x11);
        });
    }

    // ---- argument checks and holes ---------------------------------------------------------

    @Test
    void madvise_rangeWithHole_returnsEnomemAndAdvisesMappedParts() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            assertThat(p.munmap(a + PAGE, PAGE)).isZero();

            assertThat(p.madvise(a, 3 * PAGE, Advice.DONTFORK)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isTrue();
            assertThat(p.mm().findVma(a + 2 * PAGE).has(VmFlag.DONTCOPY)).isTrue();
        });
    }

    @Test
    void madvise_rangeEndingPastLastVma_returnsEnomemAndAdvisesMappedPart() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(p.madvise(a, 2 * PAGE, Advice.DONTFORK)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isTrue();
        });
    }

    @Test
    void madvise_unalignedStart_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);

            assertThat(p.madvise(a + 1, PAGE, Advice.DONTFORK)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isFalse();
        });
    }

    @Test
    void madvise_zeroLength_returnsZeroAndChangesNothing() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(p.madvise(a, 0, Advice.DONTFORK)).isZero();
            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isFalse();
        });
    }

    @Test
    void madvise_unmappedRange_returnsEnomem() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(p.madvise(a, PAGE, Advice.DONTNEED)).isEqualTo(Errno.ENOMEM.neg());
        });
    }

    // ---- DONTNEED --------------------------------------------------------------------------

    @Test
    void madviseDontneed_privateAnon_freesFrameAndReadsZeroAfterwards() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);

            assertThat(p.madvise(a, PAGE, Advice.DONTNEED)).isZero();

            assertThat(frame.isFree()).isTrue();
            assertThat(fx.allocated()).isZero();
            assertThat(pte(p, a)).isNull();
            assertThat(readByte(p, a)).isZero();
            assertThat(frameAt(p, a).isZeroPage()).isTrue();
        });
    }

    @Test
    void madviseDontneed_sharedAnon_keepsContentsInPageCache() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapSharedAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);

            assertThat(p.madvise(a, PAGE, Advice.DONTNEED)).isZero();

            assertThat(pte(p, a)).isNull();
            assertThat(frame.isFree()).isFalse();
            assertThat(readByte(p, a)).isEqualTo(0x11);
        });
    }

    @Test
    void madviseDontneed_partOfRange_zapsOnlyThatPage() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(p, a + (long) i * PAGE, 0x10 + i);
            }

            assertThat(p.madvise(a + PAGE, PAGE, Advice.DONTNEED)).isZero();

            assertThat(fx.allocated()).isEqualTo(2);
            assertThat(readByte(p, a)).isEqualTo(0x10);
            assertThat(readByte(p, a + PAGE)).isZero();
            assertThat(readByte(p, a + 2 * PAGE)).isEqualTo(0x12);
            assertThat(p.mm().vmas()).as("DONTNEED does not split").hasSize(1);
        });
    }

    @Test
    void madviseDontneed_notifierOnRange_seesClearInvalidation() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, 2 * PAGE, rec, "mirror");

            assertThat(p.madvise(a, 2 * PAGE, Advice.DONTNEED)).isZero();

            assertThat(rec.events()).containsExactly(MmuNotifierEvent.CLEAR);
            assertThat(rec.ranges.get(0).start()).isEqualTo(a);
            assertThat(rec.ranges.get(0).end()).isEqualTo(a + 2 * PAGE);
        });
    }

    @Test
    void madviseDontneed_onPfnmap_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 1, true, 0);
            writeByte(p, a, 0x11);

            assertThat(p.madvise(a, PAGE, Advice.DONTNEED)).isEqualTo(Errno.EINVAL.neg());
            assertThat(pte(p, a)).isNotNull();
        });
    }
}
