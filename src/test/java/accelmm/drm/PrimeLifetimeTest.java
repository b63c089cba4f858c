package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.Errno;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How long an exported object lives (13.4: fds, mmaps and importers each hold the dma-buf;
 * closing the GEM handle does not kill an exported buffer), and CPU mmap of a dma-buf
 * ({@code dma_buf_mmap_internal}: -EINVAL past the end; a writable shared mapping needs an
 * {@code O_RDWR} export, else -EACCES).
 */
class PrimeLifetimeTest {

    private final DrmFixture fx = new DrmFixture(Designs.defaults());

    /** An object of {@code pages} pages holding {@code text} in its first page, exported from {@code f}; returns the dma-buf fd. */
    private static int exported(Task task, DrmFile f, int drmFd, int pages, String text, boolean rdwr) {
        int bo = f.gemCreate((long) pages * PAGE);
        long p = DrmFixture.mmapBo(task, drmFd, f, bo, pages);
        DrmFixture.write(task, p, text);
        assertThat(task.munmap(p, (long) pages * PAGE)).isZero();
        int fd = f.primeHandleToFd(task, bo, false, rdwr);
        assertThat(fd).as("prime_handle_to_fd").isPositive();
        return fd;
    }

    private static int drmFd(Task task) {
        return task.files().openFds().get(0);
    }

    @Test
    void gemClose_exportedObject_survivesWhileTheFdIsOpen_thenFreed() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 2, "kept", false);
            GemObject obj = f.object(1);
            DmaBuf buf = (DmaBuf) a.files().lookup(fd).privateData();

            assertThat(f.gemClose(1)).isZero();

            assertThat(obj.isFreed()).isFalse();
            assertThat(obj.handleCount()).isZero();
            assertThat(obj.refCount()).as("the dma-buf's").isEqualTo(1);
            assertThat(buf.refCount()).as("only the fd: cache entry and obj->dma_buf went with the handle").isEqualTo(1);
            assertThat(fx.boContents(obj, 0, 4)).isEqualTo("kept");
            assertThat(fx.gpu.liveObjects()).containsExactly("gpu0 gem object 1 (8K) held by " + buf.label());

            assertThat(a.close(fd)).isZero();

            assertThat(obj.isFreed()).isTrue();
            assertThat(buf.isReleased()).isTrue();
            assertThat(fx.gpu.liveObjects()).isEmpty();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("frames").isZero();
        });
    }

    /** The reference that goes last in {@link #lastReference_goes_objectAndFramesFreed}. */
    enum Last { FD, MAPPING, HANDLE }

    @ParameterizedTest
    @EnumSource(Last.class)
    void lastReference_goes_objectAndFramesFreed(Last last) {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 1, "x", false);
            GemObject obj = f.object(1);
            long m = a.mmap(0, PAGE, Prot.READ, true, false, fd, 0);
            assertThat(m).isPositive();
            assertThat(DrmFixture.read(a, m, 1)).isEqualTo("x");

            Runnable dropFd = () -> assertThat(a.close(fd)).isZero();
            Runnable dropMapping = () -> assertThat(a.munmap(m, PAGE)).isZero();
            Runnable dropHandle = () -> assertThat(f.gemClose(1)).isZero();
            for (Last other : Last.values()) {
                if (other != last) {
                    (other == Last.FD ? dropFd : other == Last.MAPPING ? dropMapping : dropHandle).run();
                }
            }
            assertThat(obj.isFreed()).as("alive while its %s is", last).isFalse();
            (last == Last.FD ? dropFd : last == Last.MAPPING ? dropMapping : dropHandle).run();

            assertThat(obj.isFreed()).isTrue();
            assertThat(fx.gpu.liveObjects()).isEmpty();
            assertThat(fx.kernel.physicalMemory().allocatedCount()).as("frames").isZero();
        });
        a.exit();
        fx.assertNothingLeft();
    }

    @Test
    void processExit_exporterAndImporter_nothingLeft() {
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            int fd = exported(a, fa, drmFd(a), 1, "shared", false);
            int fdB = b.installFile(a.fget(fd), false);
            DrmFile fb = fx.open(b);
            int h = fb.primeFdToHandle(b, fdB);
            assertThat(b.mmap(0, PAGE, Prot.READ, true, false, fdB, 0)).isPositive();
            a.exit();
            assertThat(fb.object(h).isFreed()).isFalse();
            b.exit();
        });
        fx.assertNothingLeft();
    }

    @Test
    void mmap_privateMappingOfDmaBuf_isEinval() {
        // dma_buf_mmap_internal passes any mapping to the exporter; drm_gem_prime_mmap calls the
        // object's mmap, ttm_bo_mmap_obj, which refuses COW mappings.
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 1, "rw", true);

            assertThat(a.mmap(0, PAGE, Prot.READ, false, false, fd, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mmap(0, PAGE, Prot.READ, true, false, fd, 0)).isPositive();
        });
    }

    @Test
    void mmap_readOnlyExport_writableSharedMapping_eacces_readOnlyMapsAndReads() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 1, "ro", false);

            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd, 0)).isEqualTo(Errno.EACCES.neg());
            long m = a.mmap(0, PAGE, Prot.READ, true, false, fd, 0);

            assertThat(DrmFixture.read(a, m, 2)).isEqualTo("ro");
            assertThat(a.write(m, DrmFixture.bytes("no"), null)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void mmap_rdwrExport_writesReachTheExportersPages() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 2, "old", true);
            long m = a.mmap(0, 2L * PAGE, Prot.READ_WRITE, true, false, fd, 0);

            DrmFixture.write(a, m + PAGE, "new");

            assertThat(fx.boContents(f.object(1), 1, 3)).isEqualTo("new");
            assertThat(f.object(1).cpuMappingCount()).isEqualTo(1);
        });
    }

    @Test
    void mmap_pastTheEnd_einval() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 2, "x", false);

            assertThat(a.mmap(0, 3L * PAGE, Prot.READ, true, false, fd, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mmap(0, 2L * PAGE, Prot.READ, true, false, fd, PAGE)).isEqualTo(Errno.EINVAL.neg());
            long tail = a.mmap(0, PAGE, Prot.READ, true, false, fd, PAGE);
            assertThat(tail).as("the last page alone fits").isPositive();
            assertThat(a.files().lookup(fd).refCount()).as("fd, cache, obj->dma_buf, the mapping").isEqualTo(4);
        });
    }

    @Test
    void fileRelease_exporterFile_dropsItsCacheEntries_dmaBufKeepsTheObject() {
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int fd = exported(a, f, drmFd(a), 1, "x", false);
            GemObject obj = f.object(1);
            int fdB = b.installFile(a.fget(fd), false);

            a.exit();

            assertThat(f.isReleased()).isTrue();
            assertThat(obj.isFreed()).isFalse();
            assertThat(b.files().lookup(fdB).refCount()).isEqualTo(1);
            b.exit();
            assertThat(obj.isFreed()).isTrue();
        });
        fx.assertNothingLeft();
    }
}
