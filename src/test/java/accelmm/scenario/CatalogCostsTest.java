package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact cost figures of catalog scenarios for one fixed schedule: the first execution of each
 * design combination, the one the explorer numbers 1 and {@code check} and {@code demo} report
 * (the running thread keeps the CPU, else the lowest id runs; every data choice takes 0). Each
 * expected number is derived from the scenario in a comment, so that designs can be compared by
 * what they pay.
 */
class CatalogCostsTest {

    /** The first execution of {@code catalogName} under {@code designs} ("key=value" each). */
    private static RunResult firstExecution(String catalogName, String... designs) {
        Scenario scenario = Catalog.find(catalogName).scenario();
        Map<DesignKey, String> combination = new LinkedHashMap<>();
        for (String d : designs) {
            String[] kv = d.split("=", 2);
            combination.put(DesignKey.named(kv[0]).orElseThrow(), kv[1]);
        }
        return new ScenarioModel(scenario, combination).execute(new ReplayChoiceSource(Schedule.empty()), false);
    }

    private static Map<Cost, Long> counts(CostCounters c) {
        Map<Cost, Long> m = new LinkedHashMap<>();
        for (Cost cost : Cost.values()) {
            m.put(cost, c.get(cost));
        }
        return m;
    }

    /** Every counter, in {@link Cost} order: syscalls, CPU faults, device faults, ... pages copied. */
    private static Map<Cost, Long> expected(long... counts) {
        Map<Cost, Long> m = new LinkedHashMap<>();
        Cost[] costs = Cost.values();
        assertThat(counts).hasSize(costs.length);
        for (int i = 0; i < costs.length; i++) {
            m.put(costs[i], counts[i]);
        }
        return m;
    }

    @Test
    void cost_explorersFirstExecution_isTheDefaultSchedule() {
        // What check and demo report as the first execution is this schedule's run.
        for (String designs : List.of("userptr=hmm", "userptr=pin")) {
            Scenario scenario = Catalog.find("userptr-munmap-race").scenario();
            var results = ScenarioChecker.check(scenario, new Strategy.Auto(1, 2), new Budget(5, null));
            var r = results.stream().filter(c -> c.designs().equals(designs)).findFirst().orElseThrow();

            assertThat(r.exploration().costs().first())
                    .hasToString(firstExecution("userptr-munmap-race", designs).costs().toString());
        }
    }

    @Test
    void cost_userptrMunmapRaceUnderHmm_pinsNothingAndPaysTwoInvalidations() {
        // A.main runs to its wait: open, mmap, vm_create, vm_bind, gem_create, vm_bind,
        // exec_queue_create, exec, and the wait on the job's fence (9 syscalls); the unmapper's
        // munmap is the 10th. The store of
        // "hello" faults page 0, hmm_range_fault (HMM_PFN_REQ_FAULT) the other three: 4 CPU
        // faults. The job runs before the munmap: no GPU fault. munmap's UNMAP and the exit's
        // RELEASE reach the userptr's interval notifier: 2 invalidations. PTE writes: 4 for the
        // userptr, 4 for the BO; the UNMAP zap clears the userptr's 4; the RELEASE finds none
        // left (xe_pt_zap_ptes: nothing present, no TLB flush); the VM's teardown clears the
        // BO's 4: 16. TLB: the UNMAP zap's flush and one per VA the teardown unbinds (2): 3.
        RunResult r = firstExecution("userptr-munmap-race", "userptr=hmm");

        assertThat(r.violated()).isFalse();
        assertThat(counts(r.costs())).isEqualTo(expected(10, 4, 0, 2, 0, 0, 16, 3, 0, 0));
    }

    @Test
    void cost_userptrMunmapRaceUnderPin_pinsFourPagesAndIsNeverInvalidated() {
        // The same 10 syscalls and 4 CPU faults (pin_user_pages faults the three untouched
        // pages in). pin registers no notifier: 0 invalidations; the bind pins the 4 pages and
        // the VM's teardown unpins them. PTE writes: 4 + 4 at the binds, 8 cleared at the
        // teardown: 16; TLB: one per VA unbound: 2.
        RunResult r = firstExecution("userptr-munmap-race", "userptr=pin");

        assertThat(r.violated()).isFalse();
        assertThat(counts(r.costs())).isEqualTo(expected(10, 4, 0, 0, 4, 4, 16, 2, 0, 0));
    }

