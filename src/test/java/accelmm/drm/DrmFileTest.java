package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/** Opening and releasing DRM files, the fd lookup, and per-file GEM handles. */
class DrmFileTest {

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");

    @Test
    void open_installsDrmFileAtLowestFreeFd() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);

            assertThat(fd).isZero();
            assertThat(DrmFd.lookup(a, fd)).isInstanceOf(DrmFd.Open.class);
            assertThat(a.files().isCloexec(fd)).isFalse();
            assertThat(fx.kernel.openFiles()).hasSize(1);
        });
    }

    @Test
    void open_cloexec_setsCloseOnExec() {
        fx.run(() -> assertThat(a.files().isCloexec(fx.gpu.open(a, true))).isTrue());
    }

    @Test
    void lookup_fdNotOpen_isEbadf() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            assertThat(a.close(fd)).isZero();

            assertThat(DrmFd.lookup(a, fd)).isEqualTo(new DrmFd.Bad(Errno.EBADF.neg()));
            int ret = DrmFd.ioctl(a, fd, DrmFile::vmCreate, e -> e);
            assertThat(ret).isEqualTo(Errno.EBADF.neg());
        });
    }

    @Test
    void lookup_openFileThatIsNotDrm_isEnotty() {
        fx.run(() -> {
            File plain = fx.kernel.openFile(new FileOperations() {
                @Override
                public void release(File file) {
                }

                @Override
                public String name() {
                    return "plain";
                }
            }, true, true, null);
            int fd = a.installFile(plain, false);

            assertThat(DrmFd.lookup(a, fd)).isEqualTo(new DrmFd.Bad(Errno.ENOTTY.neg()));
            int ret = DrmFd.ioctl(a, fd, DrmFile::vmCreate, e -> e);
            assertThat(ret).isEqualTo(Errno.ENOTTY.neg());
        });
    }

    @Test
    void ioctl_drmFd_runsTheOperationAndDropsItsReference() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            File file = a.files().lookup(fd);

            int ret = DrmFd.ioctl(a, fd, DrmFile::vmCreate, e -> e);
            assertThat(ret).isEqualTo(1);
            assertThat(file.refCount()).isEqualTo(1);
        });
    }

    @Test
    void close_lastReference_releasesEverythingTheFileCreated() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int vm = f.vmCreate();
            DrmFixture.boundBo(f, vm, 0x200000, 2);
            int q = f.execQueueCreate(a, vm);
            DrmFixture.execAndWait(f, q, new JobSpec.Fill(0x200000, 2 * PAGE, (byte) 1));
            assertThat(fx.gpu.liveObjects()).hasSize(3);

            assertThat(a.close(fd)).isZero();

            assertThat(f.isReleased()).isTrue();
            fx.assertNothingLeft();
        });
    }

    @Test
    void handles_startAtOneAndArePrivateToEachFile() {
        fx.run(() -> {
            DrmFile f1 = fx.open(a);
            DrmFile f2 = fx.open(a);

            assertThat(f1.gemCreate(PAGE)).isEqualTo(1);
            assertThat(f2.gemCreate(PAGE)).isEqualTo(1);
            assertThat(f1.gemCreate(PAGE)).isEqualTo(2);
            assertThat(f1.object(1)).isNotSameAs(f2.object(1));
            assertThat(f1.vmCreate()).isEqualTo(1);
            assertThat(f2.vmCreate()).isEqualTo(1);
            assertThat(f1.execQueueCreate(a, 1)).isEqualTo(1);
            assertThat(f2.execQueueCreate(a, 1)).isEqualTo(1);
        });
    }

    @Test
    void gemClose_unknownHandle_isEinval() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);

            assertThat(f.gemClose(bo + 1)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemClose(bo)).isZero();
            assertThat(f.gemClose(bo)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fx.gpu.liveObjects()).isEmpty();
        });
    }

    @Test
    void ioctls_numberNoIdTableHolds_nameNothingRatherThanItsLow32Bits() {
        // 2^32 + 1 is 1 in its low 32 bits: the model passes IDs on as given, and no table
        // hands out IDs that high, so it is an unknown ID to every ioctl.
        fx.run(() -> {
            DrmFile f = fx.open(a);
            int bo = f.gemCreate(PAGE);
            int vm = f.vmCreate();
            long high = (1L << 32) + bo;

            assertThat(f.gemMmapOffset(high)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.vmBindMap(vm, high, 0, 0x100000, PAGE)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.execQueueCreate(a, (1L << 32) + vm)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.vmDestroy((1L << 32) + vm)).isEqualTo(Errno.ENOENT.neg());
            assertThat(f.gemClose(high)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.object(bo).isFreed()).isFalse();
        });
    }

    @Test
    void gemClose_handleOfAnotherFile_isEinvalAndLeavesItAlone() {
        fx.run(() -> {
            DrmFile f1 = fx.open(a);
            DrmFile f2 = fx.open(a);
            int bo = f1.gemCreate(PAGE);

            assertThat(f2.gemClose(bo)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f1.object(bo).isFreed()).isFalse();
        });
    }

    @Test
    void gemCreate_badSize_isEinval() {
        fx.run(() -> {
            DrmFile f = fx.open(a);

            assertThat(f.gemCreate(0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemCreate(PAGE + 1)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemCreate(-PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.gemCreate(8L << 30)).as("beyond the model's 4G").isEqualTo(Errno.ENOMEM.neg());
        });
    }

    @Test
    void gemMmapOffset_unknownHandle_isEnoent() {
        fx.run(() -> assertThat(fx.open(a).gemMmapOffset(3)).isEqualTo(Errno.ENOENT.neg()));
    }

    @Test
    void gemMmapOffset_isAFakeOffsetAbove4G_distinctPerObject() {
        fx.run(() -> {
            DrmFile f = fx.open(a);
            long first = f.gemMmapOffset(f.gemCreate(2 * PAGE));
            long second = f.gemMmapOffset(f.gemCreate(PAGE));

            assertThat(first).isEqualTo(1L << 32);
            assertThat(second).isEqualTo((1L << 32) + 2 * PAGE);
        });
    }

    @Test
    void mmap_offsetOfObjectWithoutHandleInThisFile_isEacces() {
        fx.run(() -> {
            DrmFile f1 = fx.open(a);
            int fd2 = fx.gpu.open(a, false);
            long offset = f1.gemMmapOffset(f1.gemCreate(PAGE));

            long ret = a.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd2, offset);

            assertThat(ret).isEqualTo(Errno.EACCES.neg());
        });
    }

    @Test
    void mmap_largerThanObjectOrUnknownOffset_isEinval() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            long offset = f.gemMmapOffset(f.gemCreate(PAGE));

            assertThat(a.mmap(0, 2 * PAGE, Prot.READ_WRITE, true, false, fd, offset)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd, offset + PAGE))
                    .isEqualTo(Errno.EINVAL.neg());
        });
    }

    @Test
    void mmap_privateMappingOfObject_isEinvalEvenReadOnly() {
        // ttm_bo_mmap_obj: is_cow_mapping -> -EINVAL (every MAP_PRIVATE mapping has VM_MAYWRITE);
        // vmf_insert_pfn would BUG on a COW VM_PFNMAP VMA.
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            long offset = f.gemMmapOffset(f.gemCreate(PAGE));

            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, false, false, fd, offset)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mmap(0, PAGE, Prot.READ, false, false, fd, offset)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.mm().vmas()).isEmpty();
            assertThat(a.mmap(0, PAGE, Prot.READ_WRITE, true, false, fd, offset)).isPositive();
        });
    }

    @Test
    void gemClose_whileMapped_objectLivesUntilMunmap() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE);
            GemObject obj = f.object(bo);
            long p = DrmFixture.mmapBo(a, fd, f, bo, 1);
            DrmFixture.write(a, p, "kept");

            assertThat(f.gemClose(bo)).isZero();
            assertThat(obj.isFreed()).isFalse();
            assertThat(DrmFixture.read(a, p, 4)).isEqualTo("kept");

            assertThat(a.munmap(p, PAGE)).isZero();
            assertThat(obj.isFreed()).isTrue();
        });
    }

    @Test
    void exit_withBoStillMapped_releasesFileWhenTheMappingGoes() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            DrmFixture.mmapBo(a, fd, f, f.gemCreate(PAGE), 1);

            a.exit();

            assertThat(f.isReleased()).isTrue();
            fx.assertNothingLeft();
        });
    }

    @Test
    void fork_childSharesTheDrmFileAndItsHandles() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int bo = f.gemCreate(PAGE);
            Task child = a.fork("child");

            DrmFile inChild = DrmFixture.file(child, fd);
            assertThat(inChild).isSameAs(f);
            assertThat(inChild.gemClose(bo)).isZero();

            a.exit();
            assertThat(f.isReleased()).isFalse();
            child.exit();
            fx.assertNothingLeft();
        });
    }
}
