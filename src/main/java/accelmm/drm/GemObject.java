package accelmm.drm;

import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Vma;
import accelmm.mm.VmFault;
import accelmm.mm.VmFaultResult;
import accelmm.mm.VmOperations;

/**
 * Models {@code struct drm_gem_object} (with the system-memory placement of an {@code xe_bo}):
 * a GPU buffer of whole pages, its reference count, its handle count and its fake mmap offset.
 *
 * <p>Lifetime: every handle, every {@link VmBo} (the object mapped in a GPU VM), every CPU
 * mapping (VMA) and every lookup in progress holds one reference; the last {@link #put()}
 * frees the pages and the mmap offset. The pages are allocated when the object is created
 * (xe populates system BOs on first use; the model makes that moment the creation).
 *
 * <p>CPU mappings: the object is the {@code vm_operations_struct} of its mmaps, as {@code
 * drm_gem_mmap_obj} sets {@code obj->funcs->vm_ops}: {@code open}/{@code close} take and drop a
 * reference, and a fault inserts the PFN of the page ({@code vmf_insert_pfn}: a special PTE that
 * holds no page reference; the VMA's object reference keeps the pages alive).
 */
public final class GemObject implements VmOperations {

    private final DrmDevice device;
    private final int id;
    private final long sizeBytes;
    private final PageFrame[] pages;
    private final long offsetPage;
    private int refCount = 1;
    private int handleCount;
    private boolean freed;

    GemObject(DrmDevice device, int id, long sizeBytes, long offsetPage) {
        this.device = device;
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.offsetPage = offsetPage;
        this.pages = new PageFrame[(int) (sizeBytes >>> PageFrame.PAGE_SHIFT)];
        PhysicalMemory memory = device.kernel().physicalMemory();
        for (int i = 0; i < pages.length; i++) {
            pages[i] = memory.allocPage();
        }
    }

    /** A serial number, unique in the device, for reports (not a handle). */
    public int id() {
        return id;
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
        for (PageFrame page : pages) {
            page.put();
        }
        device.gemFreed(this);
    }

    /** A handle now names this object; the caller's reference becomes the handle's. */
    void handleCreated() {
        checkLive();
        handleCount++;
    }

    /** {@code drm_gem_object_handle_put_unlocked}: drops a handle and its reference. */
    void handleDeleted() {
        if (handleCount <= 0) {
            throw new IllegalStateException("handle count underflow on " + this);
        }
        handleCount--;
        put();
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
    }

    @Override
    public void close(Vma vma) {
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

    /** For leak reports: {@code gem 1 16K refs=2 handles=1}. */
    public String describe() {
        return name() + " " + Fmt.size(sizeBytes) + " refs=" + refCount + " handles=" + handleCount;
    }

    @Override
    public String toString() {
        return name();
    }
}
