package accelmm.accel;

import accelmm.dmabuf.DmaDevice;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.FileOperations;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryZone;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Models {@code struct hl_device} of a habanalabs-style accelerator whose device files are
 * exclusive ({@code device ACC kind=accel exclusive=yes}): one compute context at a time on the
 * whole device, whichever process opens it (HL-01), device memory (DRAM with an MMU, Gaudi2
 * style) allocated by handle and exported as dma-bufs (HL-02..07).
 *
 * <p>The device memory is frames of the device's own {@link MemoryZone} ({@code acc0 dram}),
 * {@code dramBytes} of it. Freed frames are the first the next allocation gets, so memory one
 * context freed is what the next context allocates: what makes the seed's attack possible when
 * a design frees memory that an importer still maps.
 *
 * <p>Kernel sources followed: drivers/accel/habanalabs/common/habanalabs_drv.c ({@code
 * hl_device_open}), device.c ({@code hl_device_release}, {@code hpriv_release}), context.c,
 * memory.c.
 */
public final class HlDevice implements DmaDevice {

    private final Kernel kernel;
    private final String name;
    private final boolean peerToPeer;
    private final MemoryZone dram;
    private final long dramPageCount;
    private final FileOperations fops = new Fops();
    /** {@code vm->phys_pg_pack_handles}: every live page pack of the device, by handle. */
    private final TreeMap<Integer, HlPhysPgPack> physPgPacks = new TreeMap<>();
    /** Every file's private data not yet released, by serial number (for leak reports). */
    private final TreeMap<Integer, HlFpriv> fprivs = new TreeMap<>();
    private long dramUsedPages;
    /** {@code hdev->is_compute_ctx_active}. */
    private boolean computeCtxActive;
    /** {@code hdev->compute_ctx_in_release}. */
    private boolean computeCtxInRelease;
    private int nextFileId = 1;
    /** The pack and file registries, the memory in use, the compute-context flags. */
    private final Shared shared;

