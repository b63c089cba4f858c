package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.PhysicalMemory.FrameRef;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a mapping's page references are named in {@code replay --show}: consecutive frames of one
 * zone as one run, as leak reports group frames, a stale run and a hole each named apart.
 */
class FrameRefRunsTest {

    private final PhysicalMemory mem = new PhysicalMemory();
    private final MemoryZone vram = new MemoryZone("gpu0 vram", true);

    private static List<FrameRef> refs(PageFrame... frames) {
        return Arrays.stream(frames).map(f -> f == null ? null : FrameRef.of(f)).toList();
    }

    @Test
    void runs_consecutiveFramesOfOneZone_oneRunPerZone() {
        PageFrame a = mem.allocPage();
        PageFrame b = mem.allocPage();
        PageFrame c = mem.allocPage(vram);
        PageFrame d = mem.allocPage(vram);

        assertThat(FrameRef.runs(refs(a, b, c, d))).isEqualTo("pfn 1..2, pfn 3..4@gpu0 vram");
    }

    @Test
    void runs_framesOutOfOrderAndHoles_namesEachApart() {
        PageFrame a = mem.allocPage();
        PageFrame b = mem.allocPage();

        assertThat(FrameRef.runs(refs(b, a, null, null, a))).isEqualTo("pfn 2, pfn 1, none, pfn 1");
        assertThat(FrameRef.runs(refs(null, null))).isEqualTo("none");
        assertThat(FrameRef.runs(List.of())).isEqualTo("none");
    }

    @Test
    void runs_frameFreedOrReusedSinceTheReference_marksItsRunStale() {
        PageFrame a = mem.allocPage();
        PageFrame b = mem.allocPage();
        PageFrame c = mem.allocPage();
        List<FrameRef> mapped = refs(a, b, c);
        b.put();
        c.put();

        assertThat(FrameRef.runs(mapped)).isEqualTo("pfn 1, pfn 2..3 (stale: frame freed)");
        assertThat(mem.allocPage()).isSameAs(c);
        assertThat(FrameRef.runs(mapped)).isEqualTo("pfn 1, pfn 2 (stale: frame freed), pfn 3 (stale: frame reused)");
    }
}
