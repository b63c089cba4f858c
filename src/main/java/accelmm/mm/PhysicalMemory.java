package accelmm.mm;

import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import accelmm.sim.Shared;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's physical memory as the page allocator and the memory bus see it.
 *
 * <p>Allocation hands out order-0 frames of a {@link MemoryZone}; a freed frame goes back to the
 * front of its zone's free list and is the next one handed out, as with the kernel's per-cpu
 * page lists, so that an access through a stale reference soon lands on memory that belongs to
 * someone else. Every allocation gets a new generation number.
 *
 * <p>Every load and store by a CPU, device, debugger or guest goes through {@link #read} and
 * {@link #write}, which report it to the {@link MemoryAccessObserver}s. Copies the kernel makes
 * for itself (COW, migration, swap) are not reported.
 *
 * <p>Shared state, as the explorer sees it: the frames, one entry per pfn of {@link #shared()}
 * (each {@link PageFrame} reports its own), and the allocator ({@code allocator}: the free
 * lists, the frame list, the generation counter), which every allocation and free writes, since
 * their order decides which frame the next allocation reuses. The observers are set up before
 * the run and never change during it.
 */
public final class PhysicalMemory {

    /** A reference to one allocation of a frame: what a PTE or a device mapping remembers. */
    public record FrameRef(PageFrame frame, long generation) {
        public static FrameRef of(PageFrame frame) {
            return new FrameRef(frame, frame.generation());
        }

        /**
         * Adds to {@code graph} that {@code holder} holds this reference {@code via} at {@code
         * address} (or -1), saying so when the frame was freed, or freed and reused, since.
         */
        public void addTo(accelmm.sim.ObjectGraph graph, Object holder, String via, long address) {
            graph.frame(holder, frame.pfn(), frame.graphDetail(), via, address, staleness());
        }

        /**
         * Why this reference no longer points at the allocation it was taken on ({@code stale:
         * frame freed}, {@code stale: frame reused}), or empty while it does.
         */
        public String staleness() {
            return frame.isFree() ? "stale: frame freed"
                    : frame.generation() != generation ? "stale: frame reused" : "";
        }

        /**
         * What a mapping's page references, in its page order, point at, grouped as reports group
         * frames: consecutive frames of one zone, equally stale, as one run ({@code pfn 1..4},
         * {@code pfn 5..8@gpu0 vram}, {@code pfn 1..4 (stale: frame freed)}), and consecutive
         * pages without a frame (null entries) as {@code none}; the runs joined by commas.
         */
        public static String runs(List<FrameRef> refs) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < refs.size()) {
                int end = i + 1;
                while (end < refs.size() && continues(refs.get(end - 1), refs.get(end))) {
                    end++;
                }
                FrameRef first = refs.get(i);
                if (first == null) {
                    out.add("none");
                } else {
                    String stale = first.staleness();
                    out.add(PageFrame.runLabel(first.frame, refs.get(end - 1).frame)
                            + (stale.isEmpty() ? "" : " (" + stale + ")"));
                }
                i = end;
            }
            return out.isEmpty() ? "none" : String.join(", ", out);
        }

        private static boolean continues(FrameRef before, FrameRef next) {
            if (before == null || next == null) {
                return before == next;
            }
            return next.frame.pfn() == before.frame.pfn() + 1 && next.frame.zone().equals(before.frame.zone())
                    && next.staleness().equals(before.staleness());
        }
    }

    private final Map<MemoryZone, ArrayDeque<PageFrame>> freeLists = new LinkedHashMap<>();
    private final List<PageFrame> frames = new ArrayList<>();
    private final List<MemoryAccessObserver> observers = new ArrayList<>();
    private final PageFrame zeroPage;
    private final CostCounters costs;
    private final Shared shared;
    private final Shared allocator;
    private long generations;
    private long allocatedCount;

    /** Memory whose pins, unpins and kernel copies count nowhere (for unit tests). */
    public PhysicalMemory() {
        this(new CostCounters(), Shared.NONE, Shared.NONE);
    }

    /**
     * Memory whose pins, unpins and kernel copies are counted in {@code costs}, its frames
     * reported to the explorer as {@code shared} (frame numbers are its entries) and its page
     * allocator as {@code allocator}.
     */
    public PhysicalMemory(CostCounters costs, Shared shared, Shared allocator) {
        this.costs = costs;
        this.shared = shared;
        this.allocator = allocator;
        zeroPage = new PageFrame(this, 0, MemoryZone.SYSTEM, true);
        zeroPage.allocate(++generations);
        frames.add(zeroPage);
    }

    /** The memory as the explorer sees it (see {@link Shared}). */
    public Shared shared() {
        return shared;
    }

    /** The shared zero page ({@code ZERO_PAGE(0)}): mapped read-only for reads of untouched anon memory. */
    public PageFrame zeroPage() {
        return zeroPage;
    }

    /** Allocates a zeroed frame of system memory with one reference. */
    public PageFrame allocPage() {
        return allocPage(MemoryZone.SYSTEM);
    }

    /** Allocates a zeroed frame of {@code zone} with one reference. */
    public PageFrame allocPage(MemoryZone zone) {
        allocator.write();
        ArrayDeque<PageFrame> free = freeLists.get(zone);
        PageFrame frame = free == null ? null : free.pollFirst();
        if (frame == null) {
            frame = new PageFrame(this, frames.size(), zone, false);
            frames.add(frame);
        }
        frame.allocate(++generations);
        allocatedCount++;
        return frame;
    }

    /** Counts one event in the machine's cost counters. */
    void count(Cost cost) {
        costs.count(cost);
    }

    /** Called by {@link PageFrame#put()} when the last reference went. */
    void release(PageFrame frame) {
        allocator.write();
        allocatedCount--;
        freeLists.computeIfAbsent(frame.zone(), z -> new ArrayDeque<>()).addFirst(frame);
    }

    /** Frames allocated and not freed (the zero page excluded). */
    public long allocatedCount() {
        allocator.read();
        return allocatedCount;
    }

    /** Every frame ever created, in pfn order (for leak reports). */
    public List<PageFrame> frames() {
        allocator.read();
        return java.util.Collections.unmodifiableList(frames);
    }

    public void addObserver(MemoryAccessObserver observer) {
        observers.add(observer);
    }

    /** A load of {@code length} bytes at {@code offset} of the referenced frame, reported. */
    public byte[] read(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, int length,
            String through) {
        byte[] out = new byte[length];
        read(principal, via, ref, offset, out, 0, length, through);
        return out;
    }

    /** As {@link #read(Principal, MemoryAccess.Via, FrameRef, int, int, String)} into a buffer. */
    public void read(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] out,
            int outOffset, int length, String through) {
        read(principal, via, ref, offset, out, outOffset, length, through, false);
    }

    /**
     * A load through a translation that may have been invalidated ({@code invalidatedMapping}:
     * see {@link MemoryAccess}), reported.
     */
    public void read(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] out,
            int outOffset, int length, String through, boolean invalidatedMapping) {
        read(principal, via, ref, offset, out, outOffset, length, Through.named(through), invalidatedMapping);
    }

    /** As above, with the mapping as parts (no text is built unless a report needs it). */
    public void read(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] out,
            int outOffset, int length, Through through, boolean invalidatedMapping) {
        read(principal, via, ref, offset, out, outOffset, length, through, invalidatedMapping, null, false);
    }

    /**
     * As above, through a mapping of memory type {@code cacheMode} ({@code null}: agrees with the
     * frame's by construction) by an agent whose uncached accesses snoop the CPU caches or not
     * ({@code snoopsCaches}); see {@link MemoryAccess}.
     */
    public void read(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] out,
            int outOffset, int length, Through through, boolean invalidatedMapping, PageCacheMode cacheMode,
            boolean snoopsCaches) {
        checkRange(offset, length);
        ref.frame().readInto(offset, out, outOffset, length);
        report(new MemoryAccess(principal, via, ref.frame(), ref.generation(), offset, length, false, through,
                invalidatedMapping, cacheMode, snoopsCaches), ref.frame().labelsOf(offset, length));
    }

    /** The secret labels of a byte range, or {@code null}: unobserved, for the layers that copy. */
    public int[] labels(PageFrame frame, int offset, int length) {
        checkRange(offset, length);
        return frame.labelsOf(offset, length);
    }

    /**
     * A store of {@code length} bytes of {@code data} (from {@code dataOffset}) at {@code offset}
     * of the referenced frame, with the bytes' secret labels ({@code null} for none), reported.
     */
    public void write(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] data,
            int dataOffset, int length, int[] labels, String through) {
        write(principal, via, ref, offset, data, dataOffset, length, labels, through, false);
    }

    /** A store through a translation that may have been invalidated, reported. */
    public void write(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] data,
            int dataOffset, int length, int[] labels, String through, boolean invalidatedMapping) {
        write(principal, via, ref, offset, data, dataOffset, length, labels, Through.named(through), invalidatedMapping);
    }

    /** As above, with the mapping as parts (no text is built unless a report needs it). */
    public void write(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] data,
            int dataOffset, int length, int[] labels, Through through, boolean invalidatedMapping) {
        write(principal, via, ref, offset, data, dataOffset, length, labels, through, invalidatedMapping, null,
                false);
    }

    /**
     * As above, through a mapping of memory type {@code cacheMode} by an agent whose uncached
     * accesses snoop the CPU caches or not; see {@link MemoryAccess}.
     */
    public void write(Principal principal, MemoryAccess.Via via, FrameRef ref, int offset, byte[] data,
            int dataOffset, int length, int[] labels, Through through, boolean invalidatedMapping,
            PageCacheMode cacheMode, boolean snoopsCaches) {
        checkRange(offset, length);
        ref.frame().writeFrom(offset, data, dataOffset, length, labels);
        report(new MemoryAccess(principal, via, ref.frame(), ref.generation(), offset, length, true, through,
                invalidatedMapping, cacheMode, snoopsCaches), labels == null ? null : ref.frame().labelsOf(offset, length));
    }

    private void report(MemoryAccess access, int[] labels) {
        for (int i = 0; i < observers.size(); i++) {
            observers.get(i).onAccess(access, labels);
        }
    }

    private static void checkRange(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > PageFrame.PAGE_SIZE) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a page");
        }
    }
}
