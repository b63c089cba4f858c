package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU debugger under {@code debugger=ptrace} (KERNEL-SEMANTICS PTR-01..04): {@code
 * debug_attach} ptrace-attaches the target (ATTACH_REALCREDS, commoncap, Yama scope 1) before
 * the eudebug connect and stops every thread of it until the connection is closed or the
 * debugger exits; {@code debug_vm_read} / {@code debug_vm_write} reach a GPU VA through the CPU
 * address the target maps the same memory at, with {@code ptrace_access_vm}.
 */
class InterpreterPtraceDebuggerTest {

    /**
     * A binds a userptr range, a VRAM object it never mmaps (filled by a GPU job) and a system
     * object it mmaps; then D (%s) attaches and runs %s.
     */
    private static final String DEBUGGED = """
            scenario "ptrace debugger"
            design debugger=%s
            device gpu0 kind=gpu
            process A uid=1000
            process D uid=1000 %s

            thread A.main:
              fd = open gpu0
              p = mmap 4K
              write p "user bytes"
              vram = ioctl fd gem_create 4K placement=vram
              bo = ioctl fd gem_create 8K
              off = ioctl fd gem_mmap_offset bo
              m = mmap fd 8K offset=off
              write m+4K "mapped bo"
              vm = ioctl fd vm_create
              ioctl fd vm_bind vm userptr addr=p va=0x100000 size=4K
              ioctl fd vm_bind vm map bo=vram va=0x200000 size=4K
              ioctl fd vm_bind vm map bo=bo va=0x300000 size=4K bo_offset=4K
              q = ioctl fd exec_queue_create vm=vm
              f = ioctl fd exec queue=q fill dst=0x200000 size=4K byte=0x5a
              wait f
              signal ready
              await done
              %s

            thread D.main:
              await ready
              dbg = debug_attach A
              cli = debug_read_event dbg
              vmc = debug_read_event dbg
              v = debug_vm_open dbg vm=vmc.vm
              %s
              signal done
            """;

    private static String scenario(String design, String debuggerCaps, String debugger, String afterwards) {
        return DEBUGGED.formatted(design, debuggerCaps, afterwards, debugger);
    }

    @Test
    void ptr04_readAndWriteOfAUserptrRange_goThroughItsCpuAddress() {
        assertThat(firstViolation(scenario("ptrace", "caps=sys_ptrace", """
                x = debug_vm_read v va=0x100000 size=10
                  expect x == "user bytes"
                  debug_vm_write v va=0x100000 data="poke"
                """, """
                expect read p 10 == "poke bytes"
                """))).isNull();
    }

    @Test
    void ptr04_readOfAnMmappedObject_goesThroughTheMmapsAccessHookAtTheMappingsOffset() {
        // The user-space driver knows the bind's offset into the object: the GPU VA shows the
        // object's second page, where eudebug (which does not add the offset) shows its first.
        assertThat(firstViolation(scenario("ptrace", "caps=sys_ptrace", """
                z = debug_vm_read v va=0x300000 size=9
                  expect z == "mapped bo"
                  debug_vm_write v va=0x300000 data="MAPPED"
                """, """
                expect read m+4K 9 == "MAPPED bo"
                """))).isNull();
    }

    @Test
    void ptr04_readOfGpuOnlyMemory_isEioUnderPtrace_readByEudebug() {
        String read = """
                y = debug_vm_read v va=0x200000 size=4    => ok|EIO
                  expect y == 0x5a*4
                """;

        assertThat(firstViolation(scenario("eudebug", "caps=sys_ptrace", read, ""))).isNull();
        Violation v = firstViolation(scenario("ptrace", "caps=sys_ptrace", read, ""));
        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(v.message()).contains("EIO");
    }

    @Test
    void ptr04_unmappedGpuVa_isEinvalAsUnderEudebug() {
        assertThat(firstViolation(scenario("ptrace", "caps=sys_ptrace", """
                w = debug_vm_read v va=0x400000 size=4    => EINVAL
                """, ""))).isNull();
    }

    @Test
    void ptr04_readOfASecret_isASecretLeakByTheDebuggerThroughPtrace() {
        String text = scenario("ptrace", "caps=sys_ptrace", "x = debug_vm_read v va=0x100000 size=16", "")
                .replace("write p \"user bytes\"", "write p secret \"A-key\"");

        Violation v = firstViolation(text);

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
        assertThat(v.actor()).isEqualTo("D.main");
        assertThat(v.message()).startsWith("PTRACE read by D");
    }

    @Test
    void ptr01_attachWithoutCapSysPtraceByANonAncestor_isEpermUnderYamaAndLeavesNoConnection() {
        // Same uid: READ_REALCREDS lets eudebug connect; Yama scope 1 refuses the ATTACH, and the
        // refusal leaves no connection behind (a later debugger with the capability gets one).
        String text = """
                scenario "yama"
                design debugger=%s
                device gpu0 kind=gpu
                process A uid=1000
                process D uid=1000
                process R uid=1000 caps=sys_ptrace

                thread A.main:
                  fd = open gpu0
                  await done

                thread D.main:
                  dbg = debug_attach A  => %s
                  signal tried
                  await done

                thread R.main:
                  await tried
                  dbg = debug_attach A  => %s
                  signal done
                """;

        assertThat(firstViolation(text.formatted("ptrace", "EPERM", "ok"))).isNull();
        assertThat(firstViolation(text.formatted("eudebug", "ok", "EBUSY"))).isNull();
    }

