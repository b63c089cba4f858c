package accelmm.drm;

import accelmm.dmabuf.DmaFence;
import accelmm.mm.Errno;

/** What the exec ioctl returns: the queued job's fence, or the errno the ioctl failed with. */
public sealed interface Submission {

    /** The job was queued; {@code fence} signals when the device engine has run it. */
    record Queued(DmaFence fence) implements Submission {
    }

    /** Nothing was queued; {@code errno} is negative, e.g. -ENOENT for an unknown queue. */
    record Refused(int errno) implements Submission {
        public Refused {
            if (!Errno.isError(errno)) {
                throw new IllegalArgumentException("not an errno: " + errno);
            }
        }

        @Override
        public String toString() {
            return Errno.describe(errno);
        }
    }
}
