/**
 * The dma-buf core, after Linux's drivers/dma-buf: buffers shared between devices and processes
 * as files ({@link accelmm.dmabuf.DmaBuf}), the exporter's operations ({@link
 * accelmm.dmabuf.DmaBufOps}, {@code struct dma_buf_ops}), importers' attachments ({@link
 * accelmm.dmabuf.DmaBufAttachment}, made with the importer's {@link
 * accelmm.dmabuf.DmaBufImporterOps} by a {@link accelmm.dmabuf.DmaDevice}), and the
 * synchronisation objects every driver uses: {@link accelmm.dmabuf.DmaFence} (a one-shot completion) and {@link
 * accelmm.dmabuf.DmaResv} (an object's fences by usage, and its reservation lock).
 *
 * <p>What this layer owns. It sits above {@code mm} (a dma-buf is an anonymous {@link
 * accelmm.mm.File}; its CPU mmap goes through the mm layer, which holds a file reference per
 * VMA) and beneath the device drivers ({@code drm}, and later {@code rdma} and {@code accel}),
 * which sit side by side and know each other only through this layer. The core checks a request
 * and calls the exporter through {@code DmaBufOps}; the exporter owns the backing store, so this
 * layer never names a GEM object or any other driver type. A buffer lives as long as its file:
 * every fd, mmap VMA, importer and cache holds a reference, and the last {@code fput} calls the
 * exporter's {@code release}. An importer on another device attaches ({@code
 * dma_buf_dynamic_attach} with {@link accelmm.dmabuf.DmaBufImporterOps}, or statically with
 * {@code dma_buf_attach}): the attachment's {@code peer2peer} starts as the importer allows,
 * and the exporter's {@code attach} may clear it or refuse the importer (-EOPNOTSUPP). Importers
 * map their attachment for the buffer's pages ({@link accelmm.dmabuf.SgTable}), each map going to
 * the exporter; a static importer of a dynamic exporter pins the buffer for as long as it is
 * mapped (Linux 6.16, which dropped the map cached at attach of KERNEL-SEMANTICS §13.6). A
 * dynamic exporter (one with {@code pin}/{@code unpin}) that moves the buffer first tells its dynamic importers ({@code
 * dma_buf_invalidate_mappings}); an exporter that must take its memory back revokes the buffer
 * (RVK-02: no new map or mmap, -ENODEV; an exporter without {@code ->mmap} is -EINVAL for
 * every mmap, revoked or not, as {@code dma_buf_mmap_internal} checks that first). Which importer a driver is comes from the design key
 * {@code importer} ({@link accelmm.dmabuf.ImporterDesign}). The importer detaches before it drops
 * its reference. A buffer shares its exporter's reservation
 * object: {@code DMA_BUF_IOCTL_SYNC} checks its flags, calls the exporter's optional {@code
 * begin_cpu_access}/{@code end_cpu_access} with a {@link accelmm.dmabuf.DmaDataDirection}, and
 * on START waits for the fences a CPU access in that direction must follow. {@code dma_buf_get} of an fd refuses a file that is not a dma-buf
 * ({@code is_dma_buf_file}, -EINVAL) and a descriptor that is not open (-EBADF). What a driver
 * does around this (a GEM object's one buffer, the per-file handle cache, the peer-to-peer check
 * of xe's exporter) stays in the driver: drivers/gpu/drm/drm_prime.c and xe_dma_buf.c are drm's.
 *
 * <p>Locking: the reservation lock ({@code dma_resv_lock}) is held around every map and unmap
 * (since Linux 6.2, whoever imports or exports; a static importer's {@code _unlocked} variants
 * take it), a dynamic importer's pin and unpin, and {@code dma_buf_invalidate_mappings}; the
 * core takes it itself for revoke.
 *
 * <p>Shared state ({@link accelmm.sim.Shared}): a fence (its signalled state, error and
 * callbacks), a reservation object's fence list, a dma-buf (its attachment list and revoked
 * flag) and an attachment (its map count and flags) each report their reads and writes
 * themselves; an {@link SgTable} never changes.
 *
 * <p>Abstracted away, or not here yet: the reservation lock around the attachment list (attach
 * has no preemption point, as PRIME's import has none), the info query, {@code poll}, {@code
 * llseek}, {@code vmap}, the buffers' debugfs list, fence contexts and seqnos, fence slot reservation, and sync_file.
 *
 * <p>Kernel sources followed: drivers/dma-buf/dma-buf.c (the revoke series merged for Linux 7.1:
 * {@code dma_buf_invalidate_mappings}, optional {@code invalidate_mappings}, {@code
 * dma_buf_attach_revocable}), dma-fence.c, dma-resv.c,
 * include/linux/dma-buf.h, dma-fence.h, dma-resv.h.
 */
package accelmm.dmabuf;