    @Test
    void ptr01_ancestorAttachesWithoutCapSysPtrace_andAStrangerGetsEperm() {
        assertThat(firstViolation("""
                scenario "a parent debugs its child"
                design debugger=ptrace
                device gpu0 kind=gpu
                process D uid=1000
                process S uid=1000

                thread D.main:
                  fork A
                  await ready
                  dbg = debug_attach A
                  signal attached
                  await refused
                  close dbg
                  signal done

                thread A.main:
                  fd = open gpu0
                  signal ready
                  await done

                thread S.main:
                  await attached
                  debug_attach A        => EPERM
                  signal refused
                """)).isNull();
    }

    @Test
    void ptr02_stopAll_targetStopsWhileAttached_resumesAtClose() {
        // The target's thread would run its statement while the debugger is attached; under ptrace
        // it cannot, so the write lands after the close and the debugger reads the old bytes.
        String text = """
                scenario "stop-all"
                design debugger=%s
                device gpu0 kind=gpu
                process A uid=1000
                process D uid=1000 caps=sys_ptrace

                thread A.main:
                  fd = open gpu0
                  p = mmap 4K
                  write p "before"
                  vm = ioctl fd vm_create
                  ioctl fd vm_bind vm userptr addr=p va=0x100000 size=4K
                  signal ready
                  await attached
                  write p "after!"
                  signal written

                thread D.main:
                  await ready
                  dbg = debug_attach A
                  cli = debug_read_event dbg
                  vmc = debug_read_event dbg
                  v = debug_vm_open dbg vm=vmc.vm
                  signal attached
                  x = debug_vm_read v va=0x100000 size=6
                  expect x == "before"
                  close dbg
                  close v
                """;

        assertThat(firstViolation(text.formatted("ptrace"))).isNull();
        Violation v = firstViolation(text.formatted("eudebug"));
        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.EXPECTATION);
    }

    @Test
    void ptr02_stopAll_scheduleShowsTheTargetStoppedByPtrace_neverUnderEudebug() {
        String text = """
                scenario "stop-all in a schedule"
                design debugger=%s
                device gpu0 kind=gpu
                process A uid=1000
                process D uid=1000 caps=sys_ptrace

                thread A.main:
                  fd = open gpu0
                  signal ready
                  await attached
                  p = mmap 4K

                thread D.main:
                  await ready
                  dbg = debug_attach A
                  signal attached
                  cli = debug_read_event dbg
                  debug_read_event dbg    => ok|ENOENT    # ends once A waits for good, or is stopped
                  close dbg
                """;

        List<RunResult> ptrace = InterpreterHarness.runSeeds(text.formatted("ptrace"), 5);
        List<RunResult> eudebug = InterpreterHarness.runSeeds(text.formatted("eudebug"), 5);

        assertThat(ptrace).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(new Outcome.Completed());
            assertThat(InterpreterHarness.traceLines(r)).anyMatch(l -> l.contains("stopped by ptrace from D"));
        });
        assertThat(eudebug).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(new Outcome.Completed());
            assertThat(InterpreterHarness.traceLines(r)).noneMatch(l -> l.contains("stopped by ptrace"));
        });
    }

    @Test
    void ptr02_stopAll_debuggerWaitsForTheStoppedTarget_deadlockNamesTheStop() {
        // What stop-all costs a debugger that attaches first and waits for the target's work.
        RunResult r = InterpreterHarness.run("""
                scenario "attach first"
                design debugger=ptrace
                device gpu0 kind=gpu
                process A uid=1000
                process D uid=1000 caps=sys_ptrace

                thread A.main:
                  await attached
                  fd = open gpu0
                  signal opened

                thread D.main:
                  dbg = debug_attach A
                  signal attached
                  await opened
                """, 1);

        assertThat(r.outcome()).isInstanceOf(Outcome.Deadlock.class);
        assertThat(((Outcome.Deadlock) r.outcome()).blocked())
                .anySatisfy(b -> assertThat(b.waitsFor()).isEqualTo("stopped by ptrace from D"));
    }

    @Test
    void ptr02_vmFileOfAnExitedDebuggerPassedOn_isEsrch() {
        // The fd outlives the tracer: its exit detached, and the process now holding the file
        // does not trace the target (ptrace_check_attach).
        assertThat(firstViolation("""
                scenario "a vm file passed on"
                design debugger=ptrace
                device gpu0 kind=gpu
                process A uid=1000
                process D uid=1000 caps=sys_ptrace
                process E uid=1000

                thread A.main:
                  fd = open gpu0
                  p = mmap 4K
                  vm = ioctl fd vm_create
                  ioctl fd vm_bind vm userptr addr=p va=0x100000 size=4K
                  signal ready
                  await got

                thread D.main:
                  await ready
                  dbg = debug_attach A
                  cli = debug_read_event dbg
                  vmc = debug_read_event dbg
                  v = debug_vm_open dbg vm=vmc.vm
                  send v to E as vmfile
                  exit

                thread E.main:
                  recv vmfile
                  await D.exit
                  debug_vm_read vmfile va=0x100000 size=4   => ESRCH
                  signal got
                """)).isNull();
    }
}
