/**
 * An RDMA NIC, after Linux's RDMA core (drivers/infiniband/core) and the mlx5 driver: uverbs
 * files, memory regions over user memory, and the NIC's reads and writes through them on behalf
 * of the region's owner. One of the device drivers above {@link accelmm.dmabuf}; it never uses
 * another device driver.
 *
 * <p>What is modelled. {@link accelmm.rdma.IbDevice} opens {@link accelmm.rdma.IbUverbsFile}s
 * ({@code ib_uverbs_open}); each has an implicit user context and protection domain, and names
 * its memory regions ({@link accelmm.rdma.IbMr}) by handles from one table (the lowest free
 * number; the protection domain holds 0). {@code reg_mr addr= size=} pins the range with
 * {@code FOLL_LONGTERM | FOLL_WRITE} through the mm layer's GUP ({@link
 * accelmm.rdma.IbUmemUser}, {@code ib_umem_get}): the region keeps those pages until it is
 * deregistered, even after the process unmaps or remaps the range (RMR-01); the pins keep the
 * frames allocated, so the NIC never reaches freed memory, and the process no longer sees what
 * the NIC reads and writes there. {@code rdma_read} and {@code rdma_write} are the NIC's DMA
 * through a region ({@link accelmm.rdma.NicDma}), reported to the access observers as NIC
 * accesses on behalf of the process that registered it, a preemption point per page; a failed
 * work completion (a range outside the region, an unknown region, a local buffer that cannot be
 * written, a page fault that cannot map) is -EIO. {@code reg_mr dmabuf=} makes the region over
 * a whole dma-buf ({@link accelmm.rdma.IbUmemDmabuf}): under {@link
 * accelmm.dmabuf.ImporterDesign#DYNAMIC} a dynamic importer ({@code ib_umem_dmabuf_get} with
 * mlx5's ops), mapped once at registration, whose {@code invalidate_mappings} zaps the region's
 * translation so that the next NIC access faults and maps again under the buffer's reservation
 * lock, after the move's fence (RMR-02..04; after a revoke that map fails); under {@link
 * accelmm.dmabuf.ImporterDesign#PINNED} {@code ib_umem_dmabuf_get_pinned}, pinned and mapped for
 * the region's life and not revocable (RMR-05). Closing the last reference to the file
 * deregisters its regions, newest first (RMR-07): the NIC stops, pages are unpinned, dma-buf
 * attachments unmapped, unpinned and detached, and the region's buffer reference dropped.
 *
 * <p>Locking: a dma-buf region's map, unmap, invalidation and deregistration run under the
 * buffer's reservation lock ({@code dma_resv_lock}), as in Linux; nothing else is locked.
 *
 * <p>Footprints: the device's registries, each uverbs file's handle table, each region's
 * translation (by page, which the NIC reads one page at a time) and each umem report their
 * state through a {@link accelmm.sim.Shared} of their own.
 *
 * <p>Abstracted away: queue pairs, completion queues and keys (a statement names the region by
 * its handle in the caller's file and completes synchronously), remote peers (the NIC accesses
 * its own regions, as a loopback connection would), access flags (every region allows local
 * write and remote read and write), on-demand paging, memory windows, RLIMIT_MEMLOCK
 * accounting, the legacy {@code write()} command interface (the ioctl methods behave the same
 * for what the language covers), device removal and disassociation.
 *
 * <p>Kernel sources followed: drivers/infiniband/core/uverbs_main.c, uverbs_std_types_mr.c,
 * rdma_core.c, umem.c, umem_dmabuf.c; drivers/infiniband/hw/mlx5/mr.c, odp.c; mm/gup.c; fs/smb/server/transport_rdma.c
 * (how a failed RDMA work completion becomes an errno).
 */
package accelmm.rdma;
