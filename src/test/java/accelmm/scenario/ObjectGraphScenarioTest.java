package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Strategy;
import accelmm.sim.ObjectGraph;
import accelmm.sim.ObjectGraph.Edge;
import accelmm.sim.ObjectGraph.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who held whom when a catalog counterexample ended, as its trace records it for the HTML
 * report's graph: the reference each bug is about is in the graph, with how it is held.
 */
class ObjectGraphScenarioTest {

    /** The graph at the end of the counterexample {@code scenario} has under {@code designs}. */
    private static ObjectGraph graphOf(String scenario, Map<DesignKey, List<String>> designs) {
        Catalog.Entry entry = Catalog.find(scenario);
        List<ScenarioChecker.CombinationResult> results =
                ScenarioChecker.check(entry.scenario(), designs, new Strategy.Auto(1, 2), Budget.DEFAULT);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).exploration().violated()).isTrue();
        ObjectGraph graph = results.get(0).counterexample().trace().objectsAtEnd();
        assertThat(graph).isNotNull();
        return graph;
    }

    /** {@code holder -> held (via)} for each edge, by the nodes' labels. */
    private static List<String> refs(ObjectGraph g) {
        List<Node> nodes = g.nodes();
        return g.edges().stream().map((Edge e) -> nodes.get(e.holder()).label() + " -> "
                + nodes.get(e.held()).label() + " (" + e.via() + ")").toList();
    }

    private static Node node(ObjectGraph g, String label) {
        return g.nodes().stream().filter(n -> n.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError(label + " is not in " + g.nodes()));
    }

    @Test
    void userptrWithoutRetry_theGpuPageTableStillMapsTheFramesMunmapFreed() {
        ObjectGraph g = graphOf("userptr-munmap-race", Map.of(DesignKey.USERPTR, List.of("hmm-no-retry")));

        // The GPU's PTEs of the userptr range point at frames munmap gave back: the access the
        // engine makes through them is the use-after-free.
        assertThat(refs(g)).anyMatch(r -> r.matches("gpu0 vm 1 -> pfn \\d+\\.\\.\\d+ \\(gpu pte 0x100000\\.\\.0x103000"
                + " \\(stale: frame freed\\)\\)"));
        assertThat(g.nodes()).filteredOn(n -> n.kind().equals("frame") && n.detail().equals("free each")).hasSize(1);
        // The process, its mm, its DRM file and the device objects the file holds.
        assertThat(refs(g)).contains("A[1] -> mm 1 (A) (mm)", "gpu0 file 1 -> gpu0 vm 1 (vm id 1)",
                "gpu0 vm 1 -> gpu0 userptr 1 cpu 0x10000000 -> va 0x100000 16K (hmm-no-retry) (userptr)");
        assertThat(refs(g)).anyMatch(r -> r.startsWith("file 1 (drm gpu0) -> gpu0 file 1 (private_data)"));
    }

    @Test
    void vmTeardownRefcountOnly_theVmAndTheObjectHoldEachOtherWithNothingElse() {
        ObjectGraph g = graphOf("vm-teardown-leak", Map.of(DesignKey.TEARDOWN, List.of("refcount-only")));

        // Every process exited: no process, mm or file is left, only the cycle and its pages.
        assertThat(g.nodes()).extracting(Node::kind).doesNotContain("process", "mm", "file");
        assertThat(refs(g)).contains("gpu0 gem object 1 (16K) -> gpu0 vm 1 (back-reference)",
                "gpu0 vm 1 -> gpu0 gem object 1 (16K) (mapping va 0x200000)");
        assertThat(node(g, "gpu0 vm 1").detail()).isEqualTo("refcount 1, open count 0");
    }

    @Test
    void mrOutlivesExporterNoHold_theMrTranslationAndTheDmaBufPointAtFreedDeviceMemory() {
        ObjectGraph g = graphOf("accel-rdma-mr-outlives-exporter",
                Map.of(DesignKey.DMABUF_EXPORT, List.of("no-hold")));

        // The NIC's translation still names the device page the context's end freed; the
        // dma-buf the MR keeps (dma_buf_get) hands out the same stale page.
        assertThat(refs(g)).anyMatch(r -> r.matches("nic0 mr 1 \\(4K of dma-buf \\d+\\) -> pfn \\d+ "
                + "\\(mtt offset 0x0 \\(stale: frame freed\\)\\)"));
        assertThat(refs(g)).anyMatch(r -> r.matches("dma-buf \\d+ -> pfn \\d+ \\(exported page offset 0x0 "
                + "\\(stale: frame freed\\)\\)"));
        assertThat(refs(g)).anyMatch(r -> r.matches("nic0 mr 1 .* -> dma-buf \\d+ \\(dma_buf_get\\)"));
        assertThat(refs(g)).anyMatch(r -> r.matches("nic0 mr 1 .* -> nic0 attachment to dma-buf \\d+ "
                + "\\(umem_dmabuf attach\\)"));
        assertThat(g.nodes()).filteredOn(n -> n.kind().equals("frame")).extracting(Node::detail)
                .allMatch(d -> d.endsWith("free"));
    }

    @Test
    void uaccePinLegacyFork_theQueuePinsTheParentsFramesAtItsIova() {
        ObjectGraph g = graphOf("uacce-dma-map-fork",
                Map.of(DesignKey.ACCEL, List.of("pin"), DesignKey.FORK, List.of("legacy")));

        assertThat(g.nodes()).extracting(Node::kind).contains("uacce queue", "process", "mm");
        assertThat(refs(g)).anyMatch(r -> r.matches(".*queue \\d+ -> pfn \\d+(\\.\\.\\d+)? \\(dma map 0x[0-9a-f]+.*"));
    }
}
