package accelmm.scenario;

import java.util.Locale;

/**
 * {@code device NAME kind=gpu|accel|rdma [vram=SIZE] [queues=N] [sva=yes|no] [p2p=yes|no]
 * [exclusive=yes|no]}, with the defaults filled in.
 *
 * @param vramBytes  device memory; 256M by default for gpu and accel, 0 for rdma
 * @param queueCount hardware queues; 16 by default
 * @param sva        shares process page tables through a PASID; default yes for accel, no otherwise
 * @param p2p        reaches, or is reached by, a peer's memory over the bus; default no
 * @param exclusive  one open file at a time (another open gets EBUSY); default no
 */
public record Device(Position position, String name, Kind kind, long vramBytes, int queueCount, boolean sva,
        boolean p2p, boolean exclusive) {

    public static final long DEFAULT_VRAM_BYTES = 256L << 20;
    public static final int DEFAULT_QUEUE_COUNT = 16;

    /** What the device file is: a DRM GPU, an accel-framework device or an RDMA NIC. */
    public enum Kind {
        GPU, ACCEL, RDMA;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
