package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void cost_userptrBindUnderPin_pinsAndUnpinsEveryPage() {
        // pin_user_pages of the four pages (xe's pre-HMM userptr); the VM's teardown unpins them.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(USERPTR.formatted("pin"));

        assertThat(c.get(Cost.PAGE_PINNED)).isEqualTo(4);
        assertThat(c.get(Cost.PAGE_UNPINNED)).isEqualTo(4);
    }

    @Test
    void cost_userptrBindUnderHmm_pinsNothing() {
        // hmm_range_fault takes no pin: the interval notifier keeps the mirror coherent instead.
        // GPU PTEs: the bind writes the four; the exit's RELEASE zaps them (four more), and the
        // VM's teardown then finds none present: 8.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(USERPTR.formatted("hmm"));

        assertThat(c.get(Cost.PAGE_PINNED)).isZero();
        assertThat(c.get(Cost.PAGE_UNPINNED)).isZero();
        assertThat(c.get(Cost.DEVICE_PTE_WRITE)).isEqualTo(8);
    }

    @Test
    void cost_userptrScenario_countsItsSyscallsAndCpuFaults() {
        // open, mmap, vm_create, vm_bind, exec_queue_create, exec and the wait on the job's
        // fence (a syncobj wait): seven system calls (the store and the expectation are none);
        // the store faults each of the four fresh pages once.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(USERPTR.formatted("hmm"));

        assertThat(c.get(Cost.SYSCALL)).isEqualTo(7);
        assertThat(c.get(Cost.CPU_FAULT)).isEqualTo(4);
        assertThat(c.get(Cost.PAGE_COPIED)).isZero();
    }

    @Test
    void cost_munmapOfABoundUserptrUnderHmm_deliversItAndTheExitsRelease() {
        // munmap's mmu_notifier_invalidate_range_start reaches the userptr's interval notifier,
        // then the exit's mmu_notifier_release (mn_itree_release) does: two deliveries. GPU TLB
        // flushes: munmap's zap clears the four PTEs and flushes; the RELEASE finds none present
        // and flushes nothing (xe_pt_zap_ptes); the VM's teardown unbinds the VA and flushes: 2.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(USERPTR.formatted("hmm") + "  munmap p 16K\n");

        assertThat(c.get(Cost.NOTIFIER_INVALIDATION)).isEqualTo(2);
        assertThat(c.get(Cost.TLB_INVALIDATION)).isEqualTo(2);
    }

    @Test
    void cost_munmapOfABoundUserptrUnderPin_deliversNoInvalidation() {
        // userptr=pin registers no interval notifier: the pins keep the pages, nobody is told.
        CostCounters c = InterpreterHarness.costsOfEverySchedule(USERPTR.formatted("pin") + "  munmap p 16K\n");

        assertThat(c.get(Cost.NOTIFIER_INVALIDATION)).isZero();
    }

    @Test
    void cost_forkThenParentWrite_copiesOnePage() {
        // fork write-protects the private page in both; the parent's store is a write fault
        // that wp_page_copy resolves with one copy, as the child still maps the page.
        CostCounters c = InterpreterHarness.costsOfEverySchedule("""
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
}
