package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.tryRead;
import static accelmm.mm.MmFixture.tryWrite;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mmap, munmap and mprotect (mm/mmap.c, mm/vma.c, mm/mprotect.c): VMA splitting, MAP_FIXED
 * replacement, errno values, and first-touch faults on anonymous memory (zero page).
 */
class MmapTest {

    // ---- mmap ------------------------------------------------------------------------------

    @Test
    void mmap_zeroLength_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            assertThat(p.mmap(0, 0, Prot.READ_WRITE, false, false, -1, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().vmas()).isEmpty();
        });
    }

    @Test
    void mmap_fixedUnalignedAddress_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long addr = MmStruct.MMAP_BASE + 0x123;

            assertThat(p.mmap(addr, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().vmas()).isEmpty();
        });
    }

    @Test
    void mmap_badFd_returnsEbadf() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> assertThat(p.mmap(0, PAGE, Prot.READ_WRITE, true, false, 7, 0))
                .isEqualTo(Errno.EBADF.neg()));
    }

    @Test
    void mmap_twoAnonMappings_getDisjointPageAlignedRanges() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            long b = p.mmap(0, PAGE + 1, Prot.READ, false, false, -1, 0);

            assertThat(b % PAGE).isZero();
            assertThat(b >= a + 2 * PAGE || b + 2 * PAGE <= a).isTrue();
            assertThat(p.mm().findVma(b).sizeBytes()).as("length rounded up").isEqualTo(2 * PAGE);
        });
    }

    @Test
    void mmap_privateAnon_pgoffIsAddressInPages() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            // do_mmap: "Set pgoff according to addr for anon_vma".
            assertThat(p.mm().findVma(a).pgoff()).isEqualTo(a >>> PageFrame.PAGE_SHIFT);
        });
    }

    @Test
    void mmapFixed_overExistingMapping_replacesContentsAndFreesOldFrames() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x12);
            PageFrame old0 = frameAt(p, a);
            PageFrame old1 = frameAt(p, a + PAGE);

            assertThat(p.mmap(a, 2 * PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(a);

            assertThat(old0.isFree()).isTrue();
            assertThat(old1.isFree()).isTrue();
            assertThat(fx.allocated()).isZero();
            assertThat(p.mm().vmas()).hasSize(1);
            assertThat(readByte(p, a)).isZero();
            assertThat(readByte(p, a + PAGE)).isZero();
        });
    }

    @Test
    void mmapFixed_overExistingMapping_notifierSeesUnmapInvalidation() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, 2 * PAGE, rec, "mirror");

            assertThat(p.mmap(a, 2 * PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(a);

            assertThat(rec.events()).containsExactly(MmuNotifierEvent.UNMAP);
            assertThat(rec.ranges.get(0).start()).isEqualTo(a);
            assertThat(rec.ranges.get(0).end()).isEqualTo(a + 2 * PAGE);
        });
    }

    @Test
    void mmapFixed_overMiddleOfMapping_splitsAroundIt() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(p, a + (long) i * PAGE, 0x10 + i);
            }

            assertThat(p.mmap(a + PAGE, PAGE, Prot.READ, false, true, -1, 0)).isEqualTo(a + PAGE);

            assertThat(p.mm().vmas()).extracting(Vma::start).containsExactly(a, a + PAGE, a + 2 * PAGE);
            assertThat(p.mm().findVma(a + PAGE).has(VmFlag.WRITE)).isFalse();
            assertThat(readByte(p, a)).isEqualTo(0x10);
            assertThat(readByte(p, a + PAGE)).isZero();
            assertThat(readByte(p, a + 2 * PAGE)).isEqualTo(0x12);
        });
    }

    // ---- munmap ----------------------------------------------------------------------------

    @Test
    void munmap_middlePage_splitsVmaWithCorrectBoundsAndPgoffs() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            long pgoff = p.mm().findVma(a).pgoff();

            assertThat(p.munmap(a + PAGE, PAGE)).isZero();

            List<Vma> vmas = p.mm().vmas();
            assertThat(vmas).hasSize(2);
            assertThat(vmas.get(0).start()).isEqualTo(a);
            assertThat(vmas.get(0).end()).isEqualTo(a + PAGE);
            assertThat(vmas.get(0).pgoff()).isEqualTo(pgoff);
            assertThat(vmas.get(1).start()).isEqualTo(a + 2 * PAGE);
            assertThat(vmas.get(1).end()).isEqualTo(a + 3 * PAGE);
            assertThat(vmas.get(1).pgoff()).isEqualTo(pgoff + 2);
        });
    }

    @Test
    void munmap_middlePage_freesOnlyThatFrame() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(p, a + (long) i * PAGE, 0x10 + i);
            }
            PageFrame middle = frameAt(p, a + PAGE);

            assertThat(p.munmap(a + PAGE, PAGE)).isZero();

            assertThat(middle.isFree()).isTrue();
            assertThat(fx.allocated()).isEqualTo(2);
            assertThat(tryRead(p, a + PAGE)).isEqualTo(Errno.EFAULT.neg());
            assertThat(readByte(p, a)).isEqualTo(0x10);
            assertThat(readByte(p, a + 2 * PAGE)).isEqualTo(0x12);
        });
    }

    @Test
    void munmap_middleOfFileMapping_tailKeepsFileOffset() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long whole = mmapFile(p, fd, 8, true, 0);
            long view = mmapFile(p, fd, 3, true, 2L * PAGE);
            assertThat(p.mm().findVma(view).pgoff()).isEqualTo(2);

            assertThat(p.munmap(view + PAGE, PAGE)).isZero();
            writeByte(p, view + 2 * PAGE, 0x44);

            assertThat(p.mm().findVma(view + 2 * PAGE).pgoff()).isEqualTo(4);
            assertThat(readByte(p, whole + 4 * PAGE)).isEqualTo(0x44);
        });
    }

    @Test
    void munmap_unalignedAddress_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);

            assertThat(p.munmap(a + 8, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().vmas()).hasSize(1);
        });
    }

    @Test
    void munmap_zeroLength_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(p.munmap(a, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().findVma(a)).isNotNull();
        });
    }

    @Test
    void munmap_rangeWithNothingMapped_returnsZero() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(p.munmap(a + 16 * PAGE, 4 * PAGE)).isZero();
            assertThat(p.mm().vmas()).extracting(Vma::start).containsExactly(a);
        });
    }

    @Test
    void munmap_unalignedLength_roundsUpToWholePage() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);

            assertThat(p.munmap(a, 1)).isZero();

            assertThat(p.mm().vmas()).extracting(Vma::start).containsExactly(a + PAGE);
        });
    }

    @Test
    void munmap_spanningTwoVmas_notifierSeesOneUnmapOfWholeRange() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, 2 * PAGE, rec, "mirror");

            assertThat(p.munmap(a, 2 * PAGE)).isZero();

            assertThat(rec.events()).containsExactly(MmuNotifierEvent.UNMAP);
            assertThat(p.mm().vmas()).isEmpty();
        });
    }

    // ---- mprotect --------------------------------------------------------------------------

    @Test
    void write_afterMprotectReadOnly_returnsEfaultAndLeavesContents() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);

            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();

            assertThat(tryWrite(p, a, 0x22)).isEqualTo(Errno.EFAULT.neg());
            assertThat(pte(p, a).writable()).isFalse();
            assertThat(fx.dmaRead(frameAt(p, a), 0)).isEqualTo(0x11);
        });
    }

    @Test
    void read_afterMprotectReadOnly_stillReturnsData() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);

            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();

            assertThat(readByte(p, a)).isEqualTo(0x11);
        });
    }

    @Test
    void read_afterMprotectNone_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);

            assertThat(p.mprotect(a, PAGE, Prot.NONE)).isZero();

            assertThat(tryRead(p, a)).isEqualTo(Errno.EFAULT.neg());
            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();
            assertThat(readByte(p, a)).as("contents survive PROT_NONE").isEqualTo(0x11);
        });
    }

    @Test
    void mprotect_rangeWithHole_returnsEnomemAfterChangingVmaBeforeHole() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            assertThat(p.munmap(a + PAGE, PAGE)).isZero();

            assertThat(p.mprotect(a, 3 * PAGE, Prot.READ)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(p.mm().findVma(a).has(VmFlag.WRITE)).isFalse();
        });
    }

    @Test
    void mprotect_unmappedStart_returnsEnomemAndChangesNothing() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(p.mprotect(a, 2 * PAGE, Prot.READ)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(p.mm().findVma(a + PAGE).has(VmFlag.WRITE)).isTrue();
        });
    }

    @Test
    void mprotect_unalignedAddress_returnsEinval() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(p.mprotect(a + 1, PAGE, Prot.READ)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().findVma(a).has(VmFlag.WRITE)).isTrue();
        });
    }

    @Test
    void mprotect_writeOnSharedMappingOfReadOnlyFile_returnsEacces() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            Shmem shmem = new Shmem(fx.kernel, "ro");
            int fd = p.files().install(fx.kernel.openFile(shmem, true, false, shmem), false);
            long a = p.mmap(0, PAGE, Prot.READ, true, false, fd, 0);
            assertThat(a).isPositive();

            assertThat(p.mprotect(a, PAGE, Prot.READ_WRITE)).isEqualTo(Errno.EACCES.neg());
        });
    }

    @Test
    void mprotect_middlePage_splitsVmaIntoThree() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);

            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();

            assertThat(p.mm().vmas()).extracting(Vma::protString).containsExactly("rw-p", "r--p", "rw-p");
            assertThat(tryWrite(p, a + PAGE, 1)).isEqualTo(Errno.EFAULT.neg());
            assertThat(tryWrite(p, a + 2 * PAGE, 1)).isZero();
        });
    }

    // ---- first touch -----------------------------------------------------------------------

    @Test
    void read_untouchedAnon_mapsZeroPageWithoutAllocating() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(readByte(p, a)).isZero();

            assertThat(frameAt(p, a)).isSameAs(fx.memory().zeroPage());
            assertThat(pte(p, a).writable()).isFalse();
            assertThat(fx.allocated()).isZero();
        });
    }

    @Test
    void write_afterZeroPageRead_allocatesExclusiveFrame() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(readByte(p, a)).isZero();

            writeByte(p, a + 5, 0x55);

            PageFrame frame = frameAt(p, a);
            assertThat(frame.isZeroPage()).isFalse();
            assertThat(frame.isAnonExclusive()).isTrue();
            assertThat(frame.mapCount()).isEqualTo(1);
            assertThat(fx.allocated()).isEqualTo(1);
            assertThat(readByte(p, a + 5)).isEqualTo(0x55);
            assertThat(readByte(p, a)).isZero();
        });
    }

    @Test
    void write_untouchedAnon_allocatesOneFrameWithOneReference() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 4);

            writeByte(p, a + PAGE, 0x11);

            PageFrame frame = frameAt(p, a + PAGE);
            assertThat(frame.refCount()).isEqualTo(1);
            assertThat(frame.mapCount()).isEqualTo(1);
            assertThat(pte(p, a + PAGE).writable()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
            assertThat(pte(p, a)).isNull();
        });
    }

    @Test
    void write_spanningTwoPages_faultsBoth() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);

            assertThat(p.write(a + PAGE - 2, new byte[] {1, 2, 3, 4}, null)).isZero();

            byte[] back = new byte[4];
            assertThat(p.read(a + PAGE - 2, back)).isZero();
            assertThat(back).containsExactly(1, 2, 3, 4);
            assertThat(fx.allocated()).isEqualTo(2);
        });
    }

    // ---- PFN maps and COW ------------------------------------------------------------------

    /** {@code vm_page_prot} is the VMA's: a split ({@code __split_vma}) and a fork ({@code vm_area_dup}) copy it. */
    @Test
    void munmapAndFork_wcPfnmap_everyPartKeepsVmPageProt() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            device.vmPageProt = PageCacheMode.WC;
            int fd = fx.openDevice(p, device);
            long a = p.mmap(0, 3 * PAGE, Prot.READ_WRITE, true, false, fd, 0);
            assertThat(p.mm().findVma(a).pageProt()).isEqualTo(PageCacheMode.WC);

            assertThat(p.munmap(a + PAGE, PAGE)).isZero();
            Task child = p.fork("C");

            assertThat(p.mm().vmas()).extracting(Vma::pageProt).containsExactly(PageCacheMode.WC, PageCacheMode.WC);
            assertThat(child.mm().vmas()).extracting(Vma::pageProt).containsExactly(PageCacheMode.WC, PageCacheMode.WC);
        });
    }

    @Test
    void mmap_anonymous_vmPageProtWriteBack() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> assertThat(p.mm().findVma(mmapAnon(p, 1)).pageProt()).isEqualTo(PageCacheMode.WB));
    }

    @Test
    void mmap_privateMappingOfPfnDevice_refusedByItsMmap() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            int fd = fx.openDevice(p, device);

            assertThat(p.mmap(0, PAGE, Prot.READ, false, false, fd, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(p.mm().vmas()).isEmpty();
        });
    }

    @Test
    void fault_pfnInsertedIntoCowPfnmap_isAModelBug() {
        // vmf_insert_pfn_prot: BUG_ON((vma->vm_flags & VM_PFNMAP) && is_cow_mapping(...)): a
        // driver whose mmap lets a private PFN map through is broken, as drm_gem_shmem_mmap was
        // before "drm/shmem-helper: Check for COW mapping".
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        TestFiles.PfnDevice careless = new TestFiles.PfnDevice(fx.kernel) {
            @Override
            public int mmap(File file, MmapSetup setup) {
                setup.addFlag(VmFlag.PFNMAP);
                setup.setOps(this);
                return 0;
            }
        };
        int fd = fx.openDevice(p, careless);

        assertThatThrownBy(() -> fx.run(() -> {
            long a = p.mmap(0, PAGE, Prot.READ, false, false, fd, 0);
            assertThat(a).isPositive();
            tryRead(p, a);
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("vmf_insert_pfn");
    }
}
