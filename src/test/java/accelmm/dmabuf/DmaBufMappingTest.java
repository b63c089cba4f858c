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

/**
 * Static and dynamic attachments, their maps and pins (drivers/dma-buf/dma-buf.c {@code
 * dma_buf_dynamic_attach}, {@code dma_buf_map_attachment}, {@code dma_buf_unmap_attachment},
 * {@code dma_buf_pin}, {@code dma_buf_detach}; KERNEL-SEMANTICS §13.6): the core maps once at
 * attach, BIDIRECTIONAL, when exactly one side is dynamic, pinning a dynamic exporter first;
 * other maps go to the exporter under the rules of who holds the reservation lock.
 */
class DmaBufMappingTest {

    private static final long PAGE = 4096;

    private final Simulation sim = new Simulation(new RandomChoiceSource(3));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final DmaResv resv = new DmaResv(sim, "test");

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
    void staticAttach_dynamicExporter_pinsThenCachesBidirectionalMap() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);
        List<DmaBufAttachment> made = new ArrayList<>();

        inActor(() -> made.add(buf.attach(new Device("gpu1")).attachment()));

        assertThat(exporter.calls).as("§13.6 mismatch: pin under the resv lock, then one BIDIRECTIONAL map")
                .containsExactly("attach gpu1", "pin gpu1", "map gpu1 BIDIRECTIONAL");
        assertThat(made.get(0).cachedSgt().pageCount()).isEqualTo(2);
        assertThat(made.get(0).isDynamic()).isFalse();
        assertThat(made.get(0).peer2peer()).as("a static importer has no allow_peer2peer").isFalse();
    }

    @Test
    void dynamicAttach_staticExporter_cachesBidirectionalMapWithoutPin() {
        TestExporter exporter = new TestExporter(kernel, 2, false);
        DmaBuf buf = export(exporter);

        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();

        assertThat(exporter.calls).containsExactly("attach gpu1", "map gpu1 BIDIRECTIONAL");
        assertThat(attach.cachedSgt()).isNotNull();
    }

    @Test
    void dynamicAttach_dynamicExporter_mapsNothingAtAttach() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);

        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();

        assertThat(exporter.calls).containsExactly("attach gpu1");
        assertThat(attach.cachedSgt()).isNull();
        assertThat(attach.isMapped()).isFalse();
    }

    @Test
    void staticAttach_pinFails_errnoAndDetached() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        exporter.pinResult = Errno.EINVAL.neg();
        DmaBuf buf = export(exporter);
        List<DmaBuf.Attach> made = new ArrayList<>();

        inActor(() -> made.add(buf.attach(new Device("gpu1"))));

        assertThat(made.get(0).errno()).isEqualTo(Errno.EINVAL.neg());
        assertThat(buf.attachments()).isEmpty();
        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1", "detach gpu1");
    }

    @Test
    void staticAttach_mapFails_unpinsAndDetaches() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        exporter.mapResult = Errno.EOPNOTSUPP.neg();
        DmaBuf buf = export(exporter);
        List<DmaBuf.Attach> made = new ArrayList<>();

        inActor(() -> made.add(buf.attach(new Device("gpu1"))));

        assertThat(made.get(0).errno()).isEqualTo(Errno.EOPNOTSUPP.neg());
        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1", "map gpu1 BIDIRECTIONAL", "unpin gpu1",
                "detach gpu1");
    }

    @Test
    void mapAttachment_cachedBidirectional_sameTableForEveryDirection() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();
        List<DmaBuf.Mapped> maps = new ArrayList<>();

        inActor(() -> {
            resv.lock();
            maps.add(buf.mapAttachment(attach, DmaDataDirection.TO_DEVICE));
            maps.add(buf.mapAttachment(attach, DmaDataDirection.FROM_DEVICE));
            resv.unlock();
        });

        assertThat(maps).extracting(DmaBuf.Mapped::sgt).containsOnly(attach.cachedSgt());
    }

    @Test
    void mapAttachment_cachedOneDirection_otherDirectionEbusy() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        DmaBufAttachment attach = buf.dynamicAttach(new Device("gpu1"), new Importer(true)).attachment();
        attach.cache(attach.cachedSgt(), DmaDataDirection.TO_DEVICE); // as an exporter's cache_sgt_mapping would
        List<DmaBuf.Mapped> maps = new ArrayList<>();

        inActor(() -> {
            resv.lock();
            maps.add(buf.mapAttachment(attach, DmaDataDirection.FROM_DEVICE));
            maps.add(buf.mapAttachment(attach, DmaDataDirection.TO_DEVICE));
            resv.unlock();
        });

        assertThat(maps.get(0).errno()).as("§13.6: two directions on one attachment").isEqualTo(Errno.EBUSY.neg());
        assertThat(maps.get(1).sgt()).isSameAs(attach.cachedSgt());
    }

    @Test
    void unmapAttachment_cachedTable_keptUntilDetachWhichUnmapsAndUnpins() {
        TestExporter exporter = new TestExporter(kernel, 2, true);
        DmaBuf buf = export(exporter);

        inActor(() -> {
            DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
            DmaBuf.Mapped mapped = buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            assertThat(mapped.sgt()).as("a static importer maps without the lock: the cached table")
                    .isSameAs(attach.cachedSgt());
            buf.unmapAttachment(attach, mapped.sgt(), DmaDataDirection.BIDIRECTIONAL);
            assertThat(attach.isMapped()).as("the cached table stays").isTrue();
            buf.detach(attach);
        });

        assertThat(exporter.calls).containsExactly("attach gpu1", "pin gpu1", "map gpu1 BIDIRECTIONAL",
                "unmap gpu1 BIDIRECTIONAL", "unpin gpu1", "detach gpu1");
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
    void mapAttachment_staticImporterStaticExporter_waitsForTheMoveFence() {
        DmaBuf buf = export(new TestExporter(kernel, 2, false));
        DmaBufAttachment attach = buf.attach(new Device("gpu1")).attachment();
        DmaFence move = new DmaFence(sim, "move");
        resv.addFence(move, DmaResv.Usage.KERNEL);
        List<String> order = new ArrayList<>();
        sim.spawn("importer", () -> {
            buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
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
