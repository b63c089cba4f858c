package accelmm.rdma;

import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;

/**
 * Models {@code struct ib_mr} as mlx5 makes it ({@code struct mlx5_ib_mr}): a memory region of
 * one uverbs file, with its handle, the process that registered it (on whose behalf the NIC
 * reads and writes it: the principal of every access through it), its {@link IbUmem}, and the
 * NIC's translation of it — the mkey's translation entries (MTT), one frame per page of the
 * region, as the hardware uses them for DMA.
 *
 * <p>Deregistration ({@code mlx5_ib_dereg_mr}) first stops the hardware (the mkey is revoked, so
 * no DMA through it is in flight or can start), then releases the umem.
 */
final class IbMr {

    private final IbUverbsFile file;
    private final int serial;
    private final long handle;
    private final Principal owner;
    private final IbUmem umem;
    /** The mkey's translation entries: the frame the NIC uses for each page of the region. */
    private final PhysicalMemory.FrameRef[] mtt;
    private boolean deregistered;

    IbMr(IbUverbsFile file, long handle, Principal owner, IbUmemUser umem) {
        this.file = file;
        this.serial = file.device().nextMrSerial();
        this.handle = handle;
        this.owner = owner;
        this.umem = umem;
        this.mtt = umem.dmaPages();
    }

    IbUverbsFile file() {
        return file;
    }

    int serial() {
        return serial;
    }

    long handle() {
        return handle;
    }

    /** The registering process: whom the NIC acts for when it reads or writes this region. */
    Principal owner() {
        return owner;
    }

    long lengthBytes() {
        return umem.lengthBytes();
    }

    /** Where byte 0 of the region lies in its first page. */
    int firstPageOffset() {
        return umem.firstPageOffset();
    }

    /**
     * The frame the NIC's DMA reaches for page {@code index} of the region (counted from the page
     * that holds its start), or {@code null} when the translation has none.
     */
    PhysicalMemory.FrameRef dmaPage(int index) {
        if (deregistered) {
            throw new IllegalStateException("DMA through deregistered " + this);
        }
        return mtt[index];
    }

    /** {@code mlx5_ib_dereg_mr}: the mkey is revoked, then the umem released. */
    void dereg() {
        if (deregistered) {
            throw new IllegalStateException("dereg twice: " + this);
        }
        deregistered = true;
        java.util.Arrays.fill(mtt, null);
        umem.release();
        file.device().deregistered(this);
    }

    /** For reports: {@code mr 1 (16K of user memory at 0x10000)}. */
    String describe() {
        return "mr " + handle + " (" + umem.describe() + ")";
    }

    /** A size as scenarios write it: {@code 16K}, {@code 2M}, or bytes. */
    static String size(long bytes) {
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "M";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "K";
        }
        return Long.toString(bytes);
    }

    @Override
    public String toString() {
        return file.device().name() + " " + describe();
    }
}
