package accelmm.accel;

import accelmm.sim.DesignValue;

/**
 * Design key {@code dmabuf-export}: what keeps an accelerator's device memory from reaching its
 * next user while a dma-buf exported from it lives (seed 004). User A exports device memory, an
 * RDMA NIC registers a memory region over it ("RDMA HW can't do revoke"), A closes the device,
 * user B opens it and uploads a secret: does A's region see it?
 */
public enum DmabufExportDesign implements DesignValue {
    /**
     * habanalabs since Feb 2023 (KERNEL-SEMANTICS HL-07), Jason Gunthorpe's answer in the seed
     * ("the DMABUF will hold a fget on the FD"): export takes a context reference and {@code
     * get_file} on the compute device file; the dma-buf's release drops both. Closing the fd does
     * not release the device while a dma-buf of it lives, and every other open is EBUSY.
     */
    HOLD_FILE("hold-file"),
    /**
     * A hypothetical driver, not a kernel that shipped: its export forgets the reference, the bug
     * Daniel Vetter asks about in the seed. The dma-buf holds nothing of the device, so closing
     * the fd releases the context and frees its device memory while an importer still maps it.
     * habanalabs never did this: in 2021 its dma-buf already held a context reference, which
     * kept the context alive after the close, and until Feb 2023 such a close reset the device
     * (HL-08); hold-file is what replaced that.
     */
    NO_HOLD("no-hold"),
    /**
     * Daniel Vetter's first option in the seed ("we require revoke support"), as VFIO's exporter
     * does since Linux 7.1 (RVK-02, RVK-03): closing the fd revokes every dma-buf of the context
     * (their importers are cut off and unmap), then releases the context; an importer that cannot
     * be revoked (a pinned RDMA memory region) is refused at attach, -EOPNOTSUPP.
     */
    REVOKE("revoke");

    private final String value;

    DmabufExportDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "dmabuf-export";
    }

    @Override
    public String value() {
        return value;
    }
}