    /**
     * A device with {@code dramBytes} of device memory (rounded down to pages) that can ({@code
     * peerToPeer}) or cannot reach other devices' memory over the bus, and be reached.
     */
    public HlDevice(Kernel kernel, String name, long dramBytes, boolean peerToPeer) {
        this.kernel = kernel;
        this.name = name;
        this.peerToPeer = peerToPeer;
        this.dram = new MemoryZone(name + " dram", true);
        this.dramPageCount = dramBytes >>> PageFrame.PAGE_SHIFT;
        this.shared = kernel.sim().shared("hl device");
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether the device takes part in PCI peer-to-peer DMA (the scenario's {@code p2p=yes}). */
    @Override
    public boolean peerToPeer() {
        return peerToPeer;
    }

    Kernel kernel() {
        return kernel;
    }

    Simulation sim() {
        return kernel.sim();
    }

    /** The design of this run for what a dma-buf of device memory holds ({@code design dmabuf-export=...}). */
    public DmabufExportDesign exportDesign() {
        return kernel.designs().get(DmabufExportDesign.class);
    }

    /**
     * {@code hl_device_open} of the compute device file: -EAGAIN while the previous context is
     * being released ({@code compute_ctx_in_release}), -EBUSY while another compute context exists
     * ({@code is_compute_ctx_active}: "another user is working on it"), whichever process holds
     * it, the caller too (HL-01); otherwise a new file with its {@link HlFpriv} and {@link HlCtx},
     * installed in {@code task}'s file table: the fd, or -EMFILE.
     */
    public int open(Task task, boolean cloexec) {
        sim().preemptionPoint("open " + name);
        shared.write();
        int ret;
        if (computeCtxInRelease) {
            ret = Errno.EAGAIN.neg();
        } else if (computeCtxActive) {
            ret = Errno.EBUSY.neg();
        } else {
            HlFpriv hpriv = new HlFpriv(this, nextFileId++, task.principal());
            computeCtxActive = true;
            fprivs.put(hpriv.id(), hpriv);
            File file = kernel.openFile(fops, true, true, hpriv);
            hpriv.opened(file);
            ret = task.installFile(file, cloexec);
        }
        trace("open " + name + (cloexec ? " cloexec" : ""), Errno.isError(ret) ? Errno.describe(ret) : Integer.toString(ret));
        return ret;
    }

    /**
     * {@code alloc_device_memory}: {@code pageCount} pages of device memory for {@code ctx} under
     * the lowest free handle from 1 ({@code idr_alloc(.., 1, 0)}), or {@code null} when the device
     * has not that many free pages.
     */
    HlPhysPgPack allocPack(HlCtx ctx, long pageCount) {
        shared.write();
        if (pageCount > dramPageCount - dramUsedPages) {
            return null;
        }
        List<PageFrame> pages = new ArrayList<>((int) pageCount);
        for (long i = 0; i < pageCount; i++) {
            pages.add(kernel.physicalMemory().allocPage(dram));
        }
        int handle = 1;
        while (physPgPacks.containsKey(handle)) {
            handle++;
        }
        HlPhysPgPack pack = new HlPhysPgPack(handle, ctx, pages);
        physPgPacks.put(handle, pack);
        dramUsedPages += pageCount;
        return pack;
    }

    /** {@code free_phys_pg_pack}: the handle goes from the IDR and the pages back to the device. */
    void freePack(HlPhysPgPack pack) {
        shared.write();
        if (physPgPacks.remove(pack.handle()) != pack) {
            throw new IllegalStateException(pack + " is not a live pack of " + name);
        }
        dramUsedPages -= pack.pageCount();
        pack.free();
    }

    /** {@code hl_device_release} sets {@code compute_ctx_in_release}: opens are -EAGAIN from here. */
    void computeCtxReleasing() {
        shared.write();
        computeCtxInRelease = true;
    }

    /**
     * {@code hpriv_release}: the file's private data goes. The device is checked for idleness and
     * its memory scrubbed (or the device reset) — sleeping work, a preemption point in the model,
     * during which an open is -EAGAIN — then the device takes a new compute context again.
     */
    void hprivRelease(HlFpriv hpriv) {
        sim().preemptionPoint("hpriv_release " + hpriv + ": idle check, scrub");
        shared.write();
        if (fprivs.remove(hpriv.id()) != hpriv) {
            throw new IllegalStateException(hpriv + " released twice");
        }
        computeCtxActive = false;
        computeCtxInRelease = false;
        trace("hpriv_release " + hpriv, name + " takes a new compute context");
    }

    void trace(String operation, String result) {
        if (sim().tracing()) {
            sim().traceOperation(operation, result);
        }
    }

    /**
     * Everything of this device not yet released: open compute files, then device memory, each
     * with what holds it. Empty once every file of the device has been released and the memory
     * of the last context freed, unless something leaked (the leak invariant).
     */
    public List<String> liveObjects() {
        shared.read();
        List<String> out = new ArrayList<>();
        fprivs.values().forEach(f -> out.add(f + " held by " + (f.filp().isReleased() ? "its context"
                : f.filp().refCount() + " file reference(s)")));
        physPgPacks.values().forEach(p -> out.add(p + " of " + p.ctx()));
        return out;
    }

    /**
     * Adds this device's objects to {@code graph}: each compute file's private data with its
     * context, the context's memory handles, and the device frames of each allocation.
     */
    public void addTo(ObjectGraph graph) {
        shared.read();
        for (HlFpriv f : fprivs.values()) {
            graph.node(f, "hl file", f.toString(), f.filp().isReleased() ? "file released" : "");
            HlCtx ctx = f.ctx();
            graph.node(ctx, "hl ctx", ctx.toString(), "");
            graph.edge(f, ctx, "ctx");
            for (HlVmHashNode node : ctx.nodes()) {
                graph.edge(ctx, node.pack(), "memory handle " + node.pack().handle());
            }
        }
        for (HlPhysPgPack p : physPgPacks.values()) {
            graph.node(p, "device memory", p.toString(), p.isFreed() ? "freed" : "");
            List<accelmm.mm.PhysicalMemory.FrameRef> refs = p.frameRefs();
            for (int i = 0; i < refs.size(); i++) {
                refs.get(i).addTo(graph, p, "page offset", (long) i << accelmm.mm.PageFrame.PAGE_SHIFT);
            }
        }
    }

    @Override
    public String toString() {
        return "accel " + name;
    }

    /** The compute device file's operations ({@code hl_fops}, since 6.4 the DRM accel driver's). */
    private final class Fops implements FileOperations {

        /**
         * {@code hl_mmap}: the driver maps only command buffers, timestamp buffers and hardware
         * blocks, chosen by the offset's type bits; the model has none of them, so every offset
         * is of an unknown type, -EINVAL. (Device memory has no CPU mapping at all.)
         */
        @Override
        public int mmap(File file, MmapSetup setup) {
            return Errno.EINVAL.neg();
        }

        /** {@code hl_device_release}, from the file's last reference. */
        @Override
        public void release(File file) {
            ((HlFpriv) file.privateData()).release();
        }

        @Override
        public String name() {
            return "accel " + name;
        }
    }
}
