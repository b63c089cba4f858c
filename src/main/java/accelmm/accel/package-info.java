/**
 * An exclusive accelerator after Linux's habanalabs driver (drivers/accel/habanalabs, Gaudi2
 * generation): one compute context per device, device memory allocated by handle, and that
 * memory exported as dma-bufs that other devices import peer to peer. One of the device drivers
 * above {@link accelmm.dmabuf}, beside {@code drm} and {@code rdma}; it never uses another
 * device driver. The device kind ({@code kind=accel}) is shared with the queue-based accelerators
 * of the uacce framework, which are not modelled yet; this package is named and cut so that they
 * can join it (a device, its files, contexts and memory) beside the habanalabs types.
 *
 * <p>What is modelled. {@link accelmm.accel.HlDevice} opens the compute device file: one {@link
 * accelmm.accel.HlFpriv} with its {@link accelmm.accel.HlCtx} at a time on the whole device
 * (another open is -EBUSY, the same process's too; -EAGAIN while the previous context is still
 * being released). The memory ioctl allocates packs of device-memory pages ({@link
 * accelmm.accel.HlPhysPgPack}, frames of the device's own memory zone, handles the lowest free
 * from 1 device-wide), frees them, and exports them ({@link accelmm.accel.HlDmabuf}, a static
 * exporter: never moves, no pin, no mmap; its attach clears {@code peer2peer} for an importer
 * that cannot reach the device, whose map is then -EPERM). A pack's {@link
 * accelmm.accel.HlVmHashNode} counts the live dma-bufs of it: memory with one can be neither
 * unmapped nor freed. What a dma-buf holds of the device is the design {@link
 * accelmm.accel.DmabufExportDesign}: the compute file and a context reference (hold-file, the
 * kernel since 2023), nothing (no-hold: a hypothetical driver that forgets the reference, not a
 * kernel that shipped), or nothing but a revoke at the file's release (revoke).
 *
 * <p>Lifecycle. The file's last reference runs {@code hl_device_release}: the context goes (and
 * with its last reference, the memory it still owns), then {@code hpriv_release} checks the
 * device idle and scrubs it — a preemption point, during which an open is -EAGAIN — and the
 * device takes a new compute context again.
 *
 * <p>Abstracted away: MAP and UNMAP (the device's virtual address space: {@code mem_alloc} is
 * ALLOC and MAP at once, {@code mem_free} UNMAP and FREE, and the dma-buf is named by handle),
 * the device page size (4K here, tens of megabytes on Gaudi2), devices without a DRAM MMU
 * (Goya, Gaudi1: ALLOC only accounts), export offsets and partial sizes, command submission,
 * device reset and its hard reset of a file closed while in use (HL-08), the control device,
 * the fd-install race of export (HL-09), and memory scrubbing's values.
 *
 * <p>Kernel sources followed: drivers/accel/habanalabs/common/habanalabs_drv.c, device.c,
 * context.c, memory.c; include/uapi/drm/habanalabs_accel.h.
 */
package accelmm.accel;
