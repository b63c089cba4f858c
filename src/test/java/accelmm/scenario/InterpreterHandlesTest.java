package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Design keys {@code handles} and {@code teardown} in scenarios: ID spaces, cross-client access, file-close leaks. */
class InterpreterHandlesTest {

    private static final String GUESS = """
            scenario "B guesses A's handle"
            design handles=%s
            device gpu0 kind=gpu
            process A
            process B

            thread A.main:
              fd = open gpu0
              bo = ioctl fd gem_create 16K
              signal made
              await B.exit

            thread B.main:
              await made
              fdB = open gpu0
              ioctl fdB gem_close A.bo            => %s
            """;

    private static final String CYCLE = """
            scenario "a process exits with a VM that maps its buffer"
            design teardown=%s
            device gpu0 kind=gpu
            process A

            thread A.main:
              fd = open gpu0
              vm = ioctl fd vm_create
              bo = ioctl fd gem_create 16K
              ioctl fd vm_bind vm map bo=bo va=0x200000 size=16K
            """;

    @Test
    void parse_handlesAndTeardownKeys_acceptedForRunningWithEveryValue() {
        Scenario s = parse("""
                scenario "both keys"
                design handles=*
                design teardown=*
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                """);

        assertThat(DesignMatrix.combinations(s)).containsExactly(
                Map.of(DesignKey.HANDLES, "per-file", DesignKey.TEARDOWN, "open-count"),
                Map.of(DesignKey.HANDLES, "per-file", DesignKey.TEARDOWN, "refcount-only"),
                Map.of(DesignKey.HANDLES, "device-global", DesignKey.TEARDOWN, "open-count"),
                Map.of(DesignKey.HANDLES, "device-global", DesignKey.TEARDOWN, "refcount-only"));
        assertThat(ModelCoverage.designModelled(DesignKey.HANDLES)).isTrue();
        assertThat(ModelCoverage.designModelled(DesignKey.TEARDOWN)).isTrue();
    }

    @Test
    void gemClose_perFile_anotherProcessesHandleNumber_isEinval() {
        assertThat(firstViolation(GUESS.formatted("per-file", "EINVAL"))).isNull();
    }

    @Test
    void gemClose_deviceGlobal_anotherProcessesHandleNumber_isCrossClientAccess() {
        Violation v = firstViolation(GUESS.formatted("device-global", "ok|EINVAL"));

        assertThat(v.invariant()).isEqualTo(InvariantKind.CROSS_CLIENT_ACCESS);
        assertThat(v.actor()).isEqualTo("B.main");
        assertThat(v.message()).isEqualTo("ioctl gem_close on gpu0 file 2 (opened by B) acted on gem object 1 (16K) "
                + "of gpu0 file 1 (opened by A), which the caller never obtained");
    }

    @Test
    void ioctls_deviceGlobal_fileReceivedWithSendRecv_isNotCrossClient() {
        Violation v = firstViolation("""
                scenario "the file itself is passed"
                design handles=device-global
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 16K
                  send fd to B as gpu

                thread B.main:
                  recv gpu
                  off = ioctl gpu gem_mmap_offset A.bo
                  ioctl gpu gem_close A.bo
                """);

        assertThat(v).isNull();
    }

    @Test
    void exit_openCount_vmWithMappingsIsTornDown_clean() {
        assertThat(firstViolation(CYCLE.formatted("open-count"))).isNull();
    }

    @Test
    void exit_refcountOnly_vmAndBufferLeak_leakNamesWhatHoldsEach() {
        Violation v = firstViolation(CYCLE.formatted("refcount-only"));

        assertThat(v.invariant()).isEqualTo(InvariantKind.LEAK);
        assertThat(v.message()).startsWith("still alive after every process exited: "
                + "gpu0 gem object 1 (16K) held by vm 1 mapping va 0x200000, "
                + "gpu0 vm 1 held by gem object 1 back-reference, pfn ");
    }

    @Test
    void catalog_seed001Entries_listedTogether() {
        List<String> names = Catalog.entries().stream().map(Catalog.Entry::name).toList();

        assertThat(names).containsSubsequence("vm-teardown-leak", "handle-guessing");
    }
}
