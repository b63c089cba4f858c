package accelmm.accel;

import static accelmm.accel.AccelFixture.PAGE;
import static accelmm.accel.AccelFixture.alloc;
import static accelmm.accel.AccelFixture.export;
import static accelmm.accel.AccelFixture.fpriv;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/**
 * The compute device file of a habanalabs-style accelerator: {@code hl_device_open}'s exclusivity
 * (habanalabs_drv.c, KERNEL-SEMANTICS HL-01) and the memory ioctl's ALLOC and FREE (memory.c,
 * HL-02..04).
 */
class HlDeviceTest {

    private final AccelFixture f = new AccelFixture();
    private final Task a = f.process("A");
    private final Task b = f.process("B");

    @Test
    void open_secondWhileContextLives_EBUSY_HL01() {
        f.run(() -> {
            f.open(a);

            assertThat(f.acc.open(b, false)).isEqualTo(Errno.EBUSY.neg());
        });
    }

    @Test
    void open_sameProcessTwice_EBUSY_HL01() {
        f.run(() -> {
            f.open(a);

            assertThat(f.acc.open(a, false)).isEqualTo(Errno.EBUSY.neg());
        });
    }

    @Test
    void open_afterTheFileWasClosed_succeeds_HL01() {
        f.run(() -> {
            int fd = f.open(a);
            a.close(fd);

            int fdB = f.acc.open(b, false);

            assertThat(fdB).isNotNegative();
            b.close(fdB);
            f.assertNothingLeft();
        });
    }

    @Test
    void open_exclusiveEvenWhenTheFirstFileIsSharedByFdPassing_EBUSY_HL01() {
        // One compute context per device: a second file is refused, not a second process.
        f.run(() -> {
            int fd = f.open(a);
            int passed = b.installFile(a.fget(fd), false);
            a.close(fd);

            assertThat(f.acc.open(a, false)).isEqualTo(Errno.EBUSY.neg());
            assertThat(alloc(b, passed, 1)).as("the passed file still has the context").isEqualTo(1);
        });
    }

    @Test
    void memAlloc_sizeZero_EINVAL_HL03() {
        f.run(() -> {
            int fd = f.open(a);

            assertThat(fpriv(a, fd).memAlloc(0)).isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void memAlloc_roundsUpToPages_andFailsWhenTheDeviceMemoryIsFull_ENOMEM() {
        f.run(() -> {
            int fd = f.open(a);
            HlFpriv hpriv = fpriv(a, fd);

            assertThat(hpriv.memAlloc(1)).isEqualTo(1);
            assertThat(hpriv.memAlloc((1L << 20) - PAGE)).isEqualTo(2);
            assertThat(hpriv.memAlloc(1)).isEqualTo(Errno.ENOMEM.neg());
            assertThat(hpriv.memAlloc(-1)).as("a __u64 size past the device").isEqualTo(Errno.ENOMEM.neg());
        });
    }

    @Test
    void memAlloc_handleIsLowestFreeFromOne_HL03() {
        // idr_alloc(&vm->phys_pg_pack_handles, .., 1, 0) in alloc_device_memory.
        f.run(() -> {
            int fd = f.open(a);
            long h1 = alloc(a, fd, 1);
            long h2 = alloc(a, fd, 1);
            assertThat(fpriv(a, fd).memFree(h1)).isZero();

            assertThat(alloc(a, fd, 1)).isEqualTo(h1);
            assertThat(h2).isEqualTo(2);
        });
    }

    @Test
    void memAlloc_afterAFree_getsTheFreedFramesInTheirOrder() {
        // What makes the seed's attack work under a design that frees exported memory.
        f.run(() -> {
            int fd = f.open(a);
            long h = alloc(a, fd, 3);
            HlPhysPgPack first = fpriv(a, fd).ctx().node(h).pack();
            var frames = first.frameRefs().stream().map(r -> r.frame()).toList();
            assertThat(fpriv(a, fd).memFree(h)).isZero();

            long again = alloc(a, fd, 3);

            var reused = fpriv(a, fd).ctx().node(again).pack().frameRefs();
            assertThat(reused).extracting(r -> r.frame()).containsExactlyElementsOf(frames);
        });
    }

    @Test
    void memFree_unknownHandle_EINVAL_HL04() {
        f.run(() -> {
            int fd = f.open(a);
            long h = alloc(a, fd, 1);

            assertThat(fpriv(a, fd).memFree(h + 1)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fpriv(a, fd).memFree(1L << 32)).as("past the __u32 handle").isEqualTo(Errno.EINVAL.neg());
            assertThat(fpriv(a, fd).memFree(h)).isZero();
            assertThat(fpriv(a, fd).memFree(h)).as("freed already").isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void memFree_whileExported_EINVAL_HL04() {
        f.run(() -> {
            int fd = f.open(a);
            long h = alloc(a, fd, 1);
            int db = export(a, fd, h);

            assertThat(fpriv(a, fd).memFree(h)).isEqualTo(Errno.EINVAL.neg());

            a.close(db);
            assertThat(fpriv(a, fd).memFree(h)).as("after the dma-buf's release").isZero();
        });
    }

    @Test
    void close_lastFile_freesTheContextsMemory() {
        f.run(() -> {
            int fd = f.open(a);
            alloc(a, fd, 2);

            a.close(fd);

            f.assertNothingLeft();
        });
    }
}
