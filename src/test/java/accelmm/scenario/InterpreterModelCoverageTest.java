package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What the model does not implement yet is refused when a scenario is loaded for running, at
 * its first use, as {@code FILE:LINE:COL: message} — never run with the statement doing nothing.
 */
class InterpreterModelCoverageTest {

    @Test
    void parse_debugAttach_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:9: 'debug_attach' is not modelled yet");
    }

    @Test
    void parse_dmaBufSync_refusedAtStatement() {
        assertThatThrownBy(() -> parse("""
                scenario "dma-buf sync"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo
                  ioctl db dma_buf_sync start read
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:9:3: 'ioctl dma_buf_sync' is not modelled yet");
    }

    @Test
    void parse_primeStatementsAndDmaBufMmap_accepted() {
        Scenario s = parse("""
                scenario "prime export and import"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo cloexec rdwr
                  h  = ioctl fd prime_fd_to_handle db
                  m  = mmap db 4K prot=r
                """);

        assertThat(s.threads().get(0).body()).hasSize(5);
    }

    @Test
    void parse_accelDevice_refusedAtDeclaration() {
        assertThatThrownBy(() -> parse("""
                scenario "accelerator"
                device acc0 kind=accel
                process A
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:2:8: devices of kind accel are not modelled yet");
    }

    @Test
    void parse_debuggerDesignKey_refusedAtDesignLine() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger designs"
                design userptr=*
                design debugger=*
                process A
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:3:1: design key 'debugger' is not modelled yet");
    }

    @Test
    void parse_gemCreateCachingWcAndEvict_accepted() {
        // The caching mode is recorded (no incoherence checks yet); evict is modelled.
        Scenario s = parse("""
                scenario "write-combined"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K placement=vram caching=wc

                thread kernel.evictor:
                  evict A.bo
                """);

        assertThat(s.threads()).hasSize(2);
    }

    @Test
    void parse_gemCreateCachingWb_accepted() {
        Scenario s = parse("""
                scenario "write-back"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K caching=wb
                """);

        assertThat(s.threads()).hasSize(1);
    }

    @Test
    void parse_refusal_renderShowsLineAndCaret() {
        assertThatThrownBy(() -> parse("""
                scenario "debugger"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.render()).isEqualTo("""
                        inline.scn:6:9: 'debug_attach' is not modelled yet
                          dbg = debug_attach B
                                ^"""));
    }

    @Test
    void parse_severalUnmodelledThings_everyOneReportedInFileOrder() {
        assertThatThrownBy(() -> parse("""
                scenario "three problems"
                process A
                process B

                thread A.main:
                  dbg = debug_attach B
                  k = kvm_create

                device acc0 kind=accel
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> {
                    assertThat(e.problems()).extracting(ScenarioError.Problem::message).containsExactly(
                            "inline.scn:6:9: 'debug_attach' is not modelled yet",
                            "inline.scn:7:7: 'kvm_create' is not modelled yet",
                            "inline.scn:9:8: devices of kind accel are not modelled yet");
                    assertThat(e.render()).isEqualTo("""
                            inline.scn:6:9: 'debug_attach' is not modelled yet
                              dbg = debug_attach B
                                    ^
                            inline.scn:7:7: 'kvm_create' is not modelled yet
                              k = kvm_create
                                  ^
                            inline.scn:9:8: devices of kind accel are not modelled yet
                            device acc0 kind=accel
                                   ^""");
                });
    }
}
