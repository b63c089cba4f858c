package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import org.junit.jupiter.api.Test;

/**
 * Which events the cost counters see, with exact counts for scenarios whose schedule is fixed (one
 * process thread; a kernel thread ordered by signals): the SVA domain's IOTLB flushes on the
 * bound mm's TLB flushes, the GPU TLB invalidation of a BO move, the fault taxonomy (every {@code
 * handle_mm_fault} a CPU fault, every fault a device raises a device fault), which statements are
 * system calls, an RDMA region's translation writes and a dma-buf importer's invalidation.
 */
class CostEventsTest {

    private static final String BOUND = """
            scenario "a queue's process writes memory, then more"
            design accel=%s
            device acc0 kind=accel
            process A

            thread A.main:
              q = open acc0
              p = mmap 8K
              write p 0x11*8K
            %s""";

    // ---- SVA: the domain's mmu notifier flushes the IOTLB with the CPU TLB -------------------

    @Test
    void cost_exitWithABoundQueue_tearsThePasidDownOnceAndTheUnmapFlushesNoIotlb() {
        // exit_mmap's mmu_notifier_release calls the domain's release, which clears the PASID
        // entry and flushes the IOTLB once, and takes the notifier off the mm: the exit's unmap
        // of the two present pages then flushes only the CPU; the queue's release (exit_files)
        // finds the PASID gone and flushes nothing more.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(BOUND.formatted("sva", ""));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(1);
    }

    @Test
    void cost_munmapUnderSva_flushesTheDomainsIotlbOnce() {
        // iommu_sva_bind_device registered the domain's notifier at open; munmap's one TLB
        // flush of the two present pages (tlb_finish_mmu) calls its
        // arch_invalidate_secondary_tlbs once; the exit's release adds its one.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(BOUND.formatted("sva", "  munmap p 8K\n"));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    @Test
    void cost_munmapUnderPin_flushesNoIotlb() {
        // No SVA bind, no notifier on the mm: the CPU's own flush reaches no device.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(BOUND.formatted("pin", "  munmap p 8K\n"));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isZero();
    }

    @Test
    void cost_munmapAfterTheQueueIsClosed_flushesNoIotlb() {
        // The queue's release unbinds (iommu_sva_unbind_device): the last user frees the
        // domain, whose PASID teardown flushes once, and puts its notifier, so the later munmap
        // flushes only the CPU (and the exit has no notifier to release).
        CostCounters closed = InterpreterHarness.costsOfEverySchedule(BOUND.formatted("sva", "  close q\n"));
        CostCounters unmapped = InterpreterHarness.costsOfEverySchedule(BOUND.formatted("sva", "  close q\n  munmap p 8K\n"));

        assertThat(closed.get(Cost.TLB_INVALIDATION)).isEqualTo(1);
        assertThat(unmapped.get(Cost.TLB_INVALIDATION)).isEqualTo(1);
    }

    @Test
    void cost_mprotectAndMigrationUnderSva_flushTheIotlbOnceEach() {
        // mprotect read-only write-protects the two present PTEs and flushes the range once
        // (change_protection); migrating one page (try_to_migrate_one) flushes its one mapping.
        // Each reaches the domain's notifier; the exit's release adds its one.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "mprotect and migration under sva"
                design accel=sva
                device acc0 kind=accel
                process A

                thread A.main:
                  q = open acc0
                  p = mmap 8K
                  write p 0x11*8K
                  mprotect p 8K r
                  signal protected
                  await migrated

                thread kernel.mm after protected:
                  migrate A A.p 4K
                  signal migrated
                """);

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(3);
        assertThat(c.get(Cost.PAGE_COPIED)).isEqualTo(1);
    }

    @Test
    void cost_forkAndCowBreakUnderSva_flushTheIotlbEachAndSoDoesTheExit() {
        // dup_mmap's flush_tlb_mm of the parent and the parent's COW break (ptep_clear_flush
        // in wp_page_copy) each flush the IOTLB; the parent's exit_mmap releases the domain's
        // notifier, tearing the PASID down with one more flush (exit_mm comes before
        // exit_files, so the queue is still bound). The child has no binding (UA-09): its
        // exit flushes no IOTLB.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "fork then write under sva"
                design accel=sva
                device acc0 kind=accel
                process A

                thread A.main:
                  q = open acc0
                  p = mmap 4K
                  write p "before"
                  fork B
                  write p "after"
                  signal written

                thread B.main:
                  await written
                  x = read p 6
                """);

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(3);
        assertThat(c.get(Cost.PAGE_COPIED)).isEqualTo(1);
    }

