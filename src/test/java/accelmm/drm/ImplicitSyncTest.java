package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaFence;
import accelmm.dmabuf.DmaResv;
import accelmm.mm.MemoryAccess;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jobs and {@code dma_resv}: the usages their fences get, and the order implicit sync gives. */
class ImplicitSyncTest {

    private static final long SRC = 0x100000;
    private static final long DST = 0x200000;

    /** The test actor runs whenever it can: the engine only when the test waits. */
    private final DrmFixture fx = new DrmFixture(Designs.of(UserptrDesign.HMM),
            new HandOver("test", List.of("no such point"), "nobody"), true);
    private final Task a = fx.process("A");

    @Test
    void usageRw_writerWaitsForReaders_readerForWriters() {
        assertThat(DmaResv.usageRw(true)).isEqualTo(DmaResv.Usage.READ);
        assertThat(DmaResv.usageRw(false)).isEqualTo(DmaResv.Usage.WRITE);
    }

    @Test
    void copy_addsWriteFenceToDestinationAndReadFenceToSource() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            GemObject src = f.object(DrmFixture.boundBo(f, vm, SRC, 1));
            GemObject dst = f.object(DrmFixture.boundBo(f, vm, DST, 1));
            int q = f.execQueueCreate(a, vm);

            DmaFence job = ((Submission.Queued) f.exec(q, new JobSpec.Copy(SRC, DST, PAGE))).fence();

            assertThat(dst.resv().unsignaled(DmaResv.Usage.WRITE)).containsExactly(job);
            assertThat(src.resv().unsignaled(DmaResv.Usage.WRITE)).isEmpty();
            assertThat(src.resv().unsignaled(DmaResv.Usage.READ)).containsExactly(job);
            job.waitSignaled();
            assertThat(src.resv().testSignaled(DmaResv.Usage.BOOKKEEP)).isTrue();
        });
    }

    @Test
    void writerThenReader_readerRunsAfterTheWriterSignalled() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int vm = f.vmCreate();
            GemObject shared = f.object(DrmFixture.boundBo(f, vm, SRC, 2));
            DrmFixture.boundBo(f, vm, DST, 2);
            int q = f.execQueueCreate(a, vm);

            DmaFence writer = ((Submission.Queued) f.exec(q, new JobSpec.Fill(SRC, 2L * PAGE, (byte) 9))).fence();
            DmaFence reader = ((Submission.Queued) f.exec(q, new JobSpec.Copy(SRC, DST, 2L * PAGE))).fence();

            assertThat(shared.resv().unsignaled(DmaResv.usageRw(false))).as("what the reader waits for")
                    .containsExactly(writer);
            assertThat(shared.resv().unsignaled(DmaResv.usageRw(true))).as("what a later writer would wait for")
                    .containsExactly(writer, reader);
            reader.waitSignaled();
        });
        List<MemoryAccess> accesses = fx.deviceAccesses;
        int lastWrite = -1;
        int firstRead = Integer.MAX_VALUE;
        for (int i = 0; i < accesses.size(); i++) {
            MemoryAccess access = accesses.get(i);
            if (access.through().startsWith("gpu va 0x10") && access.write()) {
                lastWrite = i;
            } else if (access.through().startsWith("gpu va 0x10")) {
                firstRead = Math.min(firstRead, i);
            }
        }
        assertThat(lastWrite).isLessThan(firstRead);
    }
}
