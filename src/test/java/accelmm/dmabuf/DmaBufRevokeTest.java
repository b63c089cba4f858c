package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dma_buf_invalidate_mappings}, {@code dma_buf_attach_revocable} and the revoke sequence
 * the core documents for exporters, as merged for Linux 7.1 (KERNEL-SEMANTICS RVK-01, RVK-02).
 */
class DmaBufRevokeTest {

    private static final long PAGE = 4096;

    private final Simulation sim = new Simulation(new RandomChoiceSource(4));
    private final Kernel kernel = new Kernel(sim, Designs.defaults());
    private final DmaResv resv = new DmaResv(kernel, "test");
    private final TestExporter exporter = new TestExporter(kernel, 1, true);
    private final DmaBuf buf = DmaBuf.export(kernel, exporter, resv, PAGE, true);
    private final List<String> events = new ArrayList<>();

    private record Device(String name) implements DmaDevice {
        @Override
        public boolean peerToPeer() {
            return true;
        }
    }

    /** A dynamic importer that keeps one mapping and, if it has the callback, drops it when told. */
    private final class Importer implements DmaBufImporterOps {
        final boolean callback;
        DmaBufAttachment attach;
        SgTable sgt;

        Importer(boolean callback) {
            this.callback = callback;
        }

        @Override
        public boolean allowPeer2peer() {
            return true;
        }

        @Override
        public boolean invalidatesMappings() {
            return callback;
        }

        @Override
        public void invalidateMappings(DmaBufAttachment attach) {
            events.add("invalidate " + attach.dev().name());
        }

        void map() {
            resv.lock();
            sgt = buf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL).sgt();
            resv.unlock();
        }

        void unmap() {
            resv.lock();
            buf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            resv.unlock();
            events.add("unmapped " + attach.dev().name());
        }
    }

    private Importer attach(String dev, boolean callback) {
        Importer importer = new Importer(callback);
        importer.attach = buf.dynamicAttach(new Device(dev), importer).attachment();
        return importer;
    }

    @Test
    void dynamicAttach_withoutInvalidateMappings_notRevocable_RVK01() {
        Importer without = attach("rdma0", false);

        assertThat(without.attach).as("7.1: the callback is optional, the attach succeeds").isNotNull();
        assertThat(DmaBuf.attachRevocable(without.attach)).isFalse();
    }

    @Test
    void dynamicAttach_withInvalidateMappings_revocable_RVK01() {
        assertThat(DmaBuf.attachRevocable(attach("gpu1", true).attach)).isTrue();
    }

    @Test
    void staticAttach_noImporterOps_notRevocable_RVK01() {
        List<DmaBufAttachment> made = new ArrayList<>();
        sim.spawn("importer", () -> made.add(buf.attach(new Device("gpu2")).attachment()));
        sim.run();

        assertThat(DmaBuf.attachRevocable(made.get(0))).isFalse();
    }

    @Test
    void invalidateMappings_callsOnlyImportersWithTheCallback_newestFirst() {
        attach("gpu1", true);
        attach("rdma0", false);
        attach("gpu2", true);

        sim.spawn("exporter", () -> {
            resv.lock();
            buf.invalidateMappings();
            resv.unlock();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        // dma_buf_dynamic_attach list_add()s at the head; dma_buf_invalidate_mappings walks from it
        assertThat(events).containsExactly("invalidate gpu2", "invalidate gpu1");
    }

    @Test
    void invalidateMappings_withoutResvLock_isAModelBug() {
        attach("gpu1", true);
        List<Throwable> thrown = new ArrayList<>();
        sim.spawn("exporter", () -> {
            try {
                buf.invalidateMappings();
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        });
        sim.run();

        assertThat(thrown).hasSize(1);
        assertThat(events).isEmpty();
    }

    @Test
    void revoke_invalidatesWaitsForFencesThenForUnmaps_RVK02() {
        Importer importer = attach("gpu1", true);
        DmaFence job = new DmaFence(sim, "job");
        DmaFence mapped = new DmaFence(sim, "mapped");
        resv.addFence(job, DmaResv.Usage.BOOKKEEP);
        sim.spawn("importer", () -> {
            importer.map();
            mapped.signal();
            job.waitSignaled(); // lets go once its job is over
            importer.unmap();
        });
        sim.spawn("exporter", () -> {
            mapped.waitSignaled();
            buf.revoke();
            events.add("revoked");
        });
        sim.spawn("gpu", () -> {
            mapped.waitSignaled();
            events.add("job done");
            job.signal();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(events).containsSubsequence("job done", "unmapped gpu1", "revoked");
        assertThat(buf.isRevoked()).isTrue();
    }

    @Test
    void revoke_holdsTheLockUntilTheFencesSignal_RVK02() {
        attach("gpu1", true);
        DmaFence job = new DmaFence(sim, "job");
        resv.addFence(job, DmaResv.Usage.BOOKKEEP);
        sim.spawn("exporter", buf::revoke);
        sim.spawn("importer", () -> {
            resv.lock();
            events.add("revoked=" + buf.isRevoked() + " job=" + (job.isSignaled() ? "done" : "running"));
            resv.unlock();
        });
        sim.spawn("gpu", job::signal);

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(events).as("the lock is held from the mark to the end of the fence wait")
                .doesNotContain("revoked=true job=running");
    }

    @Test
    void mapAttachment_revoked_enodev_RVK03() {
        Importer importer = attach("gpu1", true);
        List<Integer> errno = new ArrayList<>();
        sim.spawn("exporter", () -> {
            buf.revoke();
            resv.lock();
            errno.add(buf.mapAttachment(importer.attach, DmaDataDirection.BIDIRECTIONAL).errno());
            resv.unlock();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(errno).containsExactly(Errno.ENODEV.neg());
    }

    @Test
    void mmap_revoked_enodevBeforeTheExporter_RVK03() {
        Task task = kernel.createProcess("A", 1000);
        List<Long> ret = new ArrayList<>();
        sim.spawn("exporter", () -> {
            buf.revoke();
            int fd = buf.fd(task, false);
            ret.add(task.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd, 0));
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(ret).containsExactly((long) Errno.ENODEV.neg());
        assertThat(exporter.calls).doesNotContain("mmap");
    }

    @Test
    void revoke_importerThatNeverUnmaps_waitsForever_RVK02() {
        Importer pinned = attach("rdma0", false);
        DmaFence mapped = new DmaFence(sim, "mapped");
        sim.spawn("importer", () -> {
            pinned.map();
            mapped.signal();
        });
        sim.spawn("exporter", () -> {
            mapped.waitSignaled();
            buf.revoke();
        });

        assertThat(sim.run()).as("a pinned importer without the callback unmaps only when its owner lets go")
                .isInstanceOf(Outcome.Deadlock.class);
        assertThat(events).isEmpty();
    }
}