    @Test
    void cost_uacceDmaMapForkUnderSva_paysOneIopfAndNoPin() {
        // 9 syscalls: open, mmap (doorbell), start_q, two mmaps, two dma_maps (a range check
        // under sva), fork, and the wait on the job's fence; submit is a doorbell write (1), not
        // a system call. CPU faults: A's two first stores; after fork A's store to cmd (COW: the
        // page is shared, one copy) and B's store to cmd (now mapped once: reused, no copy); the
        // device reads cmd through A's page tables and writes out, whose PTE fork
        // write-protected: one IOPF (a device fault), which iommu_sva_handle_iopf resolves with
        // handle_mm_fault (a CPU fault, out reused: B has exited): 5. IOTLB flushes through the
        // SVA domain's mmu notifier (arch_invalidate_secondary_tlbs): fork's flush of A's mm,
        // A's COW break of cmd, and the PASID teardown at A's exit (the release takes the
        // notifier off before the exit's unmap): 3. No pin, no IOMMU PTE (the device walks the
        // CPU page tables), no interval notifier.
        for (String fork : List.of("fork=modern", "fork=legacy")) {
            RunResult r = firstExecution("uacce-dma-map-fork", "accel=sva", fork);

            assertThat(r.violated()).as(fork).isFalse();
            assertThat(counts(r.costs())).as(fork).isEqualTo(expected(9, 5, 1, 0, 0, 0, 0, 3, 1, 1));
        }
    }

    @Test
    void cost_uacceDmaMapForkUnderPinModern_copiesBothPinnedPagesAtFork() {
        // dma_map pins cmd and out (2) and maps one IOMMU PTE each (2). fork copies both pinned
        // pages for B at once (copy_present_page: 2 copies) and A keeps them writable, so only
        // A's two first stores fault: 2. B's store lands in its own writable copy. The queue's
        // release unmaps (2 PTEs, one IOTLB flush per range: 2) and unpins (2).
        RunResult r = firstExecution("uacce-dma-map-fork", "accel=pin", "fork=modern");

        assertThat(r.violated()).isFalse();
        assertThat(counts(r.costs())).isEqualTo(expected(9, 2, 0, 0, 2, 2, 4, 2, 1, 2));
    }

    @Test
    void cost_uacceDmaMapForkUnderPinLegacy_endsAtTheLeakStillPinned() {
        // fork shares the pinned pages: A's store to cmd copies (1), B's store finds the pinned
        // page mapped once and writes it in place; 4 CPU faults as under sva. The device then
        // reads B's secret: the run ends at the violation, before any unpin or IOMMU unmap.
        RunResult r = firstExecution("uacce-dma-map-fork", "accel=pin", "fork=legacy");

        assertThat(r.violated()).isTrue();
        assertThat(counts(r.costs())).isEqualTo(expected(9, 4, 0, 0, 2, 0, 2, 0, 1, 1));
    }

    @Test
    void cost_uacceDmaMapForkUnderPinNotifier_paysAnUnpinAndRepinPerInvalidation() {
        // Invalidations: fork write-protects cmd and out, one invalidation per range's notifier
        // (2; the first zaps the doorbell, unmaps and unpins both ranges); A's COW store to cmd
        // (3); A's exit: mmu_notifier_release and the unmap of every VMA, each reaching both
        // notifiers (7). Pins: 2 at dma_map, 2 again at the doorbell fault (A's submit): 4, all
        // unpinned (2 at fork, 2 at A's exit): 4. IOMMU PTEs: 2 mapped, 2 cleared, twice: 8;
        // one IOTLB flush per range unmapped: 4. CPU faults: the 4 stores as under sva, the
        // store to the zapped doorbell (the region's fault handler, step (C)), and the re-pin's
        // write fault on out (write-protected since fork; B has exited, so it is reused): 6.
        // One copy: A's store to cmd after fork.
        for (String fork : List.of("fork=modern", "fork=legacy")) {
            RunResult r = firstExecution("uacce-dma-map-fork", "accel=pin-notifier", fork);

            assertThat(r.violated()).as(fork).isFalse();
            assertThat(counts(r.costs())).as(fork).isEqualTo(expected(9, 6, 0, 7, 4, 4, 8, 4, 1, 1));
        }
    }

