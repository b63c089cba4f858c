package accelmm.drm;

import accelmm.mm.PhysicalMemory;

/**
 * One entry of a GPU page table: the frame (allocation) a GPU virtual page translates to and
 * whether the GPU may write it. Like a CPU PTE it remembers the frame's generation when it was
 * written, so an access through an entry that outlived its page is seen as stale.
 */
public record GpuPte(PhysicalMemory.FrameRef ref, boolean writable) {

    @Override
    public String toString() {
        return ref.frame() + (writable ? " rw" : " ro");
    }
}
