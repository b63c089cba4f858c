package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.sim.ObjectGraph.Edge;
import accelmm.sim.ObjectGraph.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The object graph a traced run ends with: objects named by identity, references between them,
 * and frames added per page but shown as ranges of pages held alike.
 */
class ObjectGraphTest {

    private static final long PAGE = 4096;

    /** {@code holder -> held (via)} for each edge, by the nodes' labels. */
    private static List<String> refs(ObjectGraph g) {
        List<Node> nodes = g.nodes();
        return g.edges().stream().map((Edge e) -> nodes.get(e.holder()).label() + " -> "
                + nodes.get(e.held()).label() + " (" + e.via() + ")").toList();
    }

    /** An unnamed end of an edge without text of its own is named by its class, never by its identity hash. */
    @Test
    void edge_toAnUnnamedObject_namesItByItsClassOrItsText() {
        ObjectGraph g = new ObjectGraph();
        Object file = new Object();
        g.node(file, "file", "file 1", "");
        g.edge(file, new Unnamed(), "private_data");
        g.edge(file, "a text of its own", "private_data");

        assertThat(refs(g)).containsExactly("file 1 -> ObjectGraphTest.Unnamed (private_data)",
                "file 1 -> a text of its own (private_data)");
    }

    private static final class Unnamed {
    }

    @Test
    void frames_consecutiveAndMappedAtConsecutiveAddresses_areOneRangeWithOneEdge() {
        ObjectGraph g = new ObjectGraph();
        Object mm = new Object();
        g.node(mm, "mm", "mm 1", "");
        for (int i = 0; i < 4; i++) {
            g.frame(mm, 10 + i, "refcount 1", "pte", 0x10000 + i * PAGE, "");
        }

        assertThat(g.nodes()).extracting(Node::label).containsExactly("mm 1", "pfn 10..13");
        assertThat(g.nodes().get(1).detail()).isEqualTo("refcount 1 each");
        assertThat(refs(g)).containsExactly("mm 1 -> pfn 10..13 (pte 0x10000..0x13000)");
    }

    @Test
    void frames_splitWhereTheAddressJumpsTheStateDiffersOrOnlyOneHolderGoesOn() {
        ObjectGraph g = new ObjectGraph();
        Object mm = new Object();
        Object vm = new Object();
        g.node(mm, "mm", "mm 1", "");
        g.node(vm, "vm", "vm 1", "");
        g.frame(mm, 1, "refcount 1", "pte", 0x10000, "");
        g.frame(mm, 2, "refcount 1", "pte", 0x20000, ""); // not the next page of the mapping
        g.frame(mm, 3, "free", "pte", 0x21000, ""); // another state
        g.frame(mm, 4, "free", "pte", 0x22000, "");
        g.frame(vm, 4, "free", "gpu pte", 0x100000, "stale: frame freed"); // a second holder from pfn 4
        g.frame(mm, 5, "free", "pte", 0x23000, "");

        assertThat(g.nodes()).extracting(Node::label)
                .containsExactly("mm 1", "vm 1", "pfn 1", "pfn 2", "pfn 3", "pfn 4", "pfn 5");
        assertThat(refs(g)).contains("vm 1 -> pfn 4 (gpu pte 0x100000 (stale: frame freed))",
                "mm 1 -> pfn 5 (pte 0x23000)");
    }

    @Test
    void frames_sameHoldersButOneReferenceStale_notMerged() {
        ObjectGraph g = new ObjectGraph();
        Object mr = new Object();
        g.node(mr, "mr", "mr 1", "");
        g.frame(mr, 7, "free", "mtt offset", 0, "stale: frame freed");
        g.frame(mr, 8, "free", "mtt offset", PAGE, "");

        assertThat(g.nodes()).extracting(Node::label).containsExactly("mr 1", "pfn 7", "pfn 8");
    }

    @Test
    void edge_toAnObjectNotYetNamed_addsItUnderItsStringAndALaterNodeNamesIt() {
        ObjectGraph g = new ObjectGraph();
        Object file = new Object();
        Object privateData = new Object() {
            @Override
            public String toString() {
                return "something";
            }
        };
        g.node(file, "file", "file 1", "1 reference");
        g.edge(file, privateData, "private_data");
        assertThat(g.has(privateData)).isTrue();
        g.node(privateData, "drm file", "gpu0 file 1", "");

        assertThat(g.nodes()).extracting(Node::kind, Node::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("file", "file 1"),
                        org.assertj.core.groups.Tuple.tuple("drm file", "gpu0 file 1"));
        assertThat(refs(g)).containsExactly("file 1 -> gpu0 file 1 (private_data)");
    }

    @Test
    void frame_afterTheGraphWasRead_refused() {
        ObjectGraph g = new ObjectGraph();
        Object mm = new Object();
        g.frame(mm, 1, "refcount 1", "pte", 0, "");
        g.nodes();

        assertThatThrownBy(() -> g.frame(mm, 2, "refcount 1", "pte", PAGE, ""))
                .isInstanceOf(IllegalStateException.class);
    }
}
