package accelmm.drm;

import accelmm.mm.MemoryZone;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;

/**
 * Models a device's VRAM region manager ({@code struct xe_ttm_vram_mgr}): a {@link DrmBuddy}
 * over the device's memory, whose pages are frames of the device's own {@link MemoryZone}
 * ({@code gpu0 vram}).
 *
 * <p>The buddy decides how much is in use and where (its blocks): allocation is accounting.
 * The frames that stand for the pages come later, one when a page of the object is first
 * touched ({@link #allocFrame}), from {@link PhysicalMemory}'s free list of the zone, most
 * recently freed first, so an access through a translation that outlived its VRAM soon reaches
 * memory that belongs to the next allocation — the model does not tie a frame to a buddy
 * offset. Allocation is non-contiguous in pages ({@code min_block_size} = 4K).
 *
 * <p>The manager also keeps its LRU list ({@code man->lru}): the objects in this VRAM, least
 * recently placed first. An object joins the tail when it gets its VRAM ({@code
 * ttm_resource_init}) and leaves when it moves out or is freed; the model never validates an
 * object back into VRAM, so the order is that of allocation. {@link EvictWalk} walks it from the
 * head when an allocation does not fit.
 *
 * <p>The buddy allocator (and the state of its blocks) is reached only through this class, so
 * one {@link Shared} stands for it and the LRU list: every allocation, free and LRU change
 * writes it, since their order decides which blocks the next allocation gets.
 *
 * <p>Kernel sources followed: drivers/gpu/drm/xe/xe_ttm_vram_mgr.c, drivers/gpu/drm/drm_buddy.c.
 */
final class Vram {

    /** What one object holds of the VRAM: its buddy blocks (its frames come as its pages are touched). */
    record Allocation(List<DrmBuddyBlock> blocks) {
    }

    private final DrmBuddy buddy = new DrmBuddy();
    /** {@code man->lru}: the objects in this VRAM, least recently placed first. */
    private final List<GemObject> lru = new ArrayList<>();
    private final MemoryZone zone;
    private final PhysicalMemory memory;
    /** The buddy allocator and the LRU list. */
    private final Shared shared;

    /** VRAM of {@code sizeBytes} (a multiple of 4K, at least 4K) for device {@code deviceName}. */
    Vram(PhysicalMemory memory, String deviceName, long sizeBytes, Shared shared) {
        this.memory = memory;
        this.shared = shared;
        this.zone = new MemoryZone(deviceName + " vram", true);
        if (buddy.init(sizeBytes, PageFrame.PAGE_SIZE) != 0) {
            throw new IllegalArgumentException("vram of " + sizeBytes + " bytes for " + deviceName);
        }
    }

    MemoryZone zone() {
        return zone;
    }

    long sizeBytes() {
        return buddy.sizeBytes();
    }

    long availableBytes() {
        shared.read();
        return buddy.availableBytes();
    }

    /**
     * {@code xe_ttm_vram_mgr_new}: {@code pageCount} pages of VRAM, or {@code null} when the
     * buddy cannot find the space (-ENOSPC in the kernel).
     */
    Allocation alloc(int pageCount) {
        long size = (long) pageCount << PageFrame.PAGE_SHIFT;
        shared.write();
        if (size > buddy.availableBytes()) {
            return null;
        }
        DrmBuddyAllocResult r = buddy.allocBlocks(0, buddy.sizeBytes(), size, PageFrame.PAGE_SIZE);
        if (r.isError()) {
            return null;
        }
        return new Allocation(r.blocks());
    }

    /** A frame of this VRAM for a page of an allocation, on its first touch. */
    PageFrame allocFrame() {
        return memory.allocPage(zone);
    }

    /** {@code xe_ttm_vram_mgr_del}: the blocks go back to the buddy (the caller drops the frames). */
    void free(List<DrmBuddyBlock> blocks) {
        shared.write();
        buddy.freeBlocks(blocks);
    }

    /** {@code obj} got its VRAM: it joins the tail of the LRU list. */
    void lruAdd(GemObject obj) {
        shared.write();
        if (lru.contains(obj)) {
            throw new IllegalStateException(obj + " is on the vram LRU already");
        }
        lru.add(obj);
    }

    /** {@code obj} left the VRAM (moved out or freed). */
    void lruRemove(GemObject obj) {
        shared.write();
        if (!lru.remove(obj)) {
            throw new IllegalStateException(obj + " is not on the vram LRU");
        }
    }

    /** The LRU list as it is now, least recently placed first. */
    List<GemObject> lru() {
        shared.read();
        return List.copyOf(lru);
    }
}