    private static final String STARTED = """
            scenario "mprotect under sva"
            design accel=sva
            device acc0 kind=accel
            process A

            thread A.main:
              q = open acc0
              ioctl q start_q
              p = mmap %s
            %s""";

    @Test
    void cost_mprotectReadOnlyOfAnEntryForkMadeReadOnly_flushesNoIotlb() {
        // fork write-protected the parent's entry (dup_mmap's flush: one); mprotect read-only
        // finds it read-only already, which pte_needs_flush (x86 pte_flags_need_flush) says
        // needs no flush; the exit's release adds one.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(STARTED.formatted("4K", "  write p \"x\"\n  fork B\n  mprotect p 4K r\n"));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    @Test
    void cost_mprotectReadOnlyOfTheZeroPage_flushesNoIotlb() {
        // The read maps the zero page read-only; mprotect read-only changes no entry bit the
        // TLB caches: only the exit's release flushes.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(STARTED.formatted("4K", "  x = read p 1\n  mprotect p 4K r\n"));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(1);
    }

    @Test
    void cost_mprotectOutOfProtNone_flushesNoIotlb() {
        // PROT_NONE clears the present bit of the writable entry (a flush); the entries of a
        // PROT_NONE VMA are not present to the MMU, so making them readable needs none
        // (pte_needs_flush of a non-present old entry); the exit's release adds one.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(STARTED.formatted("4K",
                "  write p \"x\"\n  mprotect p 4K none\n  mprotect p 4K r\n"));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    @Test
    void cost_mprotectOverTwoVmas_flushesTheIotlbOncePerCall() {
        // MADV_DONTFORK splits the mapping in two VMAs; one mprotect over both write-protects a
        // present entry in each, gathered in the call's one mmu_gather (do_mprotect_pkey,
        // tlb_finish_mmu after the walk): one flush, and the exit's release one more.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(STARTED.formatted("8K", """
                  madvise p+4K 4K dontfork
                  write p "x"
                  write p+4K "y"
                  mprotect p 8K r
                """));

        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    @Test
    void cost_cowBreakOfTheZeroPage_copiesNothing() {
        // wp_page_copy gives the zero page's mapping a freshly zeroed page (is_zero_pfn of the
        // old entry) and copies only other pages; the old entry's flush stays (ptep_clear_flush),
        // with the exit's release: two.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(STARTED.formatted("4K", "  x = read p 1\n  write p \"x\"\n"));

        assertThat(c.get(Cost.PAGE_COPIED)).isZero();
        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    // ---- GPU: a BO move invalidates the VM's TLB ---------------------------------------------

    private static final String EVICT_BOUND = """
            scenario "eviction of a bound object"
            device gpu0 kind=gpu vram=64M
            process A

            thread A.main:
              fd  = open gpu0
              vm  = ioctl fd vm_create
              bo  = ioctl fd gem_create 8K placement=vram,system
              ioctl fd vm_bind vm map bo=bo va=0x200000 size=8K
              q   = ioctl fd exec_queue_create vm=vm
              f   = ioctl fd exec queue=q fill dst=0x200000 size=8K byte=0x5a
              wait f
              signal bound
              await evicted

            thread kernel.evictor after bound:
            %s  signal evicted
            """;

    @Test
    void cost_evictionOfABoundObject_rewritesItsPtesAndInvalidatesTheVmsTlbOnce() {
        // Without the move: the bind writes two PTEs, the VM's teardown clears them and
        // invalidates once.
        CostCounters still = InterpreterHarness.costsOfEverySchedule(EVICT_BOUND.formatted(""));
        // The move copies both pages, rewrites the two live PTEs and invalidates the VM's TLB
        // once (xe_bo_move_notify → xe_bo_trigger_rebind).
        CostCounters moved = InterpreterHarness.costsOfEverySchedule(EVICT_BOUND.formatted("  evict A.bo\n"));

        assertThat(still.get(Cost.DEVICE_PTE_WRITE)).isEqualTo(4);
        assertThat(still.get(Cost.TLB_INVALIDATION)).isEqualTo(1);
        assertThat(moved.get(Cost.PAGE_COPIED)).isEqualTo(2);
        assertThat(moved.get(Cost.DEVICE_PTE_WRITE)).isEqualTo(6);
        assertThat(moved.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    // ---- Faults: handle_mm_fault is a CPU fault whoever asks; a device's fault is a device fault

    @Test
    void cost_iopfResolvedUnderSva_countsOneDeviceFaultAndOneCpuFault() {
        // The store faults the source page (one CPU fault); the device's write to the untouched
        // destination is an IOPF (a device fault) that iommu_sva_handle_iopf resolves with
        // handle_mm_fault (a CPU fault). The submit is a doorbell store, not a system call:
        // open, two mmaps of memory, the doorbell's mmap, start_q and the wait are six.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "sva submit"
                design accel=sva
                device acc0 kind=accel
                process A

                thread A.main:
                  q   = open acc0
                  db  = mmap q 4K region=mmio
                  src = mmap 4K
                  dst = mmap 4K
                  write src "first"
                  ioctl q start_q
                  f = submit db op=copy src=src dst=dst size=5
                  wait f
                """);

