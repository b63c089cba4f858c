package accelmm.drm;

import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Vma;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmOperations;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct drm_gem_object} (with the system-memory placement of an {@code xe_bo}):
 * a GPU buffer of whole pages, its reference count, its handle count, its fake mmap offset and
 * the list of its {@link VmBo}s ({@code obj->gpuva.list}: the VMs it is mapped in).
 *
 * <p>Lifetime: every handle, every {@link VmBo} (the object mapped in a GPU VM), every CPU
 * mapping (VMA) and every lookup in progress holds one reference; the last {@link #put()}
 * frees the pages and the mmap offset. The way back, from the object to its VMs, is borrowed
 * under {@code teardown=open-count} and a counted VM reference under {@code refcount-only}
 * (see {@link VmBo}). The pages are allocated when the object is created
 * (xe populates system BOs on first use; the model makes that moment the creation).
 *
 * <p>CPU mappings: the object is the {@code vm_operations_struct} of its mmaps, as {@code
 * drm_gem_mmap_obj} sets {@code obj->funcs->vm_ops}: {@code open}/{@code close} take and drop a
 * reference, and a fault inserts the PFN of the page ({@code vmf_insert_pfn}: a special PTE that
 * holds no page reference; the VMA's object reference keeps the pages alive).
 *
 * <p>PRIME ({@link PrimeIoctl}): an exported object is held by its {@link DmaBuf} (the exporter's
 * reference, dropped when the buffer is released) and, while a handle names it, holds the buffer
 * in turn ({@code obj->dma_buf}, dropped with the last handle), so closing every handle leaves
 * the buffer — and through it the object — to its fds, mappings and importers. An object
 * imported from another device shares the exporter's pages and holds the buffer until it is
 * freed ({@code obj->import_attach}); references flow importer → dma-buf → exporter only.
 */
public final class GemObject implements VmOperations, DrmObject {

    private final DrmDevice device;
    private final DrmFile creator;
    private final int id;
    private final long sizeBytes;
    private final PageFrame[] pages;
    private final long offsetPage;
    private int refCount = 1;
    private int handleCount;
    private int cpuMappingCount;
    private final List<VmBo> vmBos = new ArrayList<>();
    private boolean freed;
    /** {@code obj->dma_buf}: the buffer this object is exported as, held while a handle names the object. */
    private DmaBuf dmaBuf;
    /** {@code obj->import_attach->dmabuf}: the buffer an imported object is backed by, held until it is freed. */
    private final DmaBuf importedFrom;

    GemObject(DrmDevice device, DrmFile creator, int id, long sizeBytes, long offsetPage) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.offsetPage = offsetPage;
        this.pages = new PageFrame[(int) (sizeBytes >>> PageFrame.PAGE_SHIFT)];
        this.importedFrom = null;
        PhysicalMemory memory = device.kernel().physicalMemory();
        for (int i = 0; i < pages.length; i++) {
            pages[i] = memory.allocPage();
        }
    }

    /**
     * {@code gem_prime_import_sg_table}: an object of this device backed by the pages of a buffer
     * another device exported, taking over the caller's reference on {@code importedFrom}. The
     * pages are borrowed (the buffer keeps its exporter, and so the pages, alive).
     */
    GemObject(DrmDevice device, DrmFile creator, int id, DmaBuf importedFrom, PageFrame[] exporterPages,
            long offsetPage) {
        this.device = device;
        this.creator = creator;
        this.id = id;
        this.sizeBytes = (long) exporterPages.length << PageFrame.PAGE_SHIFT;
        this.offsetPage = offsetPage;
        this.pages = exporterPages.clone();
        this.importedFrom = importedFrom;
    }

    /** A serial number, unique in the device, for reports (not a handle). */
    @Override
    public int id() {
        return id;
    }

    /** The device the object belongs to. */
    DrmDevice device() {
        return device;
    }

    @Override
    public DrmFile creator() {
        return creator;
    }

    /** {@code gem object 1 (16K)}. */
    @Override
    public String label() {
        return "gem object " + id + " (" + Fmt.size(sizeBytes) + ")";
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public int pageCount() {
        return pages.length;
    }

    public int refCount() {
        return refCount;
    }

    /** {@code obj->handle_count}: handles naming this object, in all files. */
    public int handleCount() {
        return handleCount;
    }

    public boolean isFreed() {
        return freed;
    }

    /** CPU mappings (VMAs) of the object. */
    public int cpuMappingCount() {
        return cpuMappingCount;
    }

    /** The VMs the object is mapped in, oldest pairing first ({@code drm_gem_for_each_gpuvm_bo}). */
    List<VmBo> vmBos() {
        return List.copyOf(vmBos);
    }

    /** {@code drm_gpuvm_bo_obtain} linked a new pairing into the object's list. */
    void vmBoLinked(VmBo vmBo) {
        checkLive();
        vmBos.add(vmBo);
    }

    /** {@code drm_gpuvm_bo_destroy} unlinked a pairing. */
    void vmBoUnlinked(VmBo vmBo) {
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
        checkLive();
        return PhysicalMemory.FrameRef.of(pages[index]);
    }

    /** {@code drm_gem_object_get}. */
    public void get() {
        checkLive();
        refCount++;
    }

    /** {@code drm_gem_object_put}: the last reference frees the pages and the mmap offset. */
    public void put() {
        checkLive();
        if (refCount <= 0) {
            throw new IllegalStateException("refcount underflow on " + this);
        }
        if (--refCount > 0) {
            return;
        }
        if (handleCount != 0) {
            throw new IllegalStateException("freeing " + this + " with " + handleCount + " handles");
        }
        freed = true;
        if (importedFrom == null) {
            for (PageFrame page : pages) {
                page.put();
            }
        } else {
            importedFrom.put(); // drm_prime_gem_destroy: detach, dma_buf_put
        }
        device.gemFreed(this);
    }

    /** A handle now names this object; the caller's reference becomes the handle's. */
    void handleCreated() {
        checkLive();
        handleCount++;
    }

    /**
     * {@code drm_gem_object_handle_put_unlocked}: drops a handle and its reference; the last
     * handle also drops the export cache ({@code drm_gem_object_exported_dma_buf_free}).
     */
    void handleDeleted() {
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
        return dmaBuf;
    }

    /** Keeps {@code buf} as {@code obj->dma_buf} with a reference of its own ({@code get_dma_buf}). */
    void cacheDmaBuf(DmaBuf buf) {
        checkLive();
        if (dmaBuf != null || handleCount == 0) {
            throw new IllegalStateException(this + " caches " + buf + " with dma_buf " + dmaBuf + ", "
                    + handleCount + " handles");
        }
        buf.get();
        dmaBuf = buf;
    }

    /** {@code obj->import_attach->dmabuf}: the buffer this object was imported from, or {@code null}. */
    DmaBuf importedFrom() {
        return importedFrom;
    }

    private void checkLive() {
        if (freed) {
            throw new IllegalStateException("use of freed " + this);
        }
    }

    // ---- vm_operations_struct of CPU mappings (drm_gem_vm_open / drm_gem_vm_close) ---------

    @Override
    public void open(Vma vma) {
        get();
        cpuMappingCount++;
    }

    @Override
    public void close(Vma vma) {
        cpuMappingCount--;
        put();
    }

    @Override
    public VmFaultResult fault(VmFault fault) {
        long index = fault.pgoff() - offsetPage;
        if (freed || index < 0 || index >= pages.length) {
            return VmFaultResult.SIGBUS;
        }
        fault.insertPfn(pages[(int) index]);
        return VmFaultResult.NOPAGE;
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
