package accelmm.accel;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Mmap;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.DesignValue;
import accelmm.sim.Cost;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import accelmm.mm.Kernel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A uacce queue device with HiSilicon QM's queue allocation (drivers/misc/uacce/uacce.c, the Dec
 * 2025 generation; drivers/crypto/hisilicon/qm.c; drivers/iommu/iommu-sva.c), tests named after
 * the KERNEL-SEMANTICS UA facts they pin.
 */
class UacceQueueTest {

    private static final int PAGE = PageFrame.PAGE_SIZE;

    private final Simulation sim = new Simulation(new RandomChoiceSource(1), true, 100_000);
    private Kernel kernel;
    private UacceDevice acc;
    private final IommuSva iommu = new IommuSva(sim);

    private void machine(DesignValue... designs) {
        kernel = new Kernel(sim, Designs.of(designs));
        acc = new UacceDevice(kernel, "acc0", 2, iommu);
    }

    UacceQueueTest() {
        machine();
    }

    /** Runs {@code body} as an actor beside the device's engine; rethrows what made it fail. */
    private void run(Runnable body) {
        sim.spawn("test", body);
        Outcome outcome = sim.run();
        if (outcome instanceof Outcome.Failed failed && failed.cause() instanceof RuntimeException e) {
            throw e;
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    private static UacceQueue queue(Task task, int fd) {
        return (UacceQueue) task.files().lookup(fd).privateData();
    }

    private int open(Task task) {
        int fd = acc.open(task, false);
        assertThat(fd).as("open acc0").isNotNegative();
        return fd;
    }

    private static long mmapRegion(Task task, int fd, long size, UacceQfrt region) {
        return task.mmap(0, size, Prot.READ_WRITE, true, false, fd, region.pgoff() * PAGE);
    }

    @Test
    void ua01_open_queueInInitBoundToTheOpenersPasid_sharedByTheSameProcess_otherProcessItsOwn() {
        Task a = kernel.createProcess("A", 1000);
        Task b = kernel.createProcess("B", 1000);
        run(() -> {
            UacceQueue q1 = queue(a, open(a));
            int fd2 = open(a);
            UacceQueue q2 = queue(a, fd2);

            assertThat(q1.state()).isEqualTo(UacceQState.INIT);
            assertThat(q2.pasid()).as("iommu_sva_bind_device: one PASID per mm").isEqualTo(q1.pasid());
            assertThat(iommu.domainCount()).as("one refcounted domain for the device and mm").isEqualTo(1);
            a.close(fd2);
            UacceQueue qb = queue(b, open(b));
            assertThat(qb.pasid()).isNotEqualTo(q1.pasid());
        });
    }

    /**
     * UA-01 with two threads of one process opening queues of the device at once: the first
     * bind's {@code mmu_notifier_register} sleeps on mmap_lock, and without {@code
     * iommu_sva_lock} (drivers/iommu/iommu-sva.c, held by {@code iommu_sva_bind_device} around
     * the lookup, the allocation and the user count) the second would find no domain and make
     * its own. Each seed is another interleaving of the two opens.
     */
    @Test
    void ua01_open_twoThreadsAtOnce_iommuSvaLock_oneDomainOnePasid() {
        for (int seed = 1; seed <= 40; seed++) {
            Simulation s = new Simulation(new RandomChoiceSource(seed), true, 100_000);
            Kernel k = new Kernel(s, Designs.of());
            IommuSva sva = new IommuSva(s);
            UacceDevice dev = new UacceDevice(k, "acc0", 2, sva);
            Task a = k.createProcess("A", 1000);
            int mmCount = a.mm().count();
            int[] fds = new int[2];
            s.spawn("A.t1", () -> fds[0] = dev.open(a, false));
            s.spawn("A.t2", () -> fds[1] = dev.open(a, false));
            assertThat(s.run()).as("seed %d", seed).isEqualTo(new Outcome.Completed());

            assertThat(Math.min(fds[0], fds[1])).as("seed %d: both opens", seed).isNotNegative();
            assertThat(sva.domainCount()).as("seed %d: one domain for the device and mm", seed).isEqualTo(1);
            assertThat(queue(a, fds[1]).pasid()).as("seed %d", seed).isEqualTo(queue(a, fds[0]).pasid());
            assertThat(a.mm().count()).as("seed %d: the domain's mmgrab and its notifier's, once", seed)
                    .isEqualTo(mmCount + 2);
        }
    }

    @Test
    void ua01_open_beyondTheHardwareQueues_EBUSY_andTheBindIsUndone() {
        Task a = kernel.createProcess("A", 1000);
        Task b = kernel.createProcess("B", 1000);
        run(() -> {
            open(a);
            open(a);

            assertThat(acc.open(b, false)).as("qm_create_qp_nolock: all queues busy").isEqualTo(Errno.EBUSY.neg());
            assertThat(iommu.domainCount()).isEqualTo(1);
        });
    }

    @Test
    void ua02_startQ_whenStarted_EINVAL() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            UacceQueue q = queue(a, open(a));

            assertThat(q.startQ()).isZero();
            assertThat(q.state()).isEqualTo(UacceQState.STARTED);
            assertThat(q.startQ()).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void ua03_putQ_g3_onlyStops_andStartWorksAgain() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            UacceQueue q = queue(a, open(a));
            q.startQ();

            assertThat(q.putQ()).isZero();
            assertThat(q.state()).isEqualTo(UacceQState.INIT);
            assertThat(q.putQ()).as("put_q of a stopped queue").isZero();
            assertThat(q.startQ()).isZero();
        });
    }

    @Test
    void ua04_unknownIoctl_driverRefuses_EINVAL() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> assertThat(queue(a, open(a)).unknownIoctl()).isEqualTo(Errno.EINVAL.neg()));
    }

    @Test
    void ua05_mmap_sameRegionTwice_EEXIST_offsetPastTheRegions_EINVAL() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);

            assertThat(mmapRegion(a, fd, PAGE, UacceQfrt.MMIO)).isPositive();
            assertThat(mmapRegion(a, fd, PAGE, UacceQfrt.MMIO)).isEqualTo(Errno.EEXIST.neg());
            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd, 2L * PAGE)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void ua06_mapping_dontcopyDontexpandWipeonfork_madviseDofork_EINVAL() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            long db = mmapRegion(a, open(a), PAGE, UacceQfrt.MMIO);

            assertThat(a.mm().findVma(db).flags()).contains(accelmm.mm.VmFlag.DONTCOPY, accelmm.mm.VmFlag.DONTEXPAND,
                    accelmm.mm.VmFlag.WIPEONFORK, accelmm.mm.VmFlag.IO);
            assertThat(a.madvise(db, PAGE, Mmap.Advice.DOFORK)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    /**
     * {@code hisi_qm_uacce_mmap} passes {@code pgprot_noncached(vma->vm_page_prot)} to {@code
     * remap_pfn_range} without assigning it: the doorbell's PTE is uncached, its VMA's {@code
     * vm_page_prot} keeps the cacheable default.
     */
    @Test
    void uacceMmap_doorbell_vmPageProtCacheablePteUncached() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            long db = mmapRegion(a, open(a), PAGE, UacceQfrt.MMIO);

            assertThat(a.mm().findVma(db).pageProt()).isEqualTo(PageCacheMode.WB);
            assertThat(a.mm().pageTable().lookup(db).cacheMode()).isEqualTo(PageCacheMode.UC);
        });
    }

    @Test
    void ua06_fork_childHasNoDoorbell_itsStoreFaults() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            queue(a, fd).startQ();
            Task child = a.fork("B");

            assertThat(child.mm().findVma(db)).isNull();
            assertThat(UacceDoorbell.store(child, db, db, db, 1).ret()).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void ua06_fork_plainDriver_childRingsTheParentsQueue_alsoThroughTheLibrary_R1() {
        machine(QueueMmapDesign.PLAIN);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long buf = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(buf, "parent".getBytes(StandardCharsets.US_ASCII), null);
            queue(a, fd).startQ();
            Task child = a.fork("B");

            DmaFence f = UacceDoorbell.store(child, db, buf, buf + PAGE, 6).fence();
            f.waitSignaled();

            assertThat(f.error()).isZero();
            byte[] out = new byte[6];
            a.read(buf + PAGE, out);
            assertThat(new String(out, StandardCharsets.US_ASCII)).as("copied in the parent's mm").isEqualTo("parent");
            DmaFence viaLibrary = UacceDoorbell.submitToQueue(child, fd, buf, buf + PAGE, 6).fence();
            viaLibrary.waitSignaled();
            assertThat(viaLibrary.error()).as("R1: the child's library finds the inherited doorbell").isZero();
        });
    }

    @Test
    void ua08_munmap_clearsTheSlot_theRegionMapsAgain() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);

            a.munmap(db, PAGE);

            assertThat(mmapRegion(a, fd, PAGE, UacceQfrt.MMIO)).isPositive();
        });
    }

    @Test
    void ua09_fork_childsFdIsTheSameQueue_boundToTheParentsPasid() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            UacceQueue q = queue(a, fd);
            Task child = a.fork("B");

            assertThat(queue(child, fd)).isSameAs(q);
            assertThat(q.domain().mm()).isSameAs(a.mm());
            assertThat(queue(child, fd).startQ()).isZero();
            assertThat(q.state()).isEqualTo(UacceQState.STARTED);
        });
    }

    @Test
    void ua10_release_putsTheQueue_unbinds_freesItsPages() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long dus = mmapRegion(a, fd, 2L * PAGE, UacceQfrt.DUS);
            queue(a, fd).startQ();
            a.close(fd);
            assertThat(acc.liveObjects()).as("the mappings hold the file").hasSize(1);

            a.munmap(db, PAGE);
            a.munmap(dus, 2L * PAGE);

            assertThat(acc.liveObjects()).isEmpty();
            assertThat(iommu.domainCount()).isZero();
            assertThat(kernel.physicalMemory().allocatedCount()).isZero();
        });
    }

    @Test
    void submit_missingDestinationPage_ioPageFaultResolvesIt_missingSource_EFAULT() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long buf = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(buf, "x".getBytes(StandardCharsets.US_ASCII), null);
            queue(a, fd).startQ();

            DmaFence ok = UacceDoorbell.store(a, db, buf, buf + PAGE, 1).fence();
            ok.waitSignaled();
            DmaFence unmapped = UacceDoorbell.store(a, db, 0x1000, buf, 1).fence();
            unmapped.waitSignaled();

            assertThat(ok.error()).as("iommu_sva_handle_iopf: handle_mm_fault").isZero();
            assertThat(unmapped.error()).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void submit_stoppedQueue_doorbellIgnored_fenceNeverSignals() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long buf = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);

            UacceDoorbell.Submit s = UacceDoorbell.store(a, db, buf, buf, 1);

            assertThat(s.ret()).isZero();
            assertThat(s.fence().isSignaled()).isFalse();
        });
    }

    // ---- dma_map (seed 002, R1): one call in every accel design ----------------------------

    @Test
    void dmaMap_sva_mappedRangeAccepted_unmappedRangeEFAULT_nothingPinned() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            UacceQueue q = queue(a, open(a));
            long buf = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);

            assertThat(q.dmaMap(a, buf, PAGE)).isZero();
            assertThat(q.dmaMap(a, buf, 2L * PAGE)).as("the second page is a hole, as GUP finds it").isEqualTo(Errno.EFAULT.neg());
            assertThat(q.dmaMap(a, buf, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mm().hasPinned()).as("SVA pins nothing").isFalse();
        });
    }

    @Test
    void dmaMap_pin_pinsLongtermForWrite_overlapEEXIST_holeEFAULTUnpinsWhatItPinned_releaseUnpins() {
        machine(AccelDesign.PIN);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            UacceQueue q = queue(a, fd);
            long buf = a.mmap(0, 3L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.munmap(buf + 2L * PAGE, PAGE);

            assertThat(q.dmaMap(a, buf, PAGE)).isZero();
            PageFrame pinned = q.translateIova(buf).frame();
            assertThat(pinned.maybeDmaPinned()).as("pin_user_pages(FOLL_LONGTERM | FOLL_WRITE)").isTrue();
            assertThat(q.dmaMap(a, buf, PAGE)).as("vfio_dma_do_map: overlap").isEqualTo(Errno.EEXIST.neg());
            assertThat(q.dmaMap(a, buf + PAGE, 2L * PAGE)).isEqualTo(Errno.EFAULT.neg());
            PageFrame second = frameOf(a, buf + PAGE);
            assertThat(second == null || !second.maybeDmaPinned()).as("a failed dma_map leaves nothing pinned").isTrue();
            a.close(fd);
            assertThat(pinned.maybeDmaPinned()).as("release unpins").isFalse();
        });
    }

    @Test
    void submit_pin_deviceReachesThePinnedFramesNotThePageTables_unmappedIovaEFAULT() {
        machine(AccelDesign.PIN);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long src = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            long dst = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(src, "pinned".getBytes(StandardCharsets.US_ASCII), null);
            UacceQueue q = queue(a, fd);
            q.startQ();
            assertThat(q.dmaMap(a, src, PAGE)).isZero();
            assertThat(q.dmaMap(a, dst, PAGE)).isZero();
            a.munmap(src, PAGE);
            assertThat(a.mmap(src, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(src);
            a.write(src, "mapped".getBytes(StandardCharsets.US_ASCII), null);

            DmaFence f = UacceDoorbell.store(a, db, src, dst, 6).fence();
            f.waitSignaled();
            DmaFence outside = UacceDoorbell.store(a, db, db, dst, 1).fence();
            outside.waitSignaled();

            byte[] out = new byte[6];
            a.read(dst, out);
            assertThat(f.error()).isZero();
            assertThat(new String(out, StandardCharsets.US_ASCII)).as("the IOMMU maps the pinned frame").isEqualTo("pinned");
            assertThat(outside.error()).as("no dma_map there, no page request interface").isEqualTo(Errno.EFAULT.neg());
        });
    }

    /**
     * Glisse's (A)(B)(C): an invalidation of a dma_map range (here munmap) zaps the doorbell and
     * unpins; the next doorbell store faults, and the fault handler pins the ranges again in the
     * faulting process's current address space, so the device reads what is mapped there now.
     */
    @Test
    void submit_pinNotifier_invalidationZapsDoorbellAndUnpins_doorbellFaultPinsWhatIsMappedNow() {
        machine(AccelDesign.PIN_NOTIFIER);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long src = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            long dst = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(src, "pinned".getBytes(StandardCharsets.US_ASCII), null);
            UacceQueue q = queue(a, fd);
            q.startQ();
            assertThat(q.dmaMap(a, src, PAGE)).isZero();
            assertThat(q.dmaMap(a, dst, PAGE)).isZero();
            PageFrame first = q.translateIova(src).frame();

            a.munmap(src, PAGE);

            assertThat(frameOf(a, db)).as("(B) the doorbell is zapped").isNull();
            assertThat(q.translateIova(dst)).as("(B) every mapping dropped").isNull();
            assertThat(first.maybeDmaPinned()).as("(B) and unpinned").isFalse();
            assertThat(a.mmap(src, PAGE, Prot.READ_WRITE, false, true, -1, 0)).isEqualTo(src);
            a.write(src, "mapped".getBytes(StandardCharsets.US_ASCII), null);
            DmaFence f = UacceDoorbell.store(a, db, src, dst, 6).fence();
            f.waitSignaled();

            byte[] out = new byte[6];
            a.read(dst, out);
            assertThat(f.error()).isZero();
            assertThat(new String(out, StandardCharsets.US_ASCII)).as("(C) pinned again at the doorbell fault")
                    .isEqualTo("mapped");
            assertThat(frameOf(a, db)).as("(C) the doorbell is mapped again").isNotNull();
        });
    }

    /**
     * Step (C) is the doorbell region's fault handler: the store to a zapped doorbell is a CPU
     * fault like any other (counted once), and the handler pins in the faulting address space.
     */
    @Test
    void doorbellFault_pinNotifier_storeToZappedDoorbell_isOneCpuFault_pinsInTheFaultingMm() {
        machine(AccelDesign.PIN_NOTIFIER);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            long buf = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(buf, "x".getBytes(StandardCharsets.US_ASCII), null);
            UacceQueue q = queue(a, fd);
            q.startQ();
            assertThat(q.dmaMap(a, buf, 2L * PAGE)).isZero();
            a.madvise(buf + PAGE, PAGE, Mmap.Advice.DONTNEED);
            assertThat(frameOf(a, db)).as("(B) zapped").isNull();
            long faults = sim.costs().get(Cost.CPU_FAULT);

            DmaFence f = UacceDoorbell.store(a, db, buf, buf + PAGE, 1).fence();
            f.waitSignaled();

            assertThat(f.error()).isZero();
            assertThat(sim.costs().get(Cost.CPU_FAULT) - faults).as("the doorbell store's fault, and the"
                    + " destination's, which the re-pin's FOLL_WRITE faulted in").isEqualTo(2);
            assertThat(q.mappingOf(buf).principal()).isEqualTo(a.principal());
        });
    }

    /**
     * {@code hisi_qm_uacce_mmap} maps the doorbell with {@code pgprot_noncached}: UC at the mmap
     * ({@code remap_pfn_range}) and at the pin-notifier's refault, matching the MMIO frame's own
     * type, so the CPU's stores to it are not a cached alias.
     */
    @Test
    void uacceDoorbellFault_insertsUcPte() {
        machine(AccelDesign.PIN_NOTIFIER);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long db = mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);
            assertThat(a.mm().pageTable().lookup(db).cacheMode()).as("remap_pfn_range").isEqualTo(PageCacheMode.UC);
            long buf = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(buf, "x".getBytes(StandardCharsets.US_ASCII), null);
            UacceQueue q = queue(a, fd);
            q.startQ();
            assertThat(q.dmaMap(a, buf, 2L * PAGE)).isZero();
            a.madvise(buf + PAGE, PAGE, Mmap.Advice.DONTNEED);
            assertThat(frameOf(a, db)).as("zapped").isNull();

            UacceDoorbell.store(a, db, buf, buf + PAGE, 1).fence().waitSignaled();

            Pte pte = a.mm().pageTable().lookup(db);
            assertThat(pte.cacheMode()).as("the doorbell's fault").isEqualTo(PageCacheMode.UC);
            assertThat(pte.frame().cacheMode()).isEqualTo(PageCacheMode.UC);
        });
    }

    /** dma_map takes whole pages (vfio_dma_do_map: size, iova and vaddr page aligned) and 64-bit sizes. */
    @Test
    void dmaMap_unalignedEINVAL_wrappingEINVAL_hugeRangeStopsAtTheFirstHole() {
        machine(AccelDesign.PIN);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            UacceQueue q = queue(a, open(a));
            long buf = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);

            assertThat(q.dmaMap(a, buf, 8)).isEqualTo(Errno.EINVAL.neg());
            assertThat(q.dmaMap(a, buf + 8, PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(q.dmaMap(a, buf, Long.MAX_VALUE & ~(long) (PAGE - 1))).isEqualTo(Errno.EINVAL.neg());
            assertThat(q.dmaMap(a, buf, 0x7ffe00000000L)).isEqualTo(Errno.EFAULT.neg());
            PageFrame first = frameOf(a, buf);
            assertThat(first == null || !first.maybeDmaPinned()).as("what was pinned is unpinned").isTrue();
        });
    }

    /**
     * kernel-submit: no doorbell to map; {@code submit} names the queue's fd and pins the job's
     * buffers in the caller's address space for the job's duration only; a stopped queue is
     * -EAGAIN (hisi_qp_send), another file -ENOTTY.
     */
    @Test
    void submit_kernelSubmit_pinsTheCallersPagesForTheJobOnly_noDoorbell_stoppedQueueEAGAIN() {
        machine(AccelDesign.KERNEL_SUBMIT);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long src = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            long dst = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(src, "kernel".getBytes(StandardCharsets.US_ASCII), null);

            assertThat(mmapRegion(a, fd, PAGE, UacceQfrt.MMIO)).as("no doorbell").isEqualTo(Errno.EINVAL.neg());
            assertThat(UacceDoorbell.submitToQueue(a, fd, src, dst, 6).ret()).isEqualTo(Errno.EAGAIN.neg());
            queue(a, fd).startQ();
            UacceDoorbell.Submit s = UacceDoorbell.submitToQueue(a, fd, src, dst, 6);
            PageFrame srcFrame = frameOf(a, src);
            assertThat(srcFrame.maybeDmaPinned()).as("pinned while the job runs").isTrue();
            s.fence().waitSignaled();

            byte[] out = new byte[6];
            a.read(dst, out);
            assertThat(s.fence().error()).isZero();
            assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("kernel");
            assertThat(srcFrame.maybeDmaPinned()).as("unpinned when it ends").isFalse();
            assertThat(UacceDoorbell.submitToQueue(a, 1000, src, dst, 6).ret()).isEqualTo(Errno.EBADF.neg());
        });
    }

    /**
     * R1: the library's submission names the queue under every design; with a doorbell it is a
     * store to the queue's doorbell as the caller maps it — the parent's own, nothing in a child
     * under dontcopy (UA-06).
     */
    @Test
    void r1_submitToQueue_doorbellDesign_storesToTheCallersDoorbellOfThatQueue_dontcopyChildFaults() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            int fd = open(a);
            long buf = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, false, false, -1, 0);
            a.write(buf, "queue".getBytes(StandardCharsets.US_ASCII), null);
            queue(a, fd).startQ();
            assertThat(UacceDoorbell.submitToQueue(a, fd, buf, buf + PAGE, 5).ret()).as("no doorbell mapped yet")
                    .isEqualTo(Errno.EFAULT.neg());
            mmapRegion(a, fd, PAGE, UacceQfrt.MMIO);

            DmaFence f = UacceDoorbell.submitToQueue(a, fd, buf, buf + PAGE, 5).fence();
            f.waitSignaled();
            Task child = a.fork("B");

            assertThat(f.error()).isZero();
            byte[] out = new byte[5];
            a.read(buf + PAGE, out);
            assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("queue");
            assertThat(UacceDoorbell.submitToQueue(child, fd, buf, buf + PAGE, 5).ret()).as("VM_DONTCOPY")
                    .isEqualTo(Errno.EFAULT.neg());
        });
    }

    /** R1: the fd form's errnos under a doorbell design: EBADF for an fd not open, ENOTTY for another file. */
    @Test
    void r1_submitToQueue_fdNotOpen_EBADF_notAQueue_ENOTTY() {
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            long buf = a.mmap(0, PAGE, Prot.READ_WRITE, true, false, -1, 0);
            int other = a.installFile(kernel.openFile(new FileOperations() {
                @Override
                public void release(File file) {
                }

                @Override
                public String name() {
                    return "another file";
                }
            }, true, true, null), false);

            assertThat(UacceDoorbell.submitToQueue(a, 7, buf, buf, 1).ret()).isEqualTo(Errno.EBADF.neg());
            assertThat(UacceDoorbell.submitToQueue(a, other, buf, buf, 1).ret()).isEqualTo(Errno.ENOTTY.neg());
        });
    }

    /** R1: a raw store under kernel-submit finds no doorbell (there is none to map): EFAULT. */
    @Test
    void r1_store_kernelSubmit_noDoorbellAnywhere_EFAULT() {
        machine(AccelDesign.KERNEL_SUBMIT);
        Task a = kernel.createProcess("A", 1000);
        run(() -> {
            open(a);
            long buf = a.mmap(0, PAGE, Prot.READ_WRITE, false, false, -1, 0);

            assertThat(UacceDoorbell.store(a, buf, buf, buf, 1).ret()).isEqualTo(Errno.EFAULT.neg());
        });
    }

    private static PageFrame frameOf(Task task, long address) {
        var pte = task.mm().pageTable().lookup(address & ~(long) (PAGE - 1));
        return pte == null || !pte.isPresent() ? null : pte.frame();
    }
}
