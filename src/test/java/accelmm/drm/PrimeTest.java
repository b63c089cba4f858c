package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import org.junit.jupiter.api.Test;

/**
 * {@code DRM_IOCTL_PRIME_HANDLE_TO_FD} and {@code DRM_IOCTL_PRIME_FD_TO_HANDLE} on one device:
 * argument checks and errno values, one dma-buf per object, and the per-file dedup of PSI-1.
 */
class PrimeTest {

    private final DrmFixture fx = new DrmFixture(Designs.defaults());

    private static DmaBuf dmaBuf(Task task, int fd) {
        File f = task.files().lookup(fd);
        assertThat(f).as("fd %d", fd).isNotNull();
        assertThat(f.privateData()).isInstanceOf(DmaBuf.class);
        return (DmaBuf) f.privateData();
    }

    @Test
    void handleToFd_firstExport_newDmaBufFdHoldingTheObject() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(4 * PAGE);
            GemObject obj = f.object(bo);

            int fd = f.primeHandleToFd(a, bo, false, false);

            assertThat(fd).isPositive();
            DmaBuf buf = dmaBuf(a, fd);
            assertThat(buf.sizeBytes()).isEqualTo(4 * PAGE);
            assertThat(PrimeExport.of(buf).object()).as("dma_buf->priv").isSameAs(obj);
            assertThat(obj.dmaBuf()).as("obj->dma_buf").isSameAs(buf);
            assertThat(obj.refCount()).as("handle and dma-buf").isEqualTo(2);
            assertThat(buf.refCount()).as("fd, obj->dma_buf, prime cache entry").isEqualTo(3);
        });
    }

    @Test
    void handleToFd_again_newFdForTheSameDmaBuf() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);

            int fd1 = f.primeHandleToFd(a, bo, false, false);
            int fd2 = f.primeHandleToFd(a, bo, false, false);

            assertThat(fd2).isNotEqualTo(fd1);
            assertThat(a.files().lookup(fd2)).isSameAs(a.files().lookup(fd1));
            assertThat(dmaBuf(a, fd1).refCount()).isEqualTo(4);
        });
    }

    @Test
    void handleToFd_fromAnotherFileOfTheSameObject_sameDmaBuf() {
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            DrmFile fb = fx.open(b);
            int bo = fa.gemCreate(PAGE);
            int fdA = fa.primeHandleToFd(a, bo, false, false);
            int fdB = b.installFile(a.fget(fdA), false);
            int hb = fb.primeFdToHandle(b, fdB);

            int again = fb.primeHandleToFd(b, hb, false, false);

            assertThat(b.files().lookup(again)).isSameAs(a.files().lookup(fdA));
        });
    }

    @Test
    void handleToFd_unknownFlag_einvalBeforeTheHandleIsLookedUp() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);

            assertThat(f.primeHandleToFd(a, bo, 0x8)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.primeHandleToFd(a, 99, PrimeIoctl.DRM_CLOEXEC | 0x100)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.primeHandleToFd(a, bo, PrimeIoctl.DRM_CLOEXEC | PrimeIoctl.DRM_RDWR)).isPositive();
        });
    }

    @Test
    void handleToFd_closedHandle_enoent() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);
            f.gemClose(bo);

            assertThat(f.primeHandleToFd(a, bo, false, false)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.primeHandleToFd(a, 42, false, false)).isEqualTo(Errno.ENOENT.neg());
        });
    }

    @Test
    void handleToFd_cloexec_setOnTheNewFdOnly() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);

            int plain = f.primeHandleToFd(a, bo, false, false);
            int cloexec = f.primeHandleToFd(a, bo, true, false);

            assertThat(a.files().isCloexec(plain)).isFalse();
            assertThat(a.files().isCloexec(cloexec)).isTrue();
        });
    }

    @Test
    void handleToFd_rdwr_writableFile_otherwiseReadOnly() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int ro = f.gemCreate(PAGE);
            int rw = f.gemCreate(PAGE);

            DmaBuf roBuf = dmaBuf(a, f.primeHandleToFd(a, ro, false, false));
            DmaBuf rwBuf = dmaBuf(a, f.primeHandleToFd(a, rw, false, true));

            assertThat(roBuf.file().readable()).isTrue();
            assertThat(roBuf.writable()).isFalse();
            assertThat(rwBuf.writable()).isTrue();
        });
    }

    @Test
    void handleToFd_rdwrOnReExport_keepsTheFirstExportsMode() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);
            f.primeHandleToFd(a, bo, false, false);

            DmaBuf again = dmaBuf(a, f.primeHandleToFd(a, bo, false, true));

            assertThat(again.writable()).as("the buffer exists: DRM_RDWR only matters at dma_buf_export").isFalse();
        });
    }

    @Test
    void fdToHandle_onTheExportersFile_theExportersOwnHandle() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            f.gemCreate(PAGE);
            int bo = f.gemCreate(PAGE);
            int fd = f.primeHandleToFd(a, bo, false, false);
            GemObject obj = f.object(bo);

            assertThat(f.primeFdToHandle(a, fd)).isEqualTo(bo);
            assertThat(obj.handleCount()).as("no new handle").isEqualTo(1);
        });
    }

    @Test
    void fdToHandle_twiceInOneFile_sameHandle() {
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            DrmFile fb = fx.open(b);
            int bo = fa.gemCreate(PAGE);
            int fd = fa.primeHandleToFd(a, bo, false, false);
            int fdB = b.installFile(a.fget(fd), false);
            int fdB2 = b.installFile(a.fget(fd), false);

            int h1 = fb.primeFdToHandle(b, fdB);
            int h2 = fb.primeFdToHandle(b, fdB);
            int h3 = fb.primeFdToHandle(b, fdB2);

            assertThat(h1).isPositive();
            assertThat(h2).isEqualTo(h1);
            assertThat(h3).as("another fd of the same dma-buf").isEqualTo(h1);
            assertThat(fa.object(bo).handleCount()).isEqualTo(2);
        });
    }

    @Test
    void fdToHandle_otherFileOfTheExportingDevice_theExportersObject_DBM1() {
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            DrmFile fa = fx.open(a);
            DrmFile fb = fx.open(b);
            int bo = fa.gemCreate(PAGE);
            int fd = b.installFile(a.fget(fa.primeHandleToFd(a, bo, false, false)), false);

            int h = fb.primeFdToHandle(b, fd);

            assertThat(fb.object(h)).as("DBM-1: the same object, no attachment").isSameAs(fa.object(bo));
            assertThat(fb.obtained(fa.object(bo))).isTrue();
        });
    }

    @Test
    void fdToHandle_badFd_ebadf_notADmaBuf_einval() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int drmFd = a.files().openFds().get(0);

            assertThat(f.primeFdToHandle(a, 77)).isEqualTo(Errno.EBADF.neg());
            assertThat(f.primeFdToHandle(a, drmFd)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void fdToHandle_afterTheExporterClosedItsHandle_selfImportRevivesAHandle() {
        Task a = fx.process("A");
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);
            GemObject obj = f.object(bo);
            int fd = f.primeHandleToFd(a, bo, false, false);
            f.gemClose(bo);
            assertThat(obj.dmaBuf()).as("the last handle dropped obj->dma_buf").isNull();

            int h = f.primeFdToHandle(a, fd);

            assertThat(f.object(h)).isSameAs(obj);
            assertThat(obj.dmaBuf()).isSameAs(dmaBuf(a, fd));
            assertThat(f.primeHandleToFd(a, h, false, false)).as("re-export").isPositive();
            assertThat(a.files().lookup(f.primeHandleToFd(a, h, false, false))).isSameAs(a.files().lookup(fd));
        });
    }

    @Test
    void fileRelease_deviceGlobal_cachedHandleOfAnotherFile_droppedAndNothingLeft() {
        DrmFixture global = new DrmFixture(Designs.of(HandlesDesign.DEVICE_GLOBAL));
        Task a = global.process("A");
        Task b = global.process("B");
        global.run(() -> {
            DrmFile fa = global.open(a);
            DrmFile fb = global.open(b);
            int bo = fa.gemCreate(PAGE);
            int fd = fb.primeHandleToFd(b, bo, false, false); // B exports A's handle
            assertThat(fd).isPositive();
            fa.gemClose(bo);

            b.exit();
            a.exit();
        });
        global.assertNothingLeft();
    }
}