        assertThat(c.get(Cost.DEVICE_FAULT)).isEqualTo(1);
        assertThat(c.get(Cost.CPU_FAULT)).isEqualTo(2);
        assertThat(c.get(Cost.SYSCALL)).isEqualTo(6);
        assertThat(c.get(Cost.DOORBELL_WRITE)).isEqualTo(1);
    }

    @Test
    void cost_userptrPinOfUntouchedMemory_countsGupsFaultsAsCpuFaults() {
        // pin_user_pages faults each of the four fresh pages in (handle_mm_fault from GUP);
        // no device raised anything.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "userptr pin of fresh memory"
                design userptr=pin
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  p  = mmap 16K
                  vm = ioctl fd vm_create
                  ioctl fd vm_bind vm userptr addr=p va=0x100000 size=16K
                """);

        assertThat(c.get(Cost.CPU_FAULT)).isEqualTo(4);
        assertThat(c.get(Cost.DEVICE_FAULT)).isZero();
        assertThat(c.get(Cost.SYSCALL)).isEqualTo(4);
    }

    // ---- System calls --------------------------------------------------------------------------

    @Test
    void cost_waitOnAFence_isASystemCallOfTheProcessOnly() {
        // The process's wait is a syscall (a syncobj wait); the kernel thread's wait on the same
        // fence is dma_fence_wait inside the kernel and counts nothing.
        String text = """
                scenario "two waits"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  vm = ioctl fd vm_create
                  ioctl fd vm_bind vm map bo=bo va=0x100000 size=4K
                  q  = ioctl fd exec_queue_create vm=vm
                  f  = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=1
                  %s
                  signal queued
                  await waited

                thread kernel.waiter after queued:
                  wait A.f
                  signal waited
                """;

        assertThat(InterpreterHarness.costsOfEverySchedule(text.formatted("wait f")).get(Cost.SYSCALL)).isEqualTo(7);
        assertThat(InterpreterHarness.costsOfEverySchedule(text.formatted("")).get(Cost.SYSCALL)).isEqualTo(6);
    }

    // ---- RDMA and dma-buf ----------------------------------------------------------------------

    @Test
    void cost_regMrOverUserMemory_writesOneMttEntryAPage() {
        // create_real_mr: four pinned pages, four translation entries.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "rdma user mr"
                device nic0 kind=rdma
                process A

                thread A.main:
                  n  = open nic0
                  p  = mmap 16K
                  write p 0x11*16K
                  mr = ioctl n reg_mr addr=p size=16K
                """);

        assertThat(c.get(Cost.DEVICE_PTE_WRITE)).isEqualTo(4);
        assertThat(c.get(Cost.PAGE_PINNED)).isEqualTo(4);
        assertThat(c.get(Cost.SYSCALL)).isEqualTo(3);
    }

    @Test
    void cost_evictionUnderADmabufMr_deliversOneInvalidationAndTheNicFaultsOnce() {
        // reg_mr fills the two entries (mlx5_ib_init_dmabuf_mr); the eviction's
        // dma_buf_invalidate_mappings is one notifier invalidation, whose callback zaps the two
        // entries; the NIC's next access is one device fault that fills them again.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
                scenario "rdma dmabuf mr and an eviction"
                design importer=dynamic
                device gpu0 kind=gpu p2p=yes
                device nic0 kind=rdma p2p=yes
                process A

                thread A.main:
                  g  = open gpu0
                  n  = open nic0
                  bo = ioctl g gem_create 8K placement=vram,system
                  db = ioctl g prime_handle_to_fd bo rdwr
                  mr = ioctl n reg_mr dmabuf=db
                  signal registered
                  await evicted
                  ioctl n rdma_write mr=mr offset=0 data="after the move"

                thread kernel.evictor after registered:
                  evict A.bo
                  signal evicted
                """);

        assertThat(c.get(Cost.NOTIFIER_INVALIDATION)).isEqualTo(1);
        assertThat(c.get(Cost.DEVICE_FAULT)).isEqualTo(1);
        assertThat(c.get(Cost.DEVICE_PTE_WRITE)).isEqualTo(6);
    }
}
