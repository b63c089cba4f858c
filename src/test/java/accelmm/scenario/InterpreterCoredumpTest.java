package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.check.InvariantKind;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * {@code devcoredump DEVICE} in a kernel thread, {@code devcoredump_read} and {@code
 * devcoredump_delete}, and the {@code coredump} design (DCD-01 to DCD-03, DCD-05, DCD-07).
 */
class InterpreterCoredumpTest {

    /** A hang of a process's job (%s: the design, the userptr's bytes, its flag, the job). */
    private static final String HANG = """
            scenario "hang dump"
            design coredump=%s
            device gpu0 kind=gpu
            process A

            thread A.main:
              fd  = open gpu0
              p   = mmap 4K
              write p %s
              vm  = ioctl fd vm_create
              ioctl fd vm_bind vm userptr addr=p va=0x100000 size=4K %s
              dst = ioctl fd gem_create 4K
              ioctl fd vm_bind vm map bo=dst va=0x200000 size=4K dumpable
              q   = ioctl fd exec_queue_create vm=vm
              %s
              signal submitted
              wait f

            thread kernel.timeout:
              await submitted
              devcoredump gpu0
            """;

    private static final String EXEC = "f = ioctl fd exec queue=q copy src=0x100000 dst=0x200000 size=4K";

    @Test
    void dcd07_includeUserptr_dumpReadsTheUserptr_breaksCoredumpUserptr() {
        Violation v = firstViolation(HANG.formatted("include-userptr", "\"bytes\"", "dumpable", EXEC));

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.COREDUMP_USERPTR);
        assertThat(v.actor()).isEqualTo("gpu0 devcoredump worker");
    }

    @Test
    void dcd08_excludeUserptr_sameHang_isClean() {
        assertThat(firstViolation(HANG.formatted("exclude-userptr", "\"bytes\"", "dumpable", EXEC))).isNull();
    }

    @Test
    void dcd05_userptrBoundWithoutTheFlag_isNotDumpedEvenUnderIncludeUserptr() {
        assertThat(firstViolation(HANG.formatted("include-userptr", "\"bytes\"", "", EXEC))).isNull();
    }

    @Test
    void dcd06_dumpOfASecretInAnObject_isReadByRoot_breaksSecretLeak() {
        String text = """
                scenario "hang dump of a secret"
                design coredump=exclude-userptr
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  off = ioctl fd gem_mmap_offset bo
                  p   = mmap fd 4K offset=off
                  write p secret "key"
                  vm  = ioctl fd vm_create
                  ioctl fd vm_bind vm map bo=bo va=0x200000 size=4K dumpable
                  dst = ioctl fd gem_create 4K
                  ioctl fd vm_bind vm map bo=dst va=0x300000 size=4K
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q fill dst=0x300000 size=4K byte=0
                  signal submitted
                  wait f

                thread kernel.timeout:
                  await submitted
                  devcoredump gpu0
                """;

        Violation v = firstViolation(text);

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
        assertThat(v.message()).contains("read by root");
    }

    @Test
    void dcd04_devcoredumpRead_waitsForTheWorker_andReturnsTheDumpedObjectBytes_orEnoentWithoutADump() {
        String text = """
                scenario "root reads the dump"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  none = devcoredump_read gpu0  => ENOENT
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  off = ioctl fd gem_mmap_offset bo
                  p   = mmap fd 4K offset=off
                  write p 0xAB*4K
                  vm  = ioctl fd vm_create
                  ioctl fd vm_bind vm map bo=bo va=0x200000 size=4K dumpable
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q copy src=0x200000 dst=0x200000 size=4K
                  wait f
                  signal submitted
                  await dumped
                  d   = devcoredump_read gpu0
                  expect d == 0xAB*4K

                thread kernel.timeout:
                  await submitted
                  devcoredump gpu0
                  signal dumped
                """;

        assertThat(firstViolation(text)).isNull();
    }

    /** A process's dumpable object holding 0xAB, a job on it, then 0xCD written once the first dump is read (%s: kernel thread). */
    private static final String DUMP_TWICE = """
            scenario "dump, change, dump again"
            device gpu0 kind=gpu
            process A

            thread A.main:
              fd  = open gpu0
              bo  = ioctl fd gem_create 4K
              off = ioctl fd gem_mmap_offset bo
              p   = mmap fd 4K offset=off
              write p 0xAB*4K
              vm  = ioctl fd vm_create
              ioctl fd vm_bind vm map bo=bo va=0x200000 size=4K dumpable
              q   = ioctl fd exec_queue_create vm=vm
              f   = ioctl fd exec queue=q copy src=0x200000 dst=0x200000 size=4K
              wait f
              signal submitted
              await first
              write p 0xCD*4K
              signal changed
              await done

            thread kernel.timeout:
              await submitted
              devcoredump gpu0
              d1 = devcoredump_read gpu0
              expect d1 == 0xAB*4K
              signal first
              await changed
            %s
              signal done
            """;

    @Test
    void dcd02_secondHangWhileADumpIsThere_isIgnored_andDumpsAgainOnceDeleted() {
        String text = DUMP_TWICE.formatted("""
                  devcoredump gpu0
                  d2 = devcoredump_read gpu0
                  expect d2 == 0xAB*4K
                  devcoredump_delete gpu0
                  devcoredump gpu0
                  d3 = devcoredump_read gpu0
                  expect d3 == 0xCD*4K
                """);

        assertThat(firstViolation(text)).isNull();
    }

    @Test
    void dcd03_deleteFreesTheDumpAtOnce_soReadAndASecondDeleteAreEnoent() {
        String text = DUMP_TWICE.formatted("""
                  devcoredump_delete gpu0
                  gone = devcoredump_read gpu0  => ENOENT
                  devcoredump_delete gpu0  => ENOENT
                """);

        assertThat(firstViolation(text)).isNull();
    }

    @Test
    void dcd03_deleteWithoutADump_isEnoent() {
        String text = """
                scenario "nothing to delete"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  devcoredump_delete gpu0  => ENOENT
                """;

        assertThat(firstViolation(text)).isNull();
    }

    @Test
    void dcd01_queueKilledByItsFileClosing_neverDumps() {
        String text = """
                scenario "hang after the queue's file closed"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  vm  = ioctl fd vm_create
                  ioctl fd vm_bind vm map bo=bo va=0x200000 size=4K dumpable
                  q   = ioctl fd exec_queue_create vm=vm
                  f   = ioctl fd exec queue=q fill dst=0x200000 size=4K byte=1
                  wait f
                  close fd
                  signal closed

                thread kernel.timeout:
                  await closed
                  devcoredump gpu0
                  none = devcoredump_read gpu0  => ENOENT
                """;

        assertThat(firstViolation(text)).isNull();
    }

    @Test
    void parse_devcoredumpDeleteOfANic_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "delete a nic's dump"
                device nic0 kind=rdma

                thread kernel.k:
                  devcoredump_delete nic0
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:3: 'devcoredump_delete' takes a device of kind gpu (the xe device coredump)");
    }

    @Test
    void parse_devcoredumpOfANic_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "dump a nic"
                device nic0 kind=rdma

                thread kernel.k:
                  devcoredump nic0
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:3: 'devcoredump' takes a device of kind gpu (the xe device coredump)");
    }
}
