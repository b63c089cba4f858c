package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/** GPU statements: objects, VMs, VM_BIND, exec queues, jobs and their fences, GEM CPU mmaps. */
class InterpreterGpuTest {

    @Test
    void fillThenCopy_readBackThroughGemMmap_seesFilledBytes() {
        Violation v = firstViolation("""
                scenario "fill, copy, read back"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  src = ioctl fd gem_create 8K
                  dst = ioctl fd gem_create 8K placement=vram
                  ioctl fd vm_bind vm map bo=src va=0x100000 size=8K
                  ioctl fd vm_bind vm map bo=dst va=0x200000 size=8K
                  q   = ioctl fd exec_queue_create vm=vm
                  f1  = ioctl fd exec queue=q fill dst=0x100000 size=8K byte=0xab
                  f2  = ioctl fd exec queue=q copy src=0x100000 dst=0x200000 size=8K
                  wait f2
                  expect f2 == ok
                  off = ioctl fd gem_mmap_offset dst
                  d   = mmap fd 8K offset=off
                  expect read d 8K == 0xab*8K
                """);

        assertThat(v).isNull();
    }

    @Test
    void readBack_beforeCopyDone_seesZeroes() {
        // Without waiting, the CPU may look before the engine ran: the check is schedule
        // dependent and the explorer finds the early read.
        Violation v = firstViolation("""
                scenario "read back without wait"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  dst = ioctl fd gem_create 4K
                  ioctl fd vm_bind vm map bo=dst va=0x200000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  off = ioctl fd gem_mmap_offset dst
                  d   = mmap fd 4K offset=off
                  f   = ioctl fd exec queue=q fill dst=0x200000 size=4K byte=0xab
                  expect read d 4K == 0xab*4K
                """);

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(v.message()).startsWith("inline.scn:14: `expect read d 4K == 0xab*4K` does not hold: read \"\\x00");
    }

    @Test
    void cpuWriteThroughGemMmap_gpuCopiesIt() {
        Violation v = firstViolation("""
                scenario "CPU writes a BO, the GPU copies it"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  src = ioctl fd gem_create 4K
                  dst = ioctl fd gem_create 4K
                  o1  = ioctl fd gem_mmap_offset src
                  o2  = ioctl fd gem_mmap_offset dst
                  s   = mmap fd 4K offset=o1
                  d   = mmap fd 4K offset=o2
                  write s "through the GEM mmap"
                  ioctl fd vm_bind vm map bo=src va=0x100000 size=4K
                  ioctl fd vm_bind vm map bo=dst va=0x200000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q copy src=0x100000 dst=0x200000 size=4K
                  wait f
                  expect read d 20 == "through the GEM mmap"
                """);

        assertThat(v).isNull();
    }

    @Test
    void exec_unmappedGpuVa_fenceEndsWithEfault() {
        RunResult r = run("""
                scenario "nothing bound at the VA"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  q  = ioctl fd exec_queue_create vm=vm
                  f  = ioctl fd exec queue=q fill dst=0x900000 size=4K byte=1
                  wait f
                  expect f == EFAULT
                  expect f != ok
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(r.trace().render()).contains("A.main: wait f -> ok");
    }

    @Test
    void exec_afterVmBindUnmap_fenceEndsWithEfault() {
        Violation v = firstViolation("""
                scenario "unbound VA"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  bo  = ioctl fd gem_create 8K
                  ioctl fd vm_bind vm map bo=bo va=0x100000 size=8K
                  ioctl fd vm_bind vm unmap va=0x101000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  f1  = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=7
                  f2  = ioctl fd exec queue=q fill dst=0x101000 size=4K byte=7
                  wait f2
                  expect f1 == ok
                  expect f2 == EFAULT
                """);

        assertThat(v).isNull();
    }

    @Test
    void expectFence_unexpectedEnd_failsShowingHowItEnded() {
        RunResult r = run("""
                scenario "fence ended otherwise"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  q  = ioctl fd exec_queue_create vm=vm
                  f  = ioctl fd exec queue=q fill dst=0x900000 size=4K byte=1
                  wait f
                  expect f == ok
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).isEqualTo("inline.scn:11: `expect f == ok` does not hold: f is EFAULT");
    }

    @Test
    void teardown_whileJobInFlight_nothingLeaks() {
        // vm_destroy closes the VM under the queued job, which then faults (EFAULT) unless it
        // ran first; either way every object is freed once the job is done.
        Violation v = firstViolation("""
                scenario "explicit teardown"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  bo  = ioctl fd gem_create 4K
                  ioctl fd vm_bind vm map bo=bo va=0x100000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=7
                  ioctl fd gem_close bo
                  ioctl fd vm_destroy vm
                  close fd
                  wait f
                  expect f == ok|EFAULT
                """);

        assertThat(v).isNull();
    }

    @Test
    void fence_usedAsANumber_isAnExpectationFailure() {
        RunResult r = run("""
                scenario "a fence is not an address"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  vm  = ioctl fd vm_create
                  bo  = ioctl fd gem_create 4K
                  ioctl fd vm_bind vm map bo=bo va=0x100000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=1
                  wait f
                  munmap f 4K
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).contains("inline.scn:13: `munmap f 4K`: 'f' is a fence, not a number");
    }
}
