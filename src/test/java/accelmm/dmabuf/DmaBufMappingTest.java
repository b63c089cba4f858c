package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static and dynamic attachments, their maps and pins (drivers/dma-buf/dma-buf.c {@code
 * dma_buf_dynamic_attach}, {@code dma_buf_map_attachment}, {@code dma_buf_unmap_attachment},
 * {@code dma_buf_pin}, {@code dma_buf_detach}; KERNEL-SEMANTICS §13.6 as Linux 6.16 changed it):
 * nothing is mapped at attach, every map goes to the exporter under the rules of who holds the
 * reservation lock, and a static importer of a dynamic exporter pins it for each mapping.
 */
class DmaBufMappingTest {

    private static final long PAGE = 4096;

    private final Simulation sim = new Simulation(new RandomChoiceSource(3));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final DmaResv resv = new DmaResv(kernel, "test");

    private record Device(String name) implements DmaDevice {
        @Override
        public boolean peerToPeer() {
            return true;
        }
    }

    private record Importer(boolean invalidatesMappings) implements DmaBufImporterOps {
        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment attach) {
        }
    }

    private DmaBuf export(TestExporter exporter) {
        return DmaBuf.export(kernel, exporter, resv, 2 * PAGE, true);
    }

    /** Runs {@code body} in an actor (locks need one) and checks the run completed. */
    private void inActor(Runnable body) {
        sim.spawn("importer", body);
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void staticAttach_dynamicExporter_mapsNothingAtAttach() {
        // Linux 6.16 ("dma-buf: stop mapping sg_tables on attach v2"): no map cached at attach.
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);
        List<DmaBufAttachment> made = new ArrayList<>();

        inActor(() -> made.add(buf.attach(new Device("gpu1")).attachment()));

        assertThat(exporter.calls).containsExactly("attach gpu1");
        assertThat(made.get(0).isMapped()).isFalse();
        assertThat(made.get(0).isDynamic()).isFalse();
        assertThat(made.get(0).peer2peer()).as("a static importer has no allow_peer2peer").isFalse();
    }

    @ParameterizedTest(name = "dynamic exporter: {0}")
    @ValueSource(booleans = {false, true})
    void dynamicAttach_staticOrDynamicExporter_mapsNothingAtAttach(boolean dynamicExporter) {
        TestExporter exporter = new TestExporter(kernel, 2, dynamicExporter);
        DmaBuf buf = export(exporter);

        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();

        assertThat(exporter.calls).containsExactly("attach gpu1");
        assertThat(attach.isMapped()).isFalse();
    }

    @Test
    void mapAttachment_staticImporterDynamicExporter_pinsForAsLongAsMapped() {
        // dma_buf_pin_on_map (Linux 6.16): the pin that came with the attach-time map before.
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);

        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            resv.lock();
            DmaBuf.Mapped mapped = buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            assertThat(mapped.sgt().pageCount()).isEqualTo(2);
            assertThat(attach.isMapped()).isTrue();
            buf.unmapAttachment(attach, mapped.sgt(), DmaDataDirection.BIDIRECTIONAL);
            resv.unlock();
            assertThat(attach.isMapped()).isFalse();
            buf.detach(attach);
        });

        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1", "map gpu1 BIDIRECTIONAL",
                "unmap gpu1 BIDIRECTIONAL", "unpin gpu1", "detach gpu1");
    }

    @Test
    void mapAttachment_staticImporterPinFails_errnoAndNoMap() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        exporter.pinResult = Errno.EINVAL.neg();
        DmaBuf.Mapped mapped = staticImporterMaps(export(exporter));

        assertThat(mapped.errno()).isEqualTo(Errno.EINVAL.neg());
        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1");
    }

    @Test
    void mapAttachment_staticImporterMapFails_unpins() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        exporter.mapResult = Errno.EOPNOTSUPP.neg();
        DmaBuf.Mapped mapped = staticImporterMaps(export(exporter));

        assertThat(mapped.errno()).isEqualTo(Errno.EOPNOTSUPP.neg());
        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1", "map gpu1 BIDIRECTIONAL", "unpin gpu1");
    }

    /** A static importer on gpu1 attaches to {@code buf} and maps it, BIDIRECTIONAL, with the lock held. */
    private DmaBuf.Mapped staticImporterMaps(DmaBuf buf) {
        List<DmaBuf.Mapped> maps = new ArrayList<>();
        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            resv.lock();
            maps.add(buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL));
            resv.unlock();
        });
        return maps.get(0);
    }

    @Test
    void mapAttachment_dynamicImporterStaticExporter_exporterMapsEachDirection() {
        TestExporter exporter = new TestExporter(kernel, 2, false);
        DmaBuf buf = export(exporter);
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();
        List<DmaBuf.Mapped> maps = new ArrayList<>();

        inActor(() -> {
            resv.lock();
            maps.add(buf.mapAttachment(attach, DmaDataDirection.TO_DEVICE));
            maps.add(buf.mapAttachment(attach, DmaDataDirection.FROM_DEVICE));
            resv.unlock();
        });

        assertThat(maps).extracting(DmaBuf.Mapped::errno).containsOnly(0);
        assertThat(exporter.calls).containsExactly("attach gpu1", "map gpu1 TO_DEVICE", "map gpu1 FROM_DEVICE");
    }

    @Test
    void mapAttachment_dynamicImporterDynamicExporter_exporterMapsEachTime() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();

        inActor(() -> {
            resv.lock();
            DmaBuf.Mapped mapped = buf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
            assertThat(attach.isMapped()).isTrue();
            buf.unmapAttachment(attach, mapped.sgt(), DmaDataDirection.TO_DEVICE);
            resv.unlock();
        });

        assertThat(exporter.calls).containsExactly("attach gpu1", "map gpu1 TO_DEVICE", "unmap gpu1 TO_DEVICE");
        assertThat(attach.isMapped()).isFalse();
    }

    @Test
    void mapAttachment_dynamicImporterWithoutResvLock_isAModelBug() {
        DmaBuf buf = export(new TestExporter(kernel, 2, true));
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();
        List<Throwable> thrown = new ArrayList<>();

        sim.spawn("importer", () -> {
            try {
                buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        });
        sim.run();

        assertThat(thrown).as("dma_resv_assert_held").hasSize(1);
    }

    @Test
    void mapAttachment_staticImporterStaticExporterWithoutResvLock_isAModelBug() {
        // Since Linux 6.2 dma_buf_map_attachment asserts the lock for every pair; static
        // importers use the _unlocked variant, which takes it.
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        List<Throwable> thrown = new ArrayList<>();

        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            try {
                buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        });

        assertThat(thrown).as("dma_resv_assert_held").hasSize(1);
    }

    @Test
    void unmapAttachment_staticImporterStaticExporterWithoutResvLock_isAModelBug() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        List<Throwable> thrown = new ArrayList<>();

        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            SgTable sgt = buf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL).sgt();
            try {
                buf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
            buf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            buf.detach(attach);
        });

        assertThat(thrown).as("dma_resv_assert_held").hasSize(1);
    }

    @Test
    void mapAttachmentUnlocked_staticImporter_mapsUnderTheResvLockAndDropsIt() {
        // dma_buf_map_attachment_unlocked / _unmap_attachment_unlocked: lock, the locked call, unlock.
        TestExporter exporter = new TestExporter(kernel, 2, false);
        DmaBuf buf = export(exporter);
        List<Boolean> lockFreeAfter = new ArrayList<>();

        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            SgTable sgt = buf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL).sgt();
            lockFreeAfter.add(resv.tryLock());
            resv.unlock();
            buf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            lockFreeAfter.add(resv.tryLock());
            resv.unlock();
            buf.detach(attach);
        });

        assertThat(exporter.calls).containsExactly("attach gpu1", "map gpu1 BIDIRECTIONAL", "unmap gpu1 BIDIRECTIONAL",
                "detach gpu1");
        assertThat(lockFreeAfter).containsExactly(true, true);
    }

    @Test
    void mapAttachment_staticImporterStaticExporter_waitsForTheMoveFence() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
        DmaFence move = new DmaFence(sim, "move");
        resv.addFence(move, DmaResv.Usage.KERNEL);
        List<String> order = new ArrayList<>();
        sim.spawn("importer", () -> {
            buf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL);
            order.add("mapped");
        });
        sim.spawn("mover", () -> {
            order.add("moved");
            move.signal();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(order).as("__map_dma_buf: a static importer waits for KERNEL fences").containsExactly("moved",
                "mapped");
    }

    @Test
    void pin_staticImporter_isAModelBug() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();

        assertThatThrownBy(() -> buf.pin(attach)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static importer");
    }

    @Test
    void pin_dynamicImporter_exporterPinsUnderResv() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();
        List<Integer> ret = new ArrayList<>();

        inActor(() -> {
            resv.lock();
            ret.add(buf.pin(attach));
            buf.unpin(attach);
            resv.unlock();
        });

        assertThat(ret).containsExactly(0);
        assertThat(exporter.calls).endsWith("pin gpu1", "unpin gpu1");
    }
}
