package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.TestFiles.CountingFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a file's release runs after its last {@code fput} (fs/file_table.c): task work of the
 * user thread that dropped it, run on its return to user space or in {@code exit_task_work}
 * after {@code exit_mm} and {@code exit_files} (kernel/exit.c {@code do_exit}); from any other
 * context, the {@code delayed_fput} worker.
 */
class DeferredFputTest {

    private final MmFixture fx = new MmFixture();

    @Test
    void fput_lastReferenceFromUserTask_releasesAtReturnToUser() {
        Task p = fx.process("P");
        fx.kernel.deferredFput().trackContexts();
        fx.run(() -> {
            fx.kernel.deferredFput().userThreadStarted();
            CountingFile f = new CountingFile();
            int fd = p.installFile(fx.kernel.openFile(f, true, true, null), false);

            p.close(fd);

            assertThat(f.releases).as("queued as task work").isZero();
            assertThat(fx.kernel.openFiles()).hasSize(1);
            fx.kernel.deferredFput().returnToUser();
            assertThat(f.releases).isEqualTo(1);
            assertThat(fx.kernel.openFiles()).isEmpty();
        });
    }

    @Test
    void fput_lastReferenceFromKernelThread_releasesInTheDelayedFputWorker() {
        Task p = fx.process("P");
        fx.kernel.deferredFput().trackContexts();
        CountingFile f = new CountingFile();
        List<String> releasedBy = new ArrayList<>();
        f.onRelease.add(() -> releasedBy.add(fx.sim.current().name()));
        fx.run(() -> {
            int fd = p.installFile(fx.kernel.openFile(f, true, true, null), false);

            p.close(fd);

            assertThat(f.releases).isZero();
        });
        assertThat(releasedBy).containsExactly("delayed_fput");
    }

    @Test
    void exit_filesDroppedByExitMmAndExitFiles_releasedInExitTaskWork() {
        Task p = fx.process("P");
        fx.kernel.deferredFput().trackContexts();
        fx.run(() -> {
            fx.kernel.deferredFput().userThreadStarted();
            int fd = fx.openMemfd(p);
            MmFixture.mmapFile(p, fd, 1, true, 0);

            p.exit();

            assertThat(fx.kernel.openFiles()).as("exit_mm and exit_files only queue it").hasSize(1);
            fx.kernel.deferredFput().exitTaskWork();
            assertThat(fx.kernel.openFiles()).isEmpty();
        });
    }

    @Test
    void fput_afterExitTaskWork_goesToDelayedFput() {
        Task p = fx.process("P");
        fx.kernel.deferredFput().trackContexts();
        CountingFile f = new CountingFile();
        List<String> releasedBy = new ArrayList<>();
        f.onRelease.add(() -> releasedBy.add(fx.sim.current().name()));
        fx.run(() -> {
            fx.kernel.deferredFput().userThreadStarted();
            File file = fx.kernel.openFile(f, true, true, null);
            fx.kernel.deferredFput().exitTaskWork();

            file.put();

            assertThat(f.releases).isZero();
        });
        assertThat(releasedBy).containsExactly("delayed_fput");
    }

    @Test
    void fput_untrackedContexts_releasesAtOnce() {
        fx.run(() -> {
            CountingFile f = new CountingFile();

            fx.kernel.openFile(f, true, true, null).put();

            assertThat(f.releases).isEqualTo(1);
        });
    }
}