    @Test
    void cost_uacceDmaMapForkUnderKernelSubmit_pinsForTheJobOnlyAndPaysASystemCall() {
        // The doorbell mmap is refused (EINVAL, still a system call): the 9 of sva, and submit
        // is the submission system call: 10. CPU faults: the 4 of sva's stores, and the submission's
        // write pin of out (write-protected since fork; B has exited by then, so the fault
        // reuses the page): 5, and the one copy of A's store to cmd. The submission pins cmd
        // and out for the job (2), maps them in the IOMMU (2 PTEs) and rings the doorbell
        // itself (hisi_qp_send: 1); the job's end unmaps (2 PTEs, 2 IOTLB flushes) and unpins
        // (2). No notifier, no device fault (no page requests without SVA).
        for (String fork : List.of("fork=modern", "fork=legacy")) {
            RunResult r = firstExecution("uacce-dma-map-fork", "accel=kernel-submit", fork);

            assertThat(r.violated()).as(fork).isFalse();
            assertThat(counts(r.costs())).as(fork).isEqualTo(expected(10, 5, 0, 0, 2, 2, 4, 2, 1, 1));
        }
    }

    @Test
    void cost_uacceDmaMapFork_pinNotifierPaysTwiceThePinsOfPin() {
        CostCounters pin = firstExecution("uacce-dma-map-fork", "accel=pin", "fork=modern").costs();
        CostCounters notifier = firstExecution("uacce-dma-map-fork", "accel=pin-notifier", "fork=modern").costs();
        CostCounters sva = firstExecution("uacce-dma-map-fork", "accel=sva", "fork=modern").costs();

        assertThat(notifier.get(Cost.PAGE_PINNED)).isEqualTo(2 * pin.get(Cost.PAGE_PINNED));
        assertThat(notifier.get(Cost.NOTIFIER_INVALIDATION)).isGreaterThan(pin.get(Cost.NOTIFIER_INVALIDATION));
        assertThat(sva.get(Cost.DEVICE_FAULT)).isGreaterThan(pin.get(Cost.DEVICE_FAULT));
        assertThat(sva.get(Cost.PAGE_PINNED)).isZero();
    }

    @Test
    void cost_guestAnonMigrateReclaimUnderNotifier_zapsOnceAndFaultsTheGuestBackIn() {
        // 3 syscalls: mmap, kvm_create, kvm_map (guest_map, guest_read and guest_write are the
        // guest's; expect read is a CPU load). CPU faults: the VMM's first store, and the swap-in
        // that the guest write's stage-2 fault makes through GUP after the reclaim: 2. Stage-2
        // faults (device faults): the first guest read and the guest write after the zap: 2, each
        // installing one entry (2 PTE writes). The migration's invalidation reaches KVM's
        // notifier with an entry to zap: 1 invalidation and 1 TLB flush; the reclaim's finds
        // none. The VMM's exit releases the notifier, which flushes the entry the write
        // installed: a second TLB flush. Copies: the migration, the swap-out and the swap-in: 3.
        RunResult r = firstExecution("guest-anon-migrate-reclaim", "kvm=notifier");

        assertThat(r.violated()).isFalse();
        assertThat(counts(r.costs())).isEqualTo(expected(3, 2, 2, 1, 0, 0, 2, 2, 0, 3));
    }

    @Test
    void cost_guestAnonMigrateReclaimUnderPfnWalk_movesNothing() {
        // The same 3 syscalls. The guest read's stage-2 fault (1) installs a writable entry (1 PTE
        // write) that keeps GUP's reference on the page, so migration and reclaim skip it: no
        // invalidation reaches KVM (it registered no notifier), no copy, no swap-in; the guest
        // write hits the entry. CPU faults: the VMM's first store only. The VM's destruction at
        // the exit drops the entry: 1 TLB flush.
        RunResult r = firstExecution("guest-anon-migrate-reclaim", "kvm=pfn-walk");

        assertThat(r.violated()).isFalse();
        assertThat(counts(r.costs())).isEqualTo(expected(3, 1, 1, 0, 0, 0, 1, 1, 0, 0));
    }
}
