package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VMA merging (mm/vma.c): {@code vma_merge_existing_range} after mprotect and madvise,
 * {@code vma_merge_new_range} at mmap, and the conditions that keep VMAs apart
 * ({@code is_mergeable_vma}, {@code is_mergeable_anon_vma}, VM_SPECIAL,
 * {@code can_merge_remove_vma}).
 */
class VmaMergeTest {

    private static List<String> layout(Task p) {
        return p.mm().vmas().stream()
                .map(v -> Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()) + " " + v.protString())
                .toList();
    }

    private static String range(long start, long pages, String prot) {
        return Long.toHexString(start) + "-" + Long.toHexString(start + pages * PAGE) + " " + prot;
    }

    // ---- mprotect --------------------------------------------------------------------------

    @Test
    void mprotect_middleBackToOriginal_mergesIntoOneVma() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();
            assertThat(p.mm().vmas()).hasSize(3);

            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ_WRITE)).isZero();

            assertThat(layout(p)).containsExactly(range(a, 3, "rw-p"));
            assertThat(p.mm().findVma(a).pgoff()).isEqualTo(a >>> PageFrame.PAGE_SHIFT);
        });
    }

    @Test
    void mprotect_mergedBackAfterWrites_pagesStayReverseMapped() {
        // The pieces of a split share their anon_vma (anon_vma_clone), so they merge again and
        // every page is found at its address in the merged VMA.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            for (int i = 0; i < 3; i++) {
                writeByte(p, a + (long) i * PAGE, 0x10 + i);
            }
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();
            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ_WRITE)).isZero();

            assertThat(p.mm().vmas()).hasSize(1);
            for (int i = 0; i < 3; i++) {
                long at = a + (long) i * PAGE;
                assertThat(Rmap.walk(frameAt(p, at))).containsExactly(new Rmap.Mapping(p.mm(), at));
            }
            assertThat(fx.kernel.migrate().migratePages(p, a, 3 * PAGE)).isEqualTo(3);
            assertThat(readByte(p, a + 2 * PAGE)).isEqualTo(0x12);
        });
    }

    @Test
    void mprotect_lastPagesToNeighboursFlags_nextTakesThemOver() {
        //  |--rw--|--rw--|--r--|  ->  mprotect(second page, r)  ->  |--rw--|-----r-----|
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            long b = p.mmap(0, PAGE, Prot.READ, false, false, -1, 0);
            assertThat(b).isEqualTo(a + 2 * PAGE);

            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ)).isZero();

            assertThat(layout(p)).containsExactly(range(a, 1, "rw-p"), range(a + PAGE, 2, "r--p"));
            assertThat(p.mm().findVma(b).pgoff()).isEqualTo((a + PAGE) >>> PageFrame.PAGE_SHIFT);
        });
    }

    @Test
    void mprotect_firstPagesToPreviousFlags_prevTakesThemOver() {
        //  |--r--|--rw--|--rw--|  ->  mprotect(first rw page, r)  ->  |-----r-----|--rw--|
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = p.mmap(0, PAGE, Prot.READ, false, false, -1, 0);
            long b = mmapAnon(p, 2);
            assertThat(b).isEqualTo(a + PAGE);

            assertThat(p.mprotect(b, PAGE, Prot.READ)).isZero();

            assertThat(layout(p)).containsExactly(range(a, 2, "r--p"), range(b + PAGE, 1, "rw-p"));
            assertThat(p.mm().findVma(b + PAGE).pgoff()).isEqualTo((b + PAGE) >>> PageFrame.PAGE_SHIFT);
        });
    }

    @Test
    void mprotect_toTheSameProtection_neitherSplitsNorInvalidates() {
        // mprotect_fixup returns early when the flags do not change.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, 3 * PAGE, rec, "mirror");

            assertThat(p.mprotect(a + PAGE, PAGE, Prot.READ_WRITE)).isZero();

            assertThat(p.mm().vmas()).hasSize(1);
            assertThat(rec.ranges).isEmpty();
        });
    }

    @Test
    void mprotect_rangeOverTwoVmas_invalidatesTheRangeOnly() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 4);
            RecordingNotifier rec = new RecordingNotifier();
            p.mm().insertIntervalNotifier(a, 4 * PAGE, rec, "mirror");

            assertThat(p.mprotect(a + PAGE, 2 * PAGE, Prot.READ)).isZero();

            assertThat(rec.ranges).containsExactly(
                    new MmuNotifierRange(p.mm(), a + PAGE, a + 3 * PAGE, MmuNotifierEvent.PROTECTION_VMA));
        });
    }

    // ---- madvise ---------------------------------------------------------------------------

    @Test
    void madvise_dontforkThenDofork_mergesBack() {
        // madvise_update_vma goes through vma_modify_flags_name like mprotect.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            assertThat(p.madvise(a + PAGE, PAGE, Mmap.Advice.DONTFORK)).isZero();
            assertThat(p.mm().vmas()).hasSize(3);

            assertThat(p.madvise(a + PAGE, PAGE, Mmap.Advice.DOFORK)).isZero();

            assertThat(p.mm().vmas()).hasSize(1);
            assertThat(p.mm().findVma(a).has(VmFlag.DONTCOPY)).isFalse();
        });
    }

    @Test
    void madvise_doforkNextToVmaWithAnotherAnonVma_staysSeparate() {
        // Both VMAs have anonymous pages under different anon_vmas: is_mergeable_anon_vma says no.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.madvise(a, PAGE, Mmap.Advice.DONTFORK)).isZero();
            long b = mmapAnon(p, 1);
            assertThat(b).isEqualTo(a + PAGE);
            writeByte(p, a, 0x11);
            writeByte(p, b, 0x12);
            assertThat(frameAt(p, a).anonVma()).isNotSameAs(frameAt(p, b).anonVma());

            assertThat(p.madvise(a, PAGE, Mmap.Advice.DOFORK)).isZero();

            assertThat(layout(p)).containsExactly(range(a, 1, "rw-p"), range(b, 1, "rw-p"));
        });
    }

    @Test
    void madvise_keeponforkOnAVmaWithoutWipeonfork_changesNothing() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);

            assertThat(p.madvise(a + PAGE, PAGE, Mmap.Advice.KEEPONFORK)).isZero();

            assertThat(p.mm().vmas()).hasSize(1);
        });
    }

    // ---- mmap ------------------------------------------------------------------------------

    @Test
    void mmap_nextToAnonVmaWithTheSameFlags_extendsIt() {
        // vma_merge_new_range: no new VMA, the neighbour grows.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);

            long b = mmapAnon(p, 1);

            assertThat(b).isEqualTo(a + 2 * PAGE);
            assertThat(layout(p)).containsExactly(range(a, 3, "rw-p"));
            writeByte(p, b, 0x12);
            assertThat(frameAt(p, b).anonVma()).isSameAs(frameAt(p, a).anonVma());
        });
    }

    @Test
    void mmapFixed_intoTheMiddle_mergesWithBothSides() {
        // MAP_FIXED unmaps the middle, then the new mapping joins the pieces left and right.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            writeByte(p, a + PAGE, 0x11);

            assertThat(p.mmap(a + PAGE, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(a + PAGE);

            assertThat(layout(p)).containsExactly(range(a, 3, "rw-p"));
            assertThat(readByte(p, a + PAGE)).as("the new mapping's page is fresh").isZero();
        });
    }

    @Test
    void mmap_nextToForkChildsVmaWithPages_staysSeparate() {
        // A VMA linked to its parent's anon_vma too (vma_is_fork_child) is kept out of merges.
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            long b = mmapAnon(child, 1);

            assertThat(b).isEqualTo(a + PAGE);
            assertThat(layout(child)).containsExactly(range(a, 1, "rw-p"), range(b, 1, "rw-p"));
        });
    }

    @Test
    void mmap_memfdAtTheNextOffset_extendsTheVma() {
        // Same file, contiguous vm_pgoff; shmem's VMAs have no ->close.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long a = mmapFile(p, fd, 1, true, 0);

            long b = mmapFile(p, fd, 1, true, PAGE);

            assertThat(b).isEqualTo(a + PAGE);
            assertThat(layout(p)).containsExactly(range(a, 2, "rw-s"));
            writeByte(p, b, 0x12);
            assertThat(Rmap.walk(frameAt(p, b))).containsExactly(new Rmap.Mapping(p.mm(), b));
        });
    }

    @Test
    void mmap_memfdAtAnUnrelatedOffset_staysSeparate() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long a = mmapFile(p, fd, 1, true, 0);

            long b = mmapFile(p, fd, 1, true, 3 * PAGE);

            assertThat(b).isEqualTo(a + PAGE);
            assertThat(p.mm().vmas()).hasSize(2);
        });
    }

    @Test
    void mmap_pfnDeviceAtTheNextOffset_neverMerges() {
        // VM_SPECIAL (VM_IO | VM_PFNMAP | VM_DONTEXPAND) mappings are unmergeable.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 1, true, 0);
            long b = mmapFile(p, fd, 1, true, PAGE);
            assertThat(b).isEqualTo(a + PAGE);

            assertThat(p.mm().vmas()).hasSize(2);
            assertThat(p.mprotect(a, 2 * PAGE, Prot.READ)).isZero();
            assertThat(p.mm().vmas()).hasSize(2);
        });
    }

    @Test
    void mmap_betweenTwoVmasWhoseOwnerHasClose_extendsThePreviousOnly() {
        // can_merge_remove_vma: the next VMA would be removed without ->close, so only prev grows.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            ClosingDevice device = new ClosingDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 1, true, 0);
            assertThat(p.mmap(a + 2 * PAGE, PAGE, Prot.READ_WRITE, true, true, fd, 2 * PAGE)).isEqualTo(a + 2 * PAGE);

            assertThat(p.mmap(a + PAGE, PAGE, Prot.READ_WRITE, true, true, fd, PAGE)).isEqualTo(a + PAGE);

            assertThat(layout(p)).containsExactly(range(a, 2, "rw-s"), range(a + 2 * PAGE, 1, "rw-s"));
            assertThat(device.opened).as("the merged range opened no VMA").isEqualTo(2);
            assertThat(p.munmap(a, 3 * PAGE)).isZero();
            assertThat(device.closed).isEqualTo(2);
        });
    }

    /** A driver mapping pages with normal PTEs whose VMAs it counts with open and close. */
    private static final class ClosingDevice implements FileOperations, VmOperations {
        private final Kernel kernel;
        int opened;
        int closed;

        ClosingDevice(Kernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public int mmap(File file, MmapSetup setup) {
            setup.setOps(this);
            return 0;
        }

        @Override
        public void open(Vma vma) {
            opened++;
        }

        @Override
        public void close(Vma vma) {
            closed++;
        }

        @Override
        public VmFaultResult fault(VmFault fault) {
            fault.setPage(kernel.physicalMemory().allocPage());
            return VmFaultResult.OK;
        }

        @Override
        public void release(File file) {
        }

        @Override
        public String name() {
            return "closing device";
        }
    }
}
