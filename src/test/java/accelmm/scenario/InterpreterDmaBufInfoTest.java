package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.parse;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * {@code I = ioctl DB dma_buf_info}: the proposed {@code DMA_BUF_IOCTL_INFO} (v2, never merged;
 * KERNEL-SEMANTICS DBI-01..03) as the VMM reads it.
 */
class InterpreterDmaBufInfoTest {

    @Test
    void dmaBufInfo_caching_comparesAsWord() {
        Violation v = firstViolation("""
                scenario "map info of each caching"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  b1 = ioctl fd gem_create 4K
                  b2 = ioctl fd gem_create 4K caching=wc
                  b3 = ioctl fd gem_create 4K caching=uc
                  d1 = ioctl fd prime_handle_to_fd b1
                  d2 = ioctl fd prime_handle_to_fd b2
                  d3 = ioctl fd prime_handle_to_fd b3
                  i1 = ioctl d1 dma_buf_info
                  i2 = ioctl d2 dma_buf_info
                  i3 = ioctl d3 dma_buf_info
                  expect i1.caching == cached
                  expect i2.caching == wc
                  expect i3.caching == incoherent
                  expect i2.caching != cached
                """);

        assertThat(v).isNull();
    }

    @Test
    void dmaBufInfo_wrongWord_expectationFails() {
        Violation v = firstViolation("""
                scenario "map info compared with another word"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K caching=wc
                  db = ioctl fd prime_handle_to_fd bo
                  i  = ioctl db dma_buf_info
                  expect i.caching == cached
                """);

        assertThat(v).isNotNull();
        assertThat(v.message()).contains("i.caching is wc");
    }

    /** The proposal's number is handled by dma_buf_ioctl only; other files refuse it as dma_buf_sync's. */
    @Test
    void dmaBufInfo_notADmaBuf_enotty() {
        Violation v = firstViolation("""
                scenario "dma_buf_info on a DRM file, a closed fd"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  i  = ioctl fd dma_buf_info    => ENOTTY
                  j  = ioctl 42 dma_buf_info    => EBADF
                """);

        assertThat(v).isNull();
    }

    /** DBI-01: an exporter without the op answers -ENOSYS (the accelerator's exporter has none). */
    @Test
    void dmaBufInfo_exporterWithoutOp_enosys() {
        Violation v = firstViolation("""
                scenario "dma_buf_info on an accelerator's export"
                device acc0 kind=accel exclusive=yes vram=1M p2p=yes
                process A

                thread A.main:
                  fd = open acc0
                  h  = ioctl fd mem_alloc 16K
                  db = ioctl fd mem_export h rdwr
                  i  = ioctl db dma_buf_info    => ENOSYS
                """);

        assertThat(v).isNull();
    }

    @Test
    void dmaBufInfo_trace_showsTheCaching() {
        RunResult r = run("""
                scenario "trace"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K caching=wc
                  db = ioctl fd prime_handle_to_fd bo
                  i  = ioctl db dma_buf_info
                """, 1);

        assertThat(traceLines(r)).contains("A.main: i = ioctl db dma_buf_info -> caching=wc");
    }

    @Test
    void dmaBufInfo_unknownField_refusedAtLoad() {
        assertThatThrownBy(() -> parse("""
                scenario "no such field"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo
                  i  = ioctl db dma_buf_info
                  expect i.coherency == wc
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:10:10: 'i.coherency' names nothing: dma_buf_info's result has one field,"
                        + " 'caching'");
    }
}
