package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * {@code debug_vm_open}, {@code debug_vm_read} and {@code debug_vm_write} (EUD-08..11) under the
 * {@code debugger} design: what they return and bind, and what the checker sees of the
 * debugger's accesses.
 */
class InterpreterDebugVmTest {

    /** A binds an object and a userptr range, then D opens the VM and runs %s (design %s). */
    private static final String DEBUGGED = """
            scenario "debugger vm access"
            design debugger=%s
            device gpu0 kind=gpu
            process A uid=1000
            process D uid=1000

            thread A.main:
              fd = open gpu0
              p = mmap 4K
              write p "user bytes"
              bo = ioctl fd gem_create 4K
              vm = ioctl fd vm_create
              signal ready
              await discovered
              ioctl fd vm_bind vm userptr addr=p va=0x100000 size=4K
              ioctl fd vm_bind vm map bo=bo va=0x200000 size=4K
              signal bound
              await done
              %s

            thread D.main:
              await ready
              dbg = debug_attach A
              cli = debug_read_event dbg
              vmc = debug_read_event dbg
              signal discovered
              await bound
              v = debug_vm_open dbg vm=vmc.vm
              %s
              signal done
            """;

    private static Violation check(String design, String debugger, String afterwards) {
        return firstViolation(DEBUGGED.formatted(design, afterwards, debugger));
    }

    @Test
    void eud11_readOfAUserptrRange_bindsTheBytes_writeReachesTheProcess() {
        assertThat(check("eudebug", """
                x = debug_vm_read v va=0x100000 size=10
                  expect x == "user bytes"
                  debug_vm_write v va=0x100000 data="poke"
                """, """
                expect read p 10 == "poke bytes"
                """)).isNull();
    }

    @Test
    void eud10_writeThenReadOfAnObject_goesThroughTheObject() {
        assertThat(check("eudebug-no-retry", """
                debug_vm_write v va=0x200008 data="isa"
                  y = debug_vm_read v va=0x200008 size=3
                  expect y == "isa"
                """, "")).isNull();
    }

    @Test
    void eud09_readStartingInAHole_isEinval_readIntoAHoleIsShort() {
        assertThat(check("eudebug", """
                x = debug_vm_read v va=0x300000 size=8   => EINVAL
                  expect x == EINVAL
                  y = debug_vm_read v va=0x200ff8 size=16
                  expect y == 0x00*8
                """, "")).isNull();
    }

    @Test
    void eud08_unknownHandleAFileThatIsNoVmFileAndAClosedOne_areRefused() {
        assertThat(check("eudebug", """
                w = debug_vm_open dbg vm=7           => EINVAL
                  z = debug_vm_read dbg va=0x100000 size=8  => ESPIPE
                  close v
                  debug_vm_read v va=0x100000 size=8  => EBADF
                """, "")).isNull();
    }

    @Test
    void eud11_readOfAnotherProcessesSecret_isASecretLeakByTheDebugger() {
        String text = DEBUGGED.formatted("eudebug", "", "x = debug_vm_read v va=0x100000 size=64")
                .replace("write p \"user bytes\"", "write p secret \"A-key\"");

        Violation v = firstViolation(text);

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
        assertThat(v.actor()).isEqualTo("D.main");
    }
}
