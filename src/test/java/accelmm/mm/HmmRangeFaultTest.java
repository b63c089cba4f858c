package accelmm.mm;

import static accelmm.mm.NotifierHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.NotifierHarness.Recorder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code hmm_range_fault} (mm/hmm.c) on one call: what it returns and reports per page, in
 * fault mode and in snapshot mode, for the VMA kinds of the hmm selftests (HMM-xx,
 * KERNEL-SEMANTICS 1.1). The caller holds {@code mmap_lock} for reading and sets the notifier
 * sequence from {@code read_begin}, as {@link #rangeFault} does. The retry loop is in
 * {@link HmmRetryLoopTest}.
 */
class HmmRangeFaultTest {

    private final NotifierHarness h = new NotifierHarness();
    private final Task a = h.process("A");
    private final Recorder ops = new Recorder(h.kernel);

    /** One attempt: read_begin, mmap_read_lock, hmm_range_fault, unlock. */
    private int rangeFault(HmmRange range) {
        MmStruct mm = range.notifier().mm();
        range.notifierSeq = range.notifier().readBegin();
        mm.mmapLock().downRead();
        try {
            return h.kernel.hmm().hmmRangeFault(range);
        } finally {
            mm.mmapLock().upRead();
        }
    }

    /** A range over {@code pages} pages at {@code addr}, with its own subscription. */
    private HmmRange range(Task task, long addr, int pages, boolean fault, boolean write) {
        MmuIntervalNotifier sub = task.mm().insertIntervalNotifier(addr, pages * PAGE, ops, "mirror");
        return new HmmRange(sub, addr, addr + pages * PAGE, fault, write);
    }

    /** Runs one attempt in an actor and returns its result. */
    private int runOnce(HmmRange range) {
        int[] ret = new int[1];
        h.spawn("device", () -> ret[0] = rangeFault(range));
        h.run();
        return ret[0];
    }

    private List<HmmPfn> pfns(HmmRange range) {
        List<HmmPfn> out = new ArrayList<>();
        for (int i = 0; i < range.pageCount(); i++) {
            out.add(range.pfn(i));
        }
        return out;
    }

    // ---- permissions and holes ---------------------------------------------------------------

    @Test
    void hmmRangeFault_protNoneVmaWithFault_returnsEfault_HMM03() {
        // HMM-03 anon_read_prot
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 10);
        assertThat(a.mprotect(addr, 4 * PAGE, Prot.NONE)).isZero();

        assertThat(runOnce(range(a, addr, 4, true, false))).isEqualTo(Errno.EFAULT.neg());
    }

    @Test
    void hmmRangeFault_protNoneVmaWithFault_cpuSeesOriginalValuesAfterProtRead_HMM03() {
        // HMM-03 anon_read_prot: the failed device read changes nothing.
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 4, 10);
        assertThat(a.mprotect(addr, 4 * PAGE, Prot.NONE)).isZero();
        HmmRange range = range(a, addr, 4, true, false);
        h.spawn("A.main", () -> {
            assertThat(rangeFault(range)).isEqualTo(Errno.EFAULT.neg());
            assertThat(a.mprotect(addr, 4 * PAGE, Prot.READ)).isZero();
            for (int i = 0; i < 4; i++) {
                assertThat(NotifierHarness.readInt(a, addr + i * PAGE)).isEqualTo(10 + i);
            }
        });

        h.run();
    }

    @Test
    void hmmRangeFault_holeWithFault_returnsEfault() {
        long addr = NotifierHarness.mmapAnon(a, 3, Prot.READ_WRITE);
        assertThat(a.munmap(addr + PAGE, PAGE)).isZero();

        assertThat(runOnce(range(a, addr, 3, true, false))).isEqualTo(Errno.EFAULT.neg());
    }

    @Test
    void hmmRangeFault_writeOnReadOnlyVma_returnsEperm_HMM05() {
        // HMM-05 anon_write_prot, step 3
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ);

        assertThat(runOnce(range(a, addr, 2, true, true))).isEqualTo(Errno.EPERM.neg());
    }

    @Test
    void hmmRangeFault_writeOnReadOnlyVma_cpuStillReadsZeroes_HMM05() {
        // HMM-05 anon_write_prot, step 3: nothing was written.
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ);
        HmmRange range = range(a, addr, 2, true, true);
        h.spawn("A.main", () -> {
            assertThat(rangeFault(range)).isEqualTo(Errno.EPERM.neg());
            assertThat(NotifierHarness.readInt(a, addr)).isZero();
        });

        h.run();
    }

    @Test
    void hmmRangeFault_readOnReadOnlyVma_returnsZeroPageNotWritable_HMM05() {
        // HMM-05 anon_write_prot, step 2
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ);
        HmmRange range = range(a, addr, 1, true, false);

        assertThat(runOnce(range)).isZero();

        HmmPfn pfn = range.pfn(0);
        assertThat(pfn.valid()).isTrue();
        assertThat(pfn.frame().isZeroPage()).isTrue();
        assertThat(pfn.writable()).isFalse();
        assertThat(h.deviceReadInt(pfn)).isZero();
    }

    @Test
    void hmmRangeFault_writeAfterMprotectReadWrite_deviceDataVisibleToCpu_HMM05() {
        // HMM-05 anon_write_prot, step 4: the zero page is replaced by writable pages.
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ);
        NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, a.mm(), addr, 2 * PAGE, "mirror");
        h.spawn("A.main", () -> {
            assertThat(mirror.fault(addr, addr + PAGE, false, 4).ret()).isZero();
            assertThat(a.mprotect(addr, 2 * PAGE, Prot.READ_WRITE)).isZero();
            NotifierHarnessMirror.FaultResult write = mirror.fault(addr, addr + 2 * PAGE, true, 4);
            assertThat(write.ret()).isZero();
            for (int i = 0; i < 2; i++) {
                h.deviceWriteInt(write.range().pfn(i), 500 + i);
            }
            for (int i = 0; i < 2; i++) {
                assertThat(NotifierHarness.readInt(a, addr + i * PAGE)).isEqualTo(500 + i);
            }
        });

        h.run();
    }

    // ---- first faults ------------------------------------------------------------------------

    @Test
    void hmmRangeFault_firstWriteOnFreshMemory_populatesWritableExclusivePages_HMM04() {
        // HMM-04 anon_write
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        HmmRange range = range(a, addr, 4, true, true);

        assertThat(runOnce(range)).isZero();

        for (int i = 0; i < 4; i++) {
            HmmPfn pfn = range.pfn(i);
            Pte pte = a.mm().pageTable().lookup(addr + i * PAGE);
            assertThat(pfn.writable()).as("page %d writable", i).isTrue();
            assertThat(pfn.frame()).as("page %d frame", i).isSameAs(pte.frame());
            assertThat(pfn.frame().isZeroPage()).isFalse();
            assertThat(pfn.frame().isAnonExclusive()).isTrue();
        }
        assertThat(pfns(range).stream().map(HmmPfn::frame).distinct()).hasSize(4);
    }

    @Test
    void hmmRangeFault_firstWriteOnFreshMemory_returnsWithoutInvalidation_HMM04() {
        // Populating empty PTEs needs no invalidation, so the first attempt succeeds (faults == 1).
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);

        assertThat(runOnce(range(a, addr, 4, true, true))).isZero();

        assertThat(ops.calls).isEmpty();
    }

    @Test
    void hmmRangeFault_deviceWritesThroughPfns_cpuReadsThePattern_HMM04() {
        // HMM-04 anon_write: the CPU reads what the device wrote.
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        HmmRange range = range(a, addr, 4, true, true);
        h.spawn("A.main", () -> {
            assertThat(rangeFault(range)).isZero();
            for (int i = 0; i < 4; i++) {
                h.deviceWriteInt(range.pfn(i), 1000 + i);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(NotifierHarness.readInt(a, addr + i * PAGE)).isEqualTo(1000 + i);
            }
        });

        h.run();
    }

    @Test
    void hmmRangeFault_readOnFreshMemory_mapsTheZeroPageReadOnly() {
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        HmmRange range = range(a, addr, 2, true, false);

        assertThat(runOnce(range)).isZero();

        assertThat(pfns(range)).allSatisfy(pfn -> {
            assertThat(pfn.frame().isZeroPage()).isTrue();
            assertThat(pfn.writable()).isFalse();
        });
    }

    @Test
    void hmmRangeFault_readOnPopulatedPages_returnsTheMappedFramesWritable_HMM02() {
        // HMM-02 anon_read, for pages the CPU filled: the CPU's frames, writable as mapped.
        long addr = NotifierHarness.mmapAnon(a, 3, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 3, 40);
        HmmRange range = range(a, addr, 3, true, false);

        assertThat(runOnce(range)).isZero();

        for (int i = 0; i < 3; i++) {
            assertThat(range.pfn(i).frame()).isSameAs(a.mm().pageTable().lookup(addr + i * PAGE).frame());
            assertThat(range.pfn(i).writable()).isTrue();
            assertThat(h.deviceReadInt(range.pfn(i))).isEqualTo(40 + i);
        }
    }

    @Test
    void hmmRangeFault_readOnCowSharedPagesAfterFork_sharedFramesReadOnlyWithoutInvalidation() {
        long addr = NotifierHarness.mmapAnon(a, 2, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 2, 1);
        Task[] child = new Task[1];
        h.spawn("A.main", () -> {
            child[0] = a.fork("B");
            HmmRange range = range(a, addr, 2, true, false);
            assertThat(rangeFault(range)).as("first attempt").isZero();
            for (int i = 0; i < 2; i++) {
                assertThat(range.pfn(i).writable()).isFalse();
                assertThat(range.pfn(i).frame())
                        .isSameAs(child[0].mm().pageTable().lookup(addr + i * PAGE).frame());
            }
        });

        h.run();

        assertThat(ops.calls).as("a read request breaks no COW").isEmpty();
    }

    @Test
    void hmmRangeFault_staleNotifierSeq_returnsEbusyWithoutFaulting() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        MmuIntervalNotifier sub = a.mm().insertIntervalNotifier(addr, 4 * PAGE, ops, "mirror");
        HmmRange range = new HmmRange(sub, addr, addr + 2 * PAGE, true, true);
        MmStruct mm = a.mm();
        h.spawn("A.main", () -> {
            range.notifierSeq = range.notifier().readBegin();
            assertThat(a.munmap(addr + 3 * PAGE, PAGE)).isZero();
            mm.mmapLock().downRead();
            try {
                assertThat(h.kernel.hmm().hmmRangeFault(range)).isEqualTo(Errno.EBUSY.neg());
            } finally {
                mm.mmapLock().upRead();
            }
        });

        h.run();

        assertThat(mm.pageTable().size()).as("nothing faulted in").isZero();
        assertThat(pfns(range)).containsOnly(HmmPfn.NONE);
    }

    // ---- snapshot ----------------------------------------------------------------------------

    @Test
    void hmmRangeFault_snapshot_reportsErrorErrorZeroReadWriteNone_HMM22() {
        // HMM-22 snapshot, without device pages: [ERROR, ERROR, ZERO|READ, READ, WRITE, NONE].
        long addr = NotifierHarness.mmapAnon(a, 6, Prot.READ_WRITE);
        assertThat(a.mprotect(addr, PAGE, Prot.NONE)).isZero();
        assertThat(a.munmap(addr + PAGE, PAGE)).isZero();
        assertThat(NotifierHarness.readInt(a, addr + 2 * PAGE)).isZero();
        NotifierHarness.fill(a, addr + 3 * PAGE, 2, 33);
        assertThat(a.mprotect(addr + 2 * PAGE, 2 * PAGE, Prot.READ)).isZero();
        HmmRange range = range(a, addr, 6, false, false);

        assertThat(runOnce(range)).isZero();

        assertThat(range.pfn(0)).as("PROT_NONE").isEqualTo(HmmPfn.ERROR);
        assertThat(range.pfn(1)).as("hole").isEqualTo(HmmPfn.ERROR);
        assertThat(range.pfn(2).frame()).as("read-only zero page").isSameAs(h.kernel.physicalMemory().zeroPage());
        assertThat(range.pfn(2).writable()).isFalse();
        assertThat(range.pfn(3).valid()).as("read-only with data").isTrue();
        assertThat(range.pfn(3).writable()).isFalse();
        assertThat(h.deviceReadInt(range.pfn(3))).isEqualTo(33);
        assertThat(range.pfn(4).valid()).as("read-write with data").isTrue();
        assertThat(range.pfn(4).writable()).isTrue();
        assertThat(range.pfn(5)).as("never touched").isEqualTo(HmmPfn.NONE);
    }

    @Test
    void hmmRangeFault_snapshot_populatesNothing_HMM22() {
        long addr = NotifierHarness.mmapAnon(a, 4, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 1);
        int ptes = a.mm().pageTable().size();
        long frames = h.kernel.physicalMemory().allocatedCount();

        assertThat(runOnce(range(a, addr, 4, false, true))).isZero();

        assertThat(a.mm().pageTable().size()).isEqualTo(ptes);
        assertThat(h.kernel.physicalMemory().allocatedCount()).isEqualTo(frames);
    }

    @Test
    void hmmRangeFault_snapshotWithWriteFlagOnReadOnlyPage_reportsItReadOnlyWithoutError() {
        // HMM_PFN_REQ_WRITE without HMM_PFN_REQ_FAULT asks for nothing (hmm_pte_need_fault).
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ);
        assertThat(NotifierHarness.readInt(a, addr)).isZero();
        HmmRange range = range(a, addr, 1, false, true);

        assertThat(runOnce(range)).isZero();

        assertThat(range.pfn(0).valid()).isTrue();
        assertThat(range.pfn(0).writable()).isFalse();
    }

    @Test
    void hmmRangeFault_swappedOutPageSnapshot_reportsNone() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 77);
        assertThat(h.kernel.migrate().reclaimPages(a.mm(), addr, PAGE)).isEqualTo(1);
        HmmRange range = range(a, addr, 1, false, false);

        assertThat(runOnce(range)).isZero();

        assertThat(range.pfn(0)).isEqualTo(HmmPfn.NONE);
    }

    @Test
    void hmmRangeFault_swappedOutPageWithFault_swapsItInWithItsContents() {
        long addr = NotifierHarness.mmapAnon(a, 1, Prot.READ_WRITE);
        NotifierHarness.fill(a, addr, 1, 77);
        assertThat(h.kernel.migrate().reclaimPages(a.mm(), addr, PAGE)).isEqualTo(1);
        HmmRange range = range(a, addr, 1, true, false);

        assertThat(runOnce(range)).isZero();

        assertThat(range.pfn(0).valid()).isTrue();
        assertThat(h.deviceReadInt(range.pfn(0))).isEqualTo(77);
    }

    // ---- VM_IO / VM_PFNMAP and special PTEs --------------------------------------------------

    /** A device file whose mmap sets {@code flags} and whose fault inserts PFNs of device memory. */
    private static final class DeviceRegion implements FileOperations, VmOperations {
        private final Kernel kernel;
        private final Set<VmFlag> flags;
        private final List<PageFrame> bars = new ArrayList<>();

        DeviceRegion(Kernel kernel, Set<VmFlag> flags) {
            this.kernel = kernel;
            this.flags = flags;
        }

        @Override
        public int mmap(File file, MmapSetup setup) {
            flags.forEach(setup::addFlag);
            setup.setOps(this);
            return 0;
        }

        @Override
        public VmFaultResult fault(VmFault fault) {
            while (bars.size() <= fault.pgoff()) {
                bars.add(kernel.physicalMemory().allocPage(new MemoryZone("bar", true)));
            }
            fault.insertPfn(bars.get((int) fault.pgoff()));
            return VmFaultResult.NOPAGE;
        }

        @Override
        public void release(File file) {
        }

        @Override
        public String name() {
            return "test bar";
        }
    }

    /** Maps a {@link DeviceRegion} with {@code flags} shared read-write and touches its first page. */
    private long mapDevice(Set<VmFlag> flags, int pages) {
        DeviceRegion region = new DeviceRegion(h.kernel, flags);
        int fd = a.files().install(h.kernel.openFile(region, true, true, region), false);
        long addr = a.mmap(0, pages * PAGE, Prot.READ_WRITE, true, false, fd, 0);
        assertThat(addr).isPositive();
        assertThat(NotifierHarness.readInt(a, addr)).isZero();
        assertThat(a.mm().pageTable().lookup(addr).special()).isTrue();
        return addr;
    }

    @Test
    void hmmRangeFault_ioPfnmapVmaWithFault_returnsEfault() {
        long addr = mapDevice(EnumSet.of(VmFlag.IO, VmFlag.PFNMAP), 2);

        assertThat(runOnce(range(a, addr, 2, true, false))).isEqualTo(Errno.EFAULT.neg());
    }

    @Test
    void hmmRangeFault_ioPfnmapVmaWithFault_faultsNothingIn() {
        // hmm_vma_walk_test refuses the whole VMA before looking at its PTEs.
        long addr = mapDevice(EnumSet.of(VmFlag.IO, VmFlag.PFNMAP), 2);

        assertThat(runOnce(range(a, addr + PAGE, 1, true, false))).isEqualTo(Errno.EFAULT.neg());

        assertThat(a.mm().pageTable().lookup(addr + PAGE)).isNull();
    }

    @Test
    void hmmRangeFault_ioPfnmapVmaSnapshot_reportsErrorEvenWherePopulated() {
        long addr = mapDevice(EnumSet.of(VmFlag.IO, VmFlag.PFNMAP), 2);
        HmmRange range = range(a, addr, 2, false, false);

        assertThat(runOnce(range)).isZero();

        assertThat(pfns(range)).containsExactly(HmmPfn.ERROR, HmmPfn.ERROR);
    }

    @Test
    void hmmRangeFault_specialPteInMixedMapVmaSnapshot_reportsError() {
        // hmm_vma_handle_pte: no vm_normal_page and not the zero pfn.
        long addr = mapDevice(EnumSet.of(VmFlag.MIXEDMAP), 1);
        HmmRange range = range(a, addr, 1, false, false);

        assertThat(runOnce(range)).isZero();

        assertThat(range.pfn(0)).isEqualTo(HmmPfn.ERROR);
    }

    @Test
    void hmmRangeFault_specialPteInMixedMapVmaWithFault_returnsEfault() {
        long addr = mapDevice(EnumSet.of(VmFlag.MIXEDMAP), 1);

        assertThat(runOnce(range(a, addr, 1, true, false))).isEqualTo(Errno.EFAULT.neg());
    }

    // ---- shared anonymous memory -------------------------------------------------------------

    @Test
    void hmmRangeFault_childWritesSharedAnonymous_parentSeesDeviceData_HMM07() {
        // HMM-07 anon_write_child_shared: no COW for MAP_SHARED | MAP_ANONYMOUS.
        long addr = a.mmap(0, 2 * PAGE, Prot.READ_WRITE, true, false, -1, 0);
        assertThat(addr).isPositive();
        NotifierHarness.fill(a, addr, 2, 1);
        h.spawn("A.main", () -> {
            Task child = a.fork("B");
            assertThat(NotifierHarness.readInt(child, addr)).isEqualTo(1);
            NotifierHarnessMirror mirror = new NotifierHarnessMirror(h.kernel, child.mm(), addr, 2 * PAGE, "B.mirror");
            NotifierHarnessMirror.FaultResult write = mirror.fault(addr, addr + 2 * PAGE, true, 4);
            assertThat(write.ret()).isZero();
            for (int i = 0; i < 2; i++) {
                h.deviceWriteInt(write.range().pfn(i), -(i + 1));
            }
            for (int i = 0; i < 2; i++) {
                assertThat(NotifierHarness.readInt(a, addr + i * PAGE)).as("parent page %d", i).isEqualTo(-(i + 1));
            }
        });

        h.run();
    }
}
