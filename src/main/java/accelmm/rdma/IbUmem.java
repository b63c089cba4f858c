package accelmm.rdma;

/**
 * Models {@code struct ib_umem}: the memory behind a memory region, as the NIC's translation
 * sees it — pages of user memory pinned at registration ({@link IbUmemUser}) or the pages of
 * a dma-buf mapped through an attachment ({@link IbUmemDmabuf}). {@code ib_umem_release}
 * ({@link #release}) gives it back.
 */
sealed interface IbUmem permits IbUmemUser, IbUmemDmabuf {

    /** {@code umem->length}: bytes of the region. */
    long lengthBytes();

    /**
     * Where byte 0 of the region lies in its first page ({@code ib_umem_offset}): the region's
     * first page is the page that holds its start address.
     */
    int firstPageOffset();

    /** {@code ib_umem_release}. Called once, after the NIC stopped using the region. */
    void release();

    /** What the region covers, for reports: {@code 16K of user memory at 0x10000}. */
    String describe();
}
