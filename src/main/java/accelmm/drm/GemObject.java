package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaResv;
import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.MmStruct;
import accelmm.mm.MmapSetup;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Through;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmFlag;
import accelmm.mm.VmOperations;
import accelmm.mm.Vma;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct drm_gem_object} with the placement of an {@code xe_bo}: a GPU buffer of
 * whole pages in system memory or in the device's VRAM, its reference count, its handle count,
 * its fake mmap offset, its {@code dma_resv}, its pin count, the list of its {@link VmBo}s
 * ({@code obj->gpuva.list}: the VMs it is mapped in) and of its CPU mappings.
 *
 * <p>Placement: the object is created where its {@link GemPlacement} first allows and the
 * memory is there, if need be after evicting others ({@link EvictWalk}) — VRAM (buddy blocks and
 * frames of the device zone, and a place on the VRAM's LRU list) or system frames — and only
 * a move to system memory ({@link GemEvict}: an eviction, or the migration a PRIME importer's
 * map or pin asks for) moves it, swapping the frames behind it. Its {@link GemCaching} mode is
 * recorded, not yet checked.
 *
 * <p>Lifetime: every handle, every {@link VmBo} (the object mapped in a GPU VM), every CPU
 * mapping (VMA), every lookup and every eviction in progress holds one reference; the last
 * {@link #put()} frees the pages, the VRAM blocks and the mmap offset. The way back, from the
 * object to its VMs, is borrowed under {@code teardown=open-count} and a counted VM reference
 * under {@code refcount-only} (see {@link VmBo}).
 *
 * <p>Backing: creation accounts for the object (its VRAM blocks in the buddy, or nothing for
 * system memory); a page gets its frame when it is first touched ({@link #page}: a GPU bind, a
 * CPU fault, an export to another device, an eviction's copy), as xe populates a BO's pages on
 * first use ({@code ttm_tt_populate}) — so a 4G object that is never touched costs the model
 * an array, not a million frames. A page never touched reads as zeroes wherever it is read
 * from, which is what a fresh frame holds.
 *
 * <p>CPU mappings: the object is the {@code vm_operations_struct} of its mmaps, as {@code
 * drm_gem_mmap_obj} sets {@code obj->funcs->vm_ops}: {@code open}/{@code close} take and drop a
 * reference and keep the list of VMAs an eviction must zap; a fault takes the reservation lock
 * ({@code ttm_bo_vm_reserve}: it waits while the object moves) and inserts the PFN of the page
 * ({@code vmf_insert_pfn}: a special PTE that holds no page reference; the VMA's object
 * reference keeps the pages alive), a device frame for a VRAM object.
 *
 * <p>PRIME ({@link PrimeIoctl}): an exported object is held by its {@link DmaBuf} (the exporter's
 * reference, dropped when the buffer is released) and, while a handle names it, holds the buffer
 * in turn ({@code obj->dma_buf}, dropped with the last handle), so closing every handle leaves
 * the buffer — and through it the object — to its fds, mappings and importers. An object
 * imported from another device is backed by the pages its attachment maps ({@link
 * PrimeImport}: mapped again after the exporter moved them), shares the buffer's reservation
 * object, and holds the buffer until it is freed ({@code obj->import_attach}); references flow
 * importer → dma-buf → exporter only.
 */
public final class GemObject implements VmOperations, DrmObject {

    private final DrmDevice device;
    private final DrmFile creator;
    private final int id;
    private final long sizeBytes;
    private final long offsetPage;
    private final GemPlacement placement;
    private final GemCaching caching;
    private final DmaResv resv;
    /**
     * The frames behind the pages, {@code null} for a page not touched yet: of the device's VRAM
     * zone while {@link #vramBlocks} is not empty. Unused by an imported object, whose pages are
     * its mapping's.
     */
    private PageFrame[] pages;
    /** The VRAM the object occupies ({@code bo->ttm.resource} of a VRAM placement), or empty. */
    private List<DrmBuddyBlock> vramBlocks;
    private int refCount = 1;
    private int handleCount;
    private int pinCount;
    private final List<Vma> cpuMappings = new ArrayList<>();
    private final List<VmBo> vmBos = new ArrayList<>();
    private boolean freed;
    /** {@code obj->dma_buf}: the buffer this object is exported as, held while a handle names the object. */
    private DmaBuf dmaBuf;
    /**
     * {@code obj->import_attach} with the mapped table: an imported object's hold on the buffer
     * it is backed by, whose reference it keeps until it is freed; {@code null} for an object of
     * this device.
     */
    private final PrimeImport imported;
    /**
     * The dma-buf exporting this object ({@code dma_buf->priv} is the object), from its export
     * until the buffer's release: a move tells its importers ({@link GemEvict}). A deliberate
     * difference: {@code xe_bo_move_notify} tests {@code obj->dma_buf} ({@link #dmaBuf}), which
     * {@code drm_gem_object_exported_dma_buf_free} clears with the last handle, so in the
     * kernel a move after the exporter closed its last handle would seem to tell no importer;
     * the model tells them as long as the buffer lives, and leaves that case to be confirmed.
     */
    private DmaBuf exportedAs;
    /**
     * The backing pages by index ({@code [i, i + 1)}), and at {@link #STATE}, past every index,
     * everything else that changes: counts, flags, the VRAM blocks, the mapping and vm_bo lists,
     * the cached dma-buf.
     */
    private final Shared shared;
    private static final long STATE = Long.MAX_VALUE - 1;

    /**
     * An object in {@code vram} (its blocks and frames), or in new system frames when {@code
     * vram} is {@code null}.
     */
    GemObject(DrmDevice device, DrmFile creator, int id, long sizeBytes, long offsetPage, GemPlacement placement,
            GemCaching caching, Vram.Allocation vram) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.offsetPage = offsetPage;
        this.shared = device.sim().shared("gem object");
        this.imported = null;
        this.placement = placement;
        this.caching = caching;
        this.resv = new DmaResv(device.kernel(), "gem " + id);
        this.pages = new PageFrame[Math.toIntExact(sizeBytes >>> PageFrame.PAGE_SHIFT)];
        if (vram != null) {
            this.vramBlocks = vram.blocks();
            device.vram().lruAdd(this);
        } else {
            this.vramBlocks = List.of();
        }
    }

    /**
     * The object of a PRIME import from another device ({@code xe_dma_buf_init_obj}: a bo of
     * type sg in system placement, sharing the buffer's reservation object); its pages are the
     * frames of the table {@code imported} maps, looked up through it ({@link #page}).
     */
    GemObject(DrmDevice device, DrmFile creator, int id, PrimeImport imported, long offsetPage) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.sizeBytes = imported.buf().sizeBytes();
        this.offsetPage = offsetPage;
        this.shared = device.sim().shared("gem object");
        this.pages = new PageFrame[Math.toIntExact(sizeBytes >>> PageFrame.PAGE_SHIFT)];
        this.imported = imported;
        this.placement = GemPlacement.SYSTEM;
        this.caching = GemCaching.WB;
        this.resv = imported.buf().resv();
        this.vramBlocks = List.of();
    }

    /** A serial number, unique in the device, for reports (not a handle). */
    @Override
    public int id() {
        return id;
    }


    @Override
    public DrmFile creator() {
        return creator;
    }

    /** {@code gem object 1 (16K)}, {@code gem object 2 (8K, vram)} while in VRAM. */
    @Override
    public String label() {
        return "gem object " + id + " (" + Fmt.size(sizeBytes) + (inVram() ? ", vram" : "") + ")";
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public int pageCount() {
        return pages.length;
    }

    public int refCount() {
        readState();
        return refCount;
    }

    /** {@code obj->handle_count}: handles naming this object, in all files. */
    public int handleCount() {
        readState();
        return handleCount;
    }

    public boolean isFreed() {
        readState();
        return freed;
    }

    /** CPU mappings (VMAs) of the object. */
    public int cpuMappingCount() {
        readState();
        return cpuMappings.size();
    }

    /** The VMAs that map the object, oldest first (what an eviction zaps). */
    List<Vma> cpuMappings() {
        readState();
        return List.copyOf(cpuMappings);
    }

    public DrmDevice device() {
        return device;
    }

    /** Where the object may live. */
    public GemPlacement placement() {
        return placement;
    }

    /** The CPU caching mode it was created with. */
    public GemCaching caching() {
        return caching;
    }

    /** Whether the object is in VRAM now (else in system memory). */
    public boolean inVram() {
        readState();
        return !vramBlocks.isEmpty();
    }

    /** The VRAM blocks it occupies, empty in system memory. */
    List<DrmBuddyBlock> vramBlocks() {
        readState();
        return vramBlocks;
    }

    /** {@code obj->resv}: the fences of the jobs and moves using the object, and its lock. */
    DmaResv resv() {
        return resv;
    }

    /**
     * The frame behind page {@code index} now (it changes when the object moves), allocated on
     * the first touch: a frame of the VRAM while the object is there, else of system memory.
     */
    PageFrame page(int index) {
        checkLive();
        if (imported != null) {
            return imported.mappedPage(index).frame();
        }
        PageFrame frame = pages[index];
        shared.read(index, index + 1L);
        if (frame == null) {
            shared.write(index, index + 1L);
            frame = inVram() ? device.vram().allocFrame() : device.kernel().physicalMemory().allocPage();
            frame.setCacheMode(cpuCacheMode(), this);
            pages[index] = frame;
            device.frameOwned(this, frame);
        }
        return frame;
    }

    /**
     * The memory type of the object's CPU mappings where it lives now, which is also the type its
     * frames have of their own. {@code ttm_io_prot} (drivers/gpu/drm/ttm/ttm_bo_util.c) takes the
     * caching of the {@code ttm_tt} for system memory, which {@code xe_ttm_tt_create} derives
     * from {@code cpu_caching} (WC → {@code ttm_write_combined}, else {@code ttm_cached}) and
     * which TTM's pool applies to the pages ({@code ttm_pool_apply_caching}); for VRAM it takes
     * the resource's bus caching. {@code xe_ttm_io_mem_reserve} sets that to {@code
     * ttm_write_combined} except on x86, where it stays {@code ttm_cached} and PAT gives the PFN
     * the type reserved for the BAR ({@code vmf_insert_pfn_prot} → {@code
     * pfnmap_setup_cachemode}); xe maps its VRAM BAR write-combined ({@code ioremap_wc} of the
     * LMEM BAR in {@code determine_lmem_bar_size}, xe/xe_vram.c), so VRAM is WC either way. {@code xe_gem_create_ioctl}
     * refuses a VRAM placement without {@code DRM_XE_GEM_CPU_CACHING_WC} (-EINVAL), as {@link
     * DrmFile#gemCreate} does. On a discrete device (one with VRAM) the
     * requested caching never reaches system memory: {@code xe_ttm_tt_create} applies {@code
     * cpu_caching} only {@code if (!IS_DGFX(xe))}, so a dGPU's {@code ttm_tt} is {@code
     * ttm_cached} and the object's system pages are WB, whatever it asked for.
     */
    PageCacheMode cpuCacheMode() {
        if (inVram()) {
            return PageCacheMode.WC;
        }
        return device.vram() != null ? PageCacheMode.WB : caching.cacheMode();
    }

    /** The frames of every page, each backed now ({@code ttm_tt_populate} of the whole object). */
    PageFrame[] backedPages() {
        for (int i = 0; i < pages.length; i++) {
            page(i);
        }
        return pages.clone();
    }

    /** The frames behind the object's own pages, null where untouched (none for an import); only reads. */
    PageFrame[] ownPages() {
        shared.read();
        return imported != null || pages == null ? new PageFrame[0] : pages.clone();
    }

    /** The import this object maps, or null when the device allocated it. */
    PrimeImport imported() {
        return imported;
    }

    /** The frame behind page {@code index} if it has been touched, without touching it. */
    PageFrame pageIfBacked(int index) {
        checkLive();
        if (imported != null) {
            PhysicalMemory.FrameRef ref = imported.pageIfMapped(index);
            return ref == null ? null : ref.frame();
        }
        shared.read(index, index + 1L);
        return pages[index];
    }

    /** {@code ttm_bo_pin} (the caller holds a reference): the object may not move until unpinned. */
    void pin() {
        checkLive();
        writeState();
        pinCount++;
    }

    /** {@code ttm_bo_unpin}. */
    void unpin() {
        writeState();
        if (pinCount <= 0) {
            throw new IllegalStateException("unpin of unpinned " + this);
        }
        pinCount--;
    }

    public boolean isPinned() {
        readState();
        return pinCount > 0;
    }

    /**
     * The move's switch of backing store ({@code ttm_bo_assign_mem}), under the reservation
     * lock: the object now lives in {@code systemPages}; returns the VRAM frames it had, which
     * the caller frees with {@code blocks} once no translation uses them.
     */
    PageFrame[] moveToSystem(PageFrame[] systemPages) {
        resv.assertHeld();
        checkLive();
        if (!inVram() || systemPages.length != pages.length) {
            throw new IllegalStateException("moving " + this + " to system memory");
        }
        shared.write();
        PageFrame[] old = pages;
        device.framesReleased(old);
        device.vram().lruRemove(this);
        pages = systemPages;
        vramBlocks = List.of();
        PageCacheMode mode = cpuCacheMode(); // the new ttm_tt's caching
        for (PageFrame f : pages) {
            if (f != null) {
                f.setCacheMode(mode, this);
            }
        }
        device.framesOwned(this, pages);
        return old;
    }

    /** The VMs the object is mapped in, oldest pairing first ({@code drm_gem_for_each_gpuvm_bo}). */
    List<VmBo> vmBos() {
        readState();
        return List.copyOf(vmBos);
    }

    /** {@code drm_gpuvm_bo_obtain} linked a new pairing into the object's list. */
    void vmBoLinked(VmBo vmBo) {
        checkLive();
        writeState();
        vmBos.add(vmBo);
    }

    /** {@code drm_gpuvm_bo_destroy} unlinked a pairing. */
    void vmBoUnlinked(VmBo vmBo) {
        writeState();
        if (!vmBos.remove(vmBo)) {
            throw new IllegalStateException(vmBo + " is not linked to " + this);
        }
    }

    /** {@code drm_vma_node_offset_addr}: the fake offset to mmap the DRM file at, in bytes. */
    public long mmapOffset() {
        return offsetPage << PageFrame.PAGE_SHIFT;
    }

    long offsetPage() {
        return offsetPage;
    }

    /** The frame behind page {@code index} of the object, as the GPU page table maps it. */
    PhysicalMemory.FrameRef pageRef(int index) {
        if (imported != null) {
            checkLive();
            return imported.mappedPage(index); // the generation the exporter mapped
        }
        return PhysicalMemory.FrameRef.of(page(index));
    }

    /** {@code drm_gem_object_get}. */
    public void get() {
        checkLive();
        writeState();
        refCount++;
    }

    /** {@code drm_gem_object_put}: the last reference frees the pages and the mmap offset. */
    public void put() {
        checkLive();
        writeState();
        if (refCount <= 0) {
            throw new IllegalStateException("refcount underflow on " + this);
        }
        if (--refCount > 0) {
            return;
        }
        if (handleCount != 0) {
            throw new IllegalStateException("freeing " + this + " with " + handleCount + " handles");
        }
        shared.write(); // the pages go too
        freed = true;
        if (imported == null) {
            device.framesReleased(pages);
            for (PageFrame page : pages) {
                if (page != null) {
                    page.put();
                }
            }
        } else {
            imported.release(); // drm_prime_gem_destroy: unmap, dma_buf_detach, dma_buf_put
        }
        if (inVram()) {
            device.vram().lruRemove(this);
            device.vram().free(vramBlocks);
            vramBlocks = List.of();
        }
        device.gemFreed(this);
    }

    /** A handle now names this object; the caller's reference becomes the handle's. */
    void handleCreated() {
        checkLive();
        writeState();
        handleCount++;
    }

    /**
     * {@code drm_gem_object_handle_put_unlocked}: drops a handle and its reference; the last
     * handle also drops the export cache ({@code drm_gem_object_exported_dma_buf_free}).
     */
    void handleDeleted() {
        writeState();
        if (handleCount <= 0) {
            throw new IllegalStateException("handle count underflow on " + this);
        }
        if (--handleCount == 0 && dmaBuf != null) {
            DmaBuf buf = dmaBuf;
            dmaBuf = null;
            buf.put();
        }
        put();
    }

    // ---- PRIME (drm_prime.c) ---------------------------------------------------------------

    /** {@code obj->dma_buf}, or {@code null}. */
    DmaBuf dmaBuf() {
        readState();
        return dmaBuf;
    }

    /** Keeps {@code buf} as {@code obj->dma_buf} with a reference of its own ({@code get_dma_buf}). */
    void cacheDmaBuf(DmaBuf buf) {
        checkLive();
        writeState();
        if (dmaBuf != null || handleCount == 0) {
            throw new IllegalStateException(this + " caches " + buf + " with dma_buf " + dmaBuf + ", "
                    + handleCount + " handles");
        }
        buf.get();
        dmaBuf = buf;
    }

    /** {@code obj->import_attach->dmabuf}: the buffer this object was imported from, or {@code null}. */
    DmaBuf importedFrom() {
        return imported == null ? null : imported.buf();
    }

    /** The buffer exporting this object while it lives (see {@link #exportedAs}), or {@code null}. */
    DmaBuf exportedAs() {
        readState();
        return exportedAs;
    }

    /** {@code dma_buf_export} made {@code buf} over this object, or (with {@code null}) the buffer was released. */
    void exportedAs(DmaBuf buf) {
        writeState();
        if ((exportedAs == null) == (buf == null)) {
            throw new IllegalStateException(this + " exported as " + exportedAs + ", now " + buf);
        }
        exportedAs = buf;
    }

    /**
     * The imported object's mapping was invalidated ({@code xe_dma_buf_move_notify} evicts it):
     * its CPU mappings are zapped (as TTM unmaps any evicted object's; a fault on them is SIGBUS,
     * {@link #faultPage}), and every VM that maps it rebinds it at its next exec ({@link
     * GpuVm#importEvicted}).
     */
    void importEvicted() {
        resv.assertHeld();
        GemEvict.zapCpuMappings(this);
        readState();
        for (VmBo vmBo : vmBos) {
            vmBo.vm().importEvicted(vmBo);
        }
    }

    /**
     * {@code xe_bo_validate} of an imported object, its reservation lock held: maps the buffer
     * again if an invalidation took the mapping. Returns 0, or the exporter's errno ({@link
     * PrimeImport#validateLocked}).
     */
    int validateImport() {
        checkLive();
        return imported.validateLocked();
    }

    /** Whether the object was imported from another device's dma-buf. */
    boolean isImported() {
        return imported != null;
    }

    private void checkLive() {
        readState();
        if (freed) {
            throw new IllegalStateException("use of freed " + this);
        }
    }

    // ---- vm_operations_struct of CPU mappings (drm_gem_vm_open / drm_gem_vm_close) ---------

    @Override
    public void open(Vma vma) {
        writeState();
        get();
        cpuMappings.add(vma);
    }

    @Override
    public void close(Vma vma) {
        writeState();
        if (!cpuMappings.remove(vma)) {
            throw new IllegalStateException(vma + " is not a mapping of " + this);
        }
        put();
    }

    /**
     * {@code ttm_bo_mmap_obj}, the object's mmap behind both {@code drm_gem_mmap_obj} (an mmap of
     * the DRM file at the object's fake offset) and {@code drm_gem_prime_mmap} (an mmap of its
     * dma-buf): -EINVAL for a private mapping, since a PFN map cannot be copied on write; else
     * the VMA becomes {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}, its faults
     * resolved by {@code vmOps}. TTM leaves {@code vm_page_prot} at its cacheable default: the
     * caching of each PTE is chosen at fault time from the placement ({@code ttm_io_prot} on a
     * copy, in {@code ttm_bo_vm_fault_reserved}); only {@code drm_gem_mmap_obj}'s path for an
     * object without its own mmap sets a write-combined {@code vm_page_prot}, and the model's GEM
     * objects are TTM's. A dma-buf mmap reaches the same code, so its VMA is cacheable too.
     */
    int mmapObj(MmapSetup setup, VmOperations vmOps) {
        return setup.pfnMapping(vmOps);
    }

    /**
     * The CPU address at which {@code mm} maps byte {@code objectOffset} of this object through
     * one of its CPU mappings (a GEM mmap, or an mmap of its dma-buf), the first such mapping in
     * the order they were made, and how many bytes from there that mapping covers; null when
     * {@code mm} maps no part of the object holding that byte.
     */
    CpuSpan cpuSpanIn(MmStruct mm, long objectOffset) {
        readState();
        for (Vma vma : cpuMappings) {
            long first = (vma.ops() == this ? vma.pgoff() - offsetPage : vma.pgoff()) << PageFrame.PAGE_SHIFT;
            if (vma.mm() == mm && objectOffset >= first && objectOffset < first + vma.sizeBytes()) {
                return new CpuSpan(vma.start() + objectOffset - first, first + vma.sizeBytes() - objectOffset);
            }
        }
        return null;
    }

    /** A run of CPU addresses: {@code address} and the bytes mapped from there on. */
    record CpuSpan(long address, long lengthBytes) {
    }

    /** {@code ttm_bo_vm_fault} for a GEM mmap, whose page offsets start at the object's fake offset. */
    @Override
    public VmFaultResult fault(VmFault fault) {
        return faultPage(fault, fault.pgoff() - offsetPage);
    }

    /**
     * {@code ttm_bo_vm_fault} for page {@code index} of the object, from any CPU mapping of it (a
     * GEM mmap, or a dma-buf mmap, whose {@code vm_ops} are the object's): under the reservation
     * lock, so never in the middle of a move, which holds it from its fence wait to the free of
     * the old pages.
     *
     * <p>An imported object never gets a page: {@code ttm_bo_vm_reserve} refuses to fault a
     * buffer object whose {@code ttm_tt} is {@code TTM_TT_FLAG_EXTERNAL} (and not
     * {@code _MAPPABLE}) with SIGBUS, once it holds the reservation lock. xe creates an import
     * as a {@code ttm_bo_type_sg} object ({@code xe_dma_buf_init_obj}), for which
     * {@code ttm_tt_create} sets that flag; and a GEM mmap of it is not forwarded to the
     * exporter ({@code drm_gem_mmap_obj} goes straight to {@code ttm_bo_mmap_obj}; only the shmem
     * helpers redirect an import to {@code dma_buf_mmap}). So a CPU fault on an xe import is
     * SIGBUS whether or not the exporter revoked the buffer; the CPU reaches the buffer through
     * an mmap of the dma-buf instead.
     */
    VmFaultResult faultPage(VmFault fault, long index) {
        readState();
        if (freed || index < 0 || index >= pages.length) {
            return VmFaultResult.SIGBUS;
        }
        resv.lock();
        try {
            if (imported != null) {
                return VmFaultResult.SIGBUS; // ttm_bo_vm_reserve: imported pages are never faulted
            }
            PageFrame frame = page(Math.toIntExact(index));
            fault.insertPfnProt(frame, cpuCacheMode()); // ttm_bo_vm_fault_reserved: ttm_io_prot per fault
        } finally {
            resv.unlock();
        }
        return VmFaultResult.NOPAGE;
    }

    /**
     * {@code ttm_bo_vm_access} (drivers/gpu/drm/ttm/ttm_bo_vm.c; xe wraps it in {@code
     * xe_bo_vm_access} for a runtime-PM reference) for a GEM mmap: {@code access_remote_vm}
     * reaches the object through this hook, since GUP cannot follow its PFN map.
     */
    @Override
    public int access(Vma vma, long address, byte[] buf, int bufOffset, int length, int[] labels, boolean write,
            Principal principal, MemoryAccess.Via via) {
        long offset = address - vma.start() + ((vma.pgoff() - offsetPage) << PageFrame.PAGE_SHIFT);
        return ttmBoAccess(offset, buf, bufOffset, length, labels, write, principal, via);
    }

    /**
     * {@code ttm_bo_access} as the access hook of a CPU mapping calls it: {@code length} bytes at
     * byte {@code offset} of the object, through the object under its reservation lock, whichever
     * memory holds its pages ({@code ttm_bo_vm_access_kmap} for system memory, the driver's {@code
     * access_memory}, {@code xe_ttm_access_memory}, for VRAM). A range that does not lie inside
     * the object, or an empty one, is -EIO, as is an imported object: the model does not follow
     * TTM into an import's external pages, whose CPU faults it refuses too. Returns {@code
     * length}, or -EIO. Each page's part is reported with {@code principal} and {@code via}.
     */
    int ttmBoAccess(long offset, byte[] buf, int bufOffset, int length, int[] labels, boolean write,
            Principal principal, MemoryAccess.Via via) {
        if (length < 1 || offset < 0 || offset + length > sizeBytes || imported != null) {
            return Errno.EIO.neg();
        }
        checkLive(); // the mapping holds a reference
        resv.lock();
        try {
            int done = 0;
            while (done < length) {
                long at = offset + done;
                int index = (int) (at / PageFrame.PAGE_SIZE);
                int inPage = (int) (at % PageFrame.PAGE_SIZE);
                int chunk = Math.min(length - done, PageFrame.PAGE_SIZE - inPage);
                Through through = Through.named((inVram() ? "access_memory " : "kmap ") + label());
                if (write) {
                    device.kernel().physicalMemory().write(principal, via, pageRef(index), inPage, buf,
                            bufOffset + done, chunk, labels, through, false);
                } else {
                    device.kernel().physicalMemory().read(principal, via, pageRef(index), inPage, buf,
                            bufOffset + done, chunk, through, false);
                }
                done += chunk;
            }
            return length;
        } finally {
            resv.unlock();
        }
    }

    /** A step reads this object's state other than its pages. */
    private void readState() {
        shared.read(STATE, Long.MAX_VALUE);
    }

    /** A step changes this object's state other than its pages. */
    private void writeState() {
        shared.write(STATE, Long.MAX_VALUE);
    }

    @Override
    public String name() {
        return "gem " + id;
    }


    @Override
    public String toString() {
        return name();
    }
}
