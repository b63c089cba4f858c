package accelmm.accel;

import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct hl_vm_phys_pg_pack} of a device whose DRAM has an MMU (Gaudi2 and later):
 * the physical device-memory pages one {@code HL_MEM_OP_ALLOC} got, named by a handle from the
 * device's {@code phys_pg_pack_handles} IDR, and owned by the context that allocated them (its
 * {@code asid}). The pages are frames of the device's own memory zone, taken at allocation and
 * given back when the pack is freed.
 *
 * <p>Abstracted: the device's DRAM page size (tens of megabytes on Gaudi2) is the model's 4K
 * page; contiguous allocations ({@code HL_MEM_CONTIGUOUS}) are not asked for.
 */
final class HlPhysPgPack {

    private final int handle;
    private final HlCtx ctx;
    private final List<PageFrame> pages;
    /** Each page's frame with the generation of this allocation. */
    private final List<PhysicalMemory.FrameRef> refs;
    private boolean freed;
    private final Shared shared;

    HlPhysPgPack(int handle, HlCtx ctx, List<PageFrame> pages) {
        this.handle = handle;
        this.ctx = ctx;
        this.shared = ctx.device().sim().shared("hl phys pg pack");
        this.pages = List.copyOf(pages);
        List<PhysicalMemory.FrameRef> made = new ArrayList<>(pages.size());
        for (PageFrame f : pages) {
            made.add(PhysicalMemory.FrameRef.of(f));
        }
        this.refs = List.copyOf(made);
    }

    /** {@code phys_pg_pack->handle}: what ALLOC returned. */
    int handle() {
        return handle;
    }

    /** The context whose {@code asid} the pack carries. */
    HlCtx ctx() {
        return ctx;
    }

    int pageCount() {
        return pages.size();
    }

    long totalSizeBytes() {
        return (long) pages.size() << PageFrame.PAGE_SHIFT;
    }

    boolean isFreed() {
        shared.read();
        return freed;
    }

    /**
     * The pages as an importer's table holds them: one reference per page, in order, each to this
     * allocation of its frame, so that an access after the frame went to another allocation is a
     * use-after-free for the checker — also when the pack was freed already.
     */
    List<PhysicalMemory.FrameRef> frameRefs() {
        return refs;
    }

    /**
     * {@code free_phys_pg_pack}: the pages go back to the device's pool. The last page is given
     * back first: the model's free list hands out the most recently freed frame first, so the
     * next allocation gets these pages in the same order, as {@code gen_pool}'s first fit hands
     * out the same lowest range again.
     */
    void free() {
        shared.write();
        if (freed) {
            throw new IllegalStateException("free_phys_pg_pack twice: " + this);
        }
        freed = true;
        for (int i = pages.size() - 1; i >= 0; i--) {
            pages.get(i).put();
        }
    }

    @Override
    public String toString() {
        return ctx.device().name() + " memory handle " + handle + " (" + (totalSizeBytes() >> 10) + "K)";
    }
}
