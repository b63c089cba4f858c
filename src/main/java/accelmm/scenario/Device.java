package accelmm.scenario;

import java.util.List;
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
 * @param written    the attributes after {@code kind=} that the line writes, in file order: what
 *                   the load checks hold against what the model runs for the kind
 */
public record Device(Position position, String name, Kind kind, long vramBytes, int queueCount, boolean sva,
        boolean p2p, boolean exclusive, List<Written> written) {

    public static final long DEFAULT_VRAM_BYTES = 256L << 20;
    public static final int DEFAULT_QUEUE_COUNT = 16;

    public Device {
        written = List.copyOf(written);
    }

    /** What the device file is: a DRM GPU, an accel-framework device or an RDMA NIC. */
    public enum Kind {
        GPU, ACCEL, RDMA;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Whether the language gives a device of this kind {@code attribute} at all. An rdma
         * device has no {@code vram}: no statement places memory on a NIC, which registers
         * memory that lives elsewhere ({@code reg_mr}). The on-chip memory some NICs allocate
         * through uverbs ({@code UVERBS_METHOD_DM_ALLOC}, uverbs_std_types_dm.c) is not part of
         * the language.
         */
        boolean has(Attribute attribute) {
            return !(this == RDMA && attribute == Attribute.VRAM);
        }
    }

    /** The attributes of a device line besides {@code kind}, each with a default. */
    public enum Attribute {
        VRAM, QUEUES, SVA, P2P, EXCLUSIVE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An attribute the line writes, at its key. */
    public record Written(Attribute attribute, Position at) {
    }
}
