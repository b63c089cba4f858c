package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import org.junit.jupiter.api.Test;

/**
 * The cost counters a run carries, with exact counts for scenarios whose costs do not depend on
 * the schedule (one process thread; the device's engine only runs what that thread queued).
 */
class CostCountersTest {

    private static final String USERPTR = """
            scenario "userptr bind and a GPU fill"
            design userptr=%s
            device gpu0 kind=gpu
            process A

            thread A.main:
              fd = open gpu0
              p  = mmap 16K
              write p 0x11*16K
              vm = ioctl fd vm_create
              ioctl fd vm_bind vm userptr addr=p va=0x100000 size=16K
              q  = ioctl fd exec_queue_create vm=vm
              f  = ioctl fd exec queue=q fill dst=0x100000 size=16K byte=7
              wait f
              expect f == ok
            """;

    private static CostCounters costs(String text) {
        RunResult r = InterpreterHarness.run(text, 0);
        assertThat(r.violated()).as("%s", r.violation()).isFalse();
        return r.costs();
    }

    /** Each schedule of the scenario pays the same: the figures are the scenario's, not a seed's. */
    private static CostCounters sameForEverySeed(String text) {
        CostCounters first = costs(text);
        for (long seed = 1; seed < 6; seed++) {
            assertThat(InterpreterHarness.run(text, seed).costs()).hasToString(first.toString());
        }
        return first;
    }

    @Test
    void cost_userptrBindUnderPin_pinsAndUnpinsEveryPage() {
        // pin_user_pages of the four pages (xe's pre-HMM userptr); the VM's teardown unpins them.
        CostCounters c = sameForEverySeed(USERPTR.formatted("pin"));

        assertThat(c.get(Cost.PAGE_PINNED)).isEqualTo(4);
        assertThat(c.get(Cost.PAGE_UNPINNED)).isEqualTo(4);
    }

    @Test
    void cost_userptrBindUnderHmm_pinsNothing() {
        // hmm_range_fault takes no pin: the interval notifier keeps the mirror coherent instead.
        CostCounters c = sameForEverySeed(USERPTR.formatted("hmm"));

        assertThat(c.get(Cost.PAGE_PINNED)).isZero();
        assertThat(c.get(Cost.PAGE_UNPINNED)).isZero();
        assertThat(c.get(Cost.DEVICE_PTE_WRITE)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void cost_userptrScenario_countsItsSyscallsAndCpuFaults() {
        // open, mmap, vm_create, vm_bind, exec_queue_create, exec and the wait on the job's
        // fence (a syncobj wait): seven system calls (the store and the expectation are none);
        // the store faults each of the four fresh pages once.
        CostCounters c = costs(USERPTR.formatted("hmm"));

        assertThat(c.get(Cost.SYSCALL)).isEqualTo(7);
        assertThat(c.get(Cost.CPU_FAULT)).isEqualTo(4);
        assertThat(c.get(Cost.PAGE_COPIED)).isZero();
    }

    @Test
    void cost_munmapOfABoundUserptrUnderHmm_deliversItAndTheExitsRelease() {
        // munmap's mmu_notifier_invalidate_range_start reaches the userptr's interval notifier,
        // then the exit's mmu_notifier_release (mn_itree_release) does: two deliveries, each of
        // which vma_userptr_invalidate answers by zapping the range and flushing the GPU TLB.
        CostCounters c = sameForEverySeed(USERPTR.formatted("hmm") + "  munmap p 16K\n");

        assertThat(c.get(Cost.NOTIFIER_INVALIDATION)).isEqualTo(2);
        assertThat(c.get(Cost.TLB_INVALIDATION)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void cost_munmapOfABoundUserptrUnderPin_deliversNoInvalidation() {
        // userptr=pin registers no interval notifier: the pins keep the pages, nobody is told.
        CostCounters c = sameForEverySeed(USERPTR.formatted("pin") + "  munmap p 16K\n");

        assertThat(c.get(Cost.NOTIFIER_INVALIDATION)).isZero();
    }

    @Test
    void cost_forkThenParentWrite_copiesOnePage() {
        // fork write-protects the private page in both; the parent's store is a write fault
        // that wp_page_copy resolves with one copy, as the child still maps the page.
        CostCounters c = sameForEverySeed("""
                scenario "fork then write"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "before"
                  fork B
                  write p "after"
                  signal written

                thread B.main:
                  await written
                  x = read p 6
                """);

        assertThat(c.get(Cost.PAGE_COPIED)).isEqualTo(1);
        assertThat(c.get(Cost.CPU_FAULT)).isEqualTo(2);
    }

    @Test
    void cost_submitUnderSvaToAnUnfaultedPage_takesOneIopf() {
        // The source page was faulted in by the store; the destination never was, so the
        // device's write to it is one I/O page fault (iommu_sva_handle_iopf). One doorbell.
        CostCounters c = sameForEverySeed("""
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
                  expect read dst 5 == "first"
                """);

        assertThat(c.get(Cost.DEVICE_FAULT)).isEqualTo(1);
        assertThat(c.get(Cost.DOORBELL_WRITE)).isEqualTo(1);
        assertThat(c.get(Cost.PAGE_PINNED)).isZero();
    }
}
