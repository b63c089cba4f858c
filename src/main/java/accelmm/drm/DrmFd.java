package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Task;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What a file descriptor is for a DRM ioctl: an open DRM file, or the errno the {@code ioctl}
 * system call fails with before any driver code runs — -EBADF for a descriptor that is not
 * open, -ENOTTY for an open file that is not a DRM device file ({@code vfs_ioctl} without a
 * matching {@code unlocked_ioctl}, {@code dma_buf_ioctl}, {@code ib_uverbs_ioctl}). On an
 * accelerator's file, a DRM accel node whose ioctl is {@code drm_ioctl} too, the -ENOTTY is a
 * stand-in (a model abstraction): the kernel would run the DRM core's ioctl of a core number and
 * the accelerator driver's ioctl of the same index for a GPU driver number.
 */
public sealed interface DrmFd {

    /** The descriptor names a DRM file. */
    record Open(DrmFile file) implements DrmFd {
    }

    /** The ioctl fails with {@code errno} (negative). */
    record Bad(int errno) implements DrmFd {
        public Bad {
            if (errno != Errno.EBADF.neg() && errno != Errno.ENOTTY.neg()) {
                throw new IllegalArgumentException("a DRM fd lookup fails with EBADF or ENOTTY, not " + errno);
            }
        }
    }

    /** What {@code fd} of {@code task} is for a DRM ioctl, without taking a reference (see {@link #ioctl}). */
    static DrmFd lookup(Task task, int fd) {
        File file = task.files().lookup(fd);
        if (file == null) {
            return new Bad(Errno.EBADF.neg());
        }
        if (!(file.privateData() instanceof DrmFile drmFile)) {
            return new Bad(Errno.ENOTTY.neg());
        }
        return new Open(drmFile);
    }

    /**
     * The {@code ioctl(fd, ...)} system call: {@code fdget}, then {@code op} on the DRM file, then
     * {@code fdput}, so the file cannot be released under the ioctl. A descriptor that is not
     * open gives {@code failed(-EBADF)}, a file that is not a DRM file {@code failed(-ENOTTY)}.
     */
    static <R> R ioctl(Task task, int fd, Function<DrmFile, R> op, IntFunction<R> failed) {
        File file = task.fget(fd);
        if (file == null) {
            return failed.apply(Errno.EBADF.neg());
        }
        try {
            if (!(file.privateData() instanceof DrmFile drmFile)) {
                return failed.apply(Errno.ENOTTY.neg());
            }
            return op.apply(drmFile);
        } finally {
            file.put();
        }
    }
}
