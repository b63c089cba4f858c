package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.sim.Designs;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dma_buf_dynamic_attach} and {@code dma_buf_detach} (drivers/dma-buf/dma-buf.c): the
 * attachment's {@code peer2peer} starts as the importer allows, the exporter's {@code attach} may
 * clear it or refuse the importer, and detach lets the exporter know.
 */
class DmaBufAttachTest {

    private static final long PAGE = 4096;

    private final Kernel kernel = new Kernel(new Simulation(new RandomChoiceSource(1)), Designs.defaults());

    private record Device(String name, boolean peerToPeer) implements DmaDevice {
    }

    private record Importer(boolean allowPeer2peer) implements DmaBufImporterOps {
        @Override
        public boolean invalidatesMappings() {
            return true;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment attach) {
            throw new AssertionError("not called");
        }
    }

    /** An exporter that clears peer2peer for devices without it and refuses them when {@code needsP2p}. */
    private static final class Exporter implements DmaBufOps {
        final boolean needsP2p;
        final List<String> calls = new ArrayList<>();

        Exporter(boolean needsP2p) {
            this.needsP2p = needsP2p;
        }

        @Override
        public int attach(DmaBuf buf, DmaBufAttachment attach) {
            calls.add("attach " + attach.dev().name() + " peer2peer=" + attach.peer2peer());
            if (!attach.dev().peerToPeer()) {
                attach.clearPeer2peer();
            }
            return needsP2p && !attach.peer2peer() ? Errno.EOPNOTSUPP.neg() : 0;
        }

        @Override
        public void detach(DmaBuf buf, DmaBufAttachment attach) {
            calls.add("detach " + attach.dev().name());
        }

        @Override
        public DmaBuf.Mapped map(DmaBufAttachment attach, DmaDataDirection direction) {
            return DmaBuf.Mapped.error(Errno.ENOMEM.neg());
        }

        @Override
        public void unmap(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
            throw new AssertionError("not mapped");
        }

        /** A dynamic exporter: a dynamic importer is not mapped at attach. */
        @Override
        public boolean dynamic() {
            return true;
        }

        @Override
        public void release(DmaBuf buf) {
            calls.add("release");
        }

        @Override
        public String exporterName() {
            return "test exporter";
        }
    }

    @Test
    void attach_importerAllowsPeer2peer_exporterSeesItAndMayClearIt() {
        Exporter exporter = new Exporter(false);
        DmaBuf buf = DmaBuf.export(kernel, exporter, new DmaResv(), PAGE, true);

        DmaBuf.Attach reachable = buf.dynamicAttach(new Device("gpu1", true), new Importer(true));
        DmaBuf.Attach unreachable = buf.dynamicAttach(new Device("gpu2", false), new Importer(true));
        DmaBuf.Attach declined = buf.dynamicAttach(new Device("gpu3", true), new Importer(false));

        assertThat(exporter.calls).containsExactly("attach gpu1 peer2peer=true", "attach gpu2 peer2peer=true",
                "attach gpu3 peer2peer=false");
        assertThat(reachable.attachment().peer2peer()).isTrue();
        assertThat(unreachable.attachment().peer2peer()).isFalse();
        assertThat(declined.attachment().peer2peer()).isFalse();
        assertThat(buf.attachments()).as("newest first: list_add at the head")
                .containsExactly(declined.attachment(), unreachable.attachment(), reachable.attachment());
    }

    @Test
    void attach_exporterRefuses_errnoAndNotAttached() {
        DmaBuf buf = DmaBuf.export(kernel, new Exporter(true), new DmaResv(), PAGE, true);

        DmaBuf.Attach refused = buf.dynamicAttach(new Device("gpu2", false), new Importer(true));

        assertThat(refused.errno()).isEqualTo(Errno.EOPNOTSUPP.neg());
        assertThat(refused.attachment()).isNull();
        assertThat(buf.attachments()).isEmpty();
    }

    @Test
    void detach_attached_removedThenExporterTold() {
        Exporter exporter = new Exporter(false);
        DmaBuf buf = DmaBuf.export(kernel, exporter, new DmaResv(), PAGE, true);
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1", true), new Importer(true)).attachment();

        buf.detach(attach);

        assertThat(buf.attachments()).isEmpty();
        assertThat(attach.isDetached()).isTrue();
        assertThat(exporter.calls).endsWith("detach gpu1");
        assertThatThrownBy(() -> buf.detach(attach)).as("a second detach is a model bug")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void release_withAnAttachmentLeft_isAModelBug() {
        DmaBuf buf = DmaBuf.export(kernel, new Exporter(false), new DmaResv(), PAGE, true);
        buf.dynamicAttach(new Device("gpu1", true), new Importer(true));

        assertThatThrownBy(buf::put).isInstanceOf(IllegalStateException.class).hasMessageContaining("attachments");
    }
}
