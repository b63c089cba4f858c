/**
 * Accelerators, of two kinds sharing the device kind {@code kind=accel}: an exclusive
 * accelerator after Linux's habanalabs driver (drivers/accel/habanalabs, Gaudi2 generation): one
 * compute context per device, device memory allocated by handle, and that memory exported as
 * dma-bufs that other devices import peer to peer; and queue-based accelerators of the uacce
 * framework (drivers/misc/uacce, with HiSilicon QM's queue allocation), shared by processes up
 * to their hardware queues, each queue bound to its opener's address space by PASID (SVA) and
 * fed by user space through a doorbell page, with no system call. One of the device drivers
 * above {@link accelmm.dmabuf}, beside {@code drm} and {@code rdma}; it never uses another
 * device driver.
 *
 * <p>uacce. {@link accelmm.accel.UacceDevice} opens a {@link accelmm.accel.UacceQueue} per open
 * (-EBUSY past the hardware queues), bound through {@link accelmm.accel.IommuSva} (a PASID per
 * mm, a refcounted domain per device and mm, holding the {@code mm_struct}). The queue follows
 * the Dec 2025 generation's state machine ({@link accelmm.accel.UacceQState}: START_Q, PUT_Q
 * only stops, release puts), maps its regions ({@link accelmm.accel.UacceQfrt}, {@link
 * accelmm.accel.UacceRegion}: once each, {@code VM_DONTCOPY | VM_DONTEXPAND | VM_WIPEONFORK}
 * under the {@link accelmm.accel.QueueMmapDesign} the kernel has), and takes jobs rung on its
 * doorbell ({@link accelmm.accel.UacceDoorbell}) to the device's {@link
 * accelmm.accel.UacceEngine}, which copies through the bound address space's page tables at DMA
 * time, on behalf of the queue's owner, I/O page faults resolved as CPU faults. Abstracted away:
 * the 2020 and 2022 generations (PUT_Q puts for good, no validity check, the slot left set by
 * munmap), device removal (UA-11), poll, sysfs, the descriptor format and the DUS region's
 * contents and fixed size.
 *
 * <p>Without SVA ({@link accelmm.accel.AccelDesign}: {@code accel=pin}, the 2018 RFC's design
 * for such devices) a queue has no PASID: {@code dma_map} pins a range with {@code
 * FOLL_LONGTERM | FOLL_WRITE} and maps it 1:1 in the IOMMU ({@link accelmm.accel.UacceDmaMap}),
 * and the engine's DMA reaches those frames, whatever the process maps there later; the queue's
 * release unpins them. Under {@code accel=pin-notifier} (Glisse's (A)(B)(C)) each range also
 * has an mmu interval notifier whose every invalidation zaps the doorbell, drains the queue and
 * unpins; the doorbell's fault handler then pins again in the faulting process's address
 * space. Under {@code accel=kernel-submit} there is no doorbell: a submission is a system call
 * on the queue's fd that pins the job's buffers in the caller's address space until the job
 * ends. Under {@code accel=sva} {@code dma_map} only checks the range, so one
 * scenario runs against both (seed 002, R1).
 *
 * <p>habanalabs. {@link accelmm.accel.HlDevice} opens the compute device file: one {@link
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
 * <p>Footprints: every device, habanalabs file, context, hash node, page pack and exported
 * buffer, every uacce queue, region and {@code dma_map} range, the IOMMU's PASID table and each
 * SVA domain report their state through a {@link accelmm.sim.Shared} of their own; a queue
 * reports each change next to it, since most of its paths sleep in between.
 *
 * <p>Abstracted away: MAP and UNMAP (the device's virtual address space: {@code mem_alloc} is
 * ALLOC and MAP at once, {@code mem_free} UNMAP and FREE, and the dma-buf is named by handle),
 * the device page size (4K here, tens of megabytes on Gaudi2), devices without a DRAM MMU
 * (Goya, Gaudi1: ALLOC only accounts), export offsets and partial sizes, command submission,
 * device reset and its hard reset of a file closed while in use (HL-08), the control device,
 * the fd-install race of export (HL-09), and memory scrubbing's values.
 *
 * <p>Kernel sources followed: drivers/accel/habanalabs/common/habanalabs_drv.c, device.c,
 * context.c, memory.c; include/uapi/drm/habanalabs_accel.h; drivers/misc/uacce/uacce.c,
 * include/uapi/misc/uacce/uacce.h, Documentation/misc-devices/uacce.rst,
 * drivers/crypto/hisilicon/qm.c, drivers/iommu/iommu-sva.c.
 */
package accelmm.accel;
