package accelmm.dmabuf;

import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import java.util.List;

/**
 * Models {@code struct sg_table} as an importer sees it after {@code dma_buf_map_attachment}:
 * the buffer's pages in buffer order, one {@link PhysicalMemory.FrameRef} per page (the core
 * returns page-aligned entries only, so the model keeps one per page), and whether they are
 * peer-to-peer bus addresses of another device's memory, which has no {@code struct page}
 * behind it ({@code sg_page} is {@code NULL} in an exporter's table of VRAM).
 *
 * <p>A frame reference carries the frame's allocation generation: an importer that goes on
 * using a table after the exporter moved the buffer and freed or reused the frames reaches
 * them with a stale generation, which the checker reports as a use-after-free.
 */
public record SgTable(List<PhysicalMemory.FrameRef> pages, boolean peerToPeer) {

    public SgTable {
        pages = List.copyOf(pages);
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("an sg_table of a dma-buf has at least one page");
        }
    }

    /** The table of {@code frames} as they are now (each frame's current generation). */
    public static SgTable of(PageFrame[] frames, boolean peerToPeer) {
        PhysicalMemory.FrameRef[] refs = new PhysicalMemory.FrameRef[frames.length];
        for (int i = 0; i < frames.length; i++) {
            refs[i] = PhysicalMemory.FrameRef.of(frames[i]);
        }
        return new SgTable(List.of(refs), peerToPeer);
    }

    /** Pages in the table. */
    public int pageCount() {
        return pages.size();
    }

    /** The frame of page {@code index}, with the generation it had when the table was made. */
    public PhysicalMemory.FrameRef page(int index) {
        return pages.get(index);
    }

    /** The size the table covers, in bytes. */
    public long sizeBytes() {
        return (long) pages.size() << PageFrame.PAGE_SHIFT;
    }
}
