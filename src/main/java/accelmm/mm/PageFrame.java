package accelmm.mm;

import accelmm.sim.Cost;
import accelmm.sim.RefcountError;
import accelmm.sim.Shared;

import java.util.Arrays;

/**
 * Models {@code struct page} / an order-0 {@code struct folio}: one 4K frame of physical memory
 * with the counts the kernel keeps on it.
 *
 * <ul>
 *   <li>{@code refCount} — references of any kind (page tables, page cache, pins, device
 *       users); the frame is freed when it drops to zero. A pin adds {@link
 *       #GUP_PIN_COUNTING_BIAS} to it, as for small folios in the kernel, so {@link
 *       #maybeDmaPinned()} is the same heuristic as {@code folio_maybe_dma_pinned()}.</li>
 *   <li>{@code mapCount} — how many page-table entries map it.</li>
 *   <li>{@code pinCount} — exact number of FOLL_PIN pins, kept beside the bias for checks.</li>
 *   <li>{@code generation} — which allocation of this frame the object currently is; a
 *       reference that remembers an older generation is stale.</li>
 * </ul>
 *
 * Contents are allocated on first write (a never-written frame reads as zeroes), and so is the
 * per-byte secret label array. A store of one byte value over the whole frame (a bulk fill, a
 * repeated-byte write) keeps that byte instead of an array, and a store that labels the whole
 * frame with one secret keeps that label, so filling gigabytes, or a large secret, costs the
 * model no more than touching them.
 *
 * <p>Every field but the frame's identity is shared state: the frame reports its reads and
 * writes as the entry {@code [pfn, pfn + 1)} of its memory's {@link PhysicalMemory#shared()}
 * (its counts, its reverse-map links, its memory type and its contents alike), so that steps on
 * different frames commute and steps on one frame do not.
 */
public final class PageFrame {

    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;
    /** Pins raise the reference count by this much (include/linux/mm.h). */
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    private final PhysicalMemory memory;
    /** The memory's shared state, of which this frame is the entry {@code [pfn, pfn + 1)}. */
    private final Shared shared;
    private final long pfn;
    private final MemoryZone zone;
    private final boolean zeroPage;
    private long generation;
    private boolean free = true;
    private int refCount;
    private int mapCount;
    private int pinCount;
    private boolean anon;
    private boolean anonExclusive;
    private AnonVma anonVma;
    private AddressSpace mapping;
    private long index;
    /** The contents, or {@code null} when every byte is {@link #fill}. */
    private byte[] data;
    /** Every byte's value while {@link #data} is {@code null}. */
    private byte fill;
    /** The per-byte secret labels, or {@code null} when every byte has {@link #labelFill}. */
    private int[] labels;
    /** Every byte's label while {@link #labels} is {@code null} (0: not a secret). */
    private int labelFill;
    /** The frame's own memory type, as its owner set it ({@link #setCacheMode}); {@link #defaultCacheMode} otherwise. */
    private PageCacheMode cacheMode;
    /** Who set {@link #cacheMode}, for reports (its {@code toString}); {@code null} while it is the default. */
    private Object cacheModeOwner;

    PageFrame(PhysicalMemory memory, long pfn, MemoryZone zone, boolean zeroPage) {
        this.memory = memory;
        this.shared = memory.shared();
        this.pfn = pfn;
        this.zone = zone;
        this.zeroPage = zeroPage;
        this.cacheMode = defaultCacheMode();
    }

    /** Makes a free frame the next allocation: one reference, zeroed, not mapped. */
    void allocate(long newGeneration) {
        writeState();
        if (!free) {
            throw new IllegalStateException("allocating frame " + pfn + " which is in use");
        }
        free = false;
        generation = newGeneration;
        refCount = 1;
        mapCount = 0;
        pinCount = 0;
        anon = false;
        anonExclusive = false;
        anonVma = null;
        mapping = null;
        index = 0;
        resetCacheMode();
        // Pages handed to user space are zeroed on allocation (__GFP_ZERO); a freed frame keeps
        // its bytes until then, which is what a stale reader of it sees.
        clear();
    }

    public long pfn() {
        return pfn;
    }

    public MemoryZone zone() {
        return zone;
    }

    public long generation() {
        readState();
        return generation;
    }

    public boolean isFree() {
        readState();
        return free;
    }

    /** Whether this is the shared zero page, which is never counted or freed. */
    public boolean isZeroPage() {
        return zeroPage;
    }

    public int refCount() {
        readState();
        return refCount;
    }

    public int mapCount() {
        readState();
        return mapCount;
    }

    public int pinCount() {
        readState();
        return pinCount;
    }

    /**
     * What an object graph shows of this frame: {@code free}, {@code zero page}, or its counts
     * ({@code refcount 2, mapcount 1, pins 0}) and zone when not ordinary memory.
     */
    public String graphDetail() {
        if (zeroPage) {
            return "zero page";
        }
        readState();
        String where = zone.equals(MemoryZone.SYSTEM) ? "" : zone.name() + ", ";
        return free ? where + "free" : where + "refcount " + refCount + ", mapcount " + mapCount + ", pins " + pinCount;
    }

    /**
     * A run of frames of one zone, {@code first} to {@code last} by pfn, as reports name it:
     * {@code pfn 1..4}, {@code pfn 5..8@gpu0 vram}, or the frame alone ({@code pfn 3}).
     */
    public static String runLabel(PageFrame first, PageFrame last) {
        if (first == last) {
            return first.toString();
        }
        // A run stays in one zone: "pfn 4..7@vram".
        return "pfn " + first.pfn + ".." + last.pfn + (first.zone.device() ? "@" + first.zone : "");
    }

    /**
     * Adds to {@code graph} that {@code holder} holds this frame {@code via} (a page-table
     * entry, a pin, a page of a buffer) at {@code address} (a virtual address or an offset in
     * the holder), or -1 for none.
     */
    public void addTo(accelmm.sim.ObjectGraph graph, Object holder, String via, long address) {
        graph.frame(holder, pfn, graphDetail(), via, address, "");
    }

    /** {@code folio_maybe_dma_pinned}: true for pinned frames, and possibly for very shared ones. */
    public boolean maybeDmaPinned() {
        readState();
        return refCount >= GUP_PIN_COUNTING_BIAS;
    }

    /** {@code folio_test_anon}. */
    public boolean isAnon() {
        readState();
        return anon;
    }

    /** {@code PageAnonExclusive}: this anon page is known to be mapped by one process only. */
    public boolean isAnonExclusive() {
        readState();
        return anonExclusive;
    }

    /**
     * {@code __folio_set_anon}: an anonymous page under {@code anonVma} at linear index
     * {@code index} ({@code folio->mapping}, {@code folio->index}), found again through it by
     * {@link Rmap#walk}.
     */
    void setAnon(AnonVma anonVma, long index, boolean exclusive) {
        writeState();
        checkLive();
        if (anonVma == null) {
            throw new IllegalArgumentException("anonymous pfn " + pfn + " without an anon_vma");
        }
        anon = true;
        anonExclusive = exclusive;
        this.anonVma = anonVma;
        this.index = index;
    }

    /** A page of {@code mapping}'s page cache at offset {@code index} (in pages). */
    void setPageCache(AddressSpace mapping, long index) {
        writeState();
        checkLive();
        this.mapping = mapping;
        this.index = index;
    }

    /** The anon_vma of an anonymous page, or {@code null}. */
    AnonVma anonVma() {
        readState();
        return anonVma;
    }

    /** The page cache this page belongs to, or {@code null}. */
    AddressSpace mapping() {
        readState();
        return mapping;
    }

    /** {@code folio->index}: the linear page index of an anonymous page, the file offset of a cached one. */
    long index() {
        readState();
        return index;
    }

    void setAnonExclusive(boolean exclusive) {
        writeState();
        checkLive();
        anonExclusive = exclusive;
    }

    /**
     * The frame's own memory type: the mode its owner's mappings use (the kernel's linear map
     * of it, the device's, the owner's CPU mmaps). x86 records a RAM page's type when a driver
     * changes it ({@code set_pages_array_wc}/{@code _uc}, arch/x86/mm/pat/set_memory.c, which TTM's
     * pool applies to the pages of a write-combined or uncached object, {@code
     * ttm_pool_apply_caching} in drivers/gpu/drm/ttm/ttm_pool.c); device memory behind a BAR
     * has the type its driver reserved for the range ({@code ioremap_wc}, looked up by {@code
     * lookup_memtype}). Unless the owner said otherwise, RAM is WB and device memory UC: x86's
     * {@code lookup_memtype} (arch/x86/mm/pat/memtype.c) gives UC_MINUS to an address that is not
     * RAM and has no reservation, so MMIO is never WB by default.
     */
    public PageCacheMode cacheMode() {
        readState();
        return cacheMode;
    }

    /** Who set {@link #cacheMode()} (described by its {@code toString}), or {@code null} for the default type. */
    public Object cacheModeOwner() {
        readState();
        return cacheModeOwner;
    }

    /**
     * The owner {@code owner} (named in reports by its {@code toString}) maps this allocation of
     * the frame as {@code mode}. It lasts until the frame is freed, which gives it its default type
     * again (WB for RAM), as
     * TTM's pool sets a page back to WB ({@code set_pages_wb}) before it returns it to the page
     * allocator ({@code ttm_pool_free_page}). TTM's per-type page pools, which keep WC and UC
     * pages with their type for the next object of that caching, are not modelled: a freed
     * frame goes straight back to the allocator.
     */
    public void setCacheMode(PageCacheMode mode, Object owner) {
        writeState();
        checkLive();
        cacheMode = mode;
        cacheModeOwner = owner;
    }

    private void resetCacheMode() {
        cacheMode = defaultCacheMode();
        cacheModeOwner = null;
    }

    /** A frame's type when no owner set one: WB for RAM, UC for device memory (no RAM, no reservation). */
    private PageCacheMode defaultCacheMode() {
        return zone.device() ? PageCacheMode.UC : PageCacheMode.WB;
    }

    /** {@code folio_get}. */
    public void get() {
        if (zeroPage) {
            return;
        }
        writeState();
        checkLive();
        refCount++;
    }

    /** {@code folio_put}: drops a reference; the last one frees the frame. */
    public void put() {
        if (zeroPage) {
            return;
        }
        writeState();
        checkLive();
        if (refCount <= 0) {
            throw new RefcountError("refcount underflow on pfn " + pfn);
        }
        if (--refCount == 0) {
            if (mapCount != 0 || pinCount != 0) {
                throw new RefcountError("freeing pfn " + pfn + " still mapped " + mapCount
                        + " times, pinned " + pinCount + " times");
            }
            free = true;
            resetCacheMode();
            memory.release(this);
        }
    }

    /** Adds a page-table mapping (and its reference). */
    void addMapping() {
        if (zeroPage) {
            return;
        }
        writeState();
        checkLive();
        mapCount++;
        refCount++;
    }

    /** Removes a page-table mapping and drops its reference. */
    void removeMapping() {
        if (zeroPage) {
            return;
        }
        writeState();
        checkLive();
        if (mapCount <= 0) {
            throw new RefcountError("mapcount underflow on pfn " + pfn);
        }
        mapCount--;
        put();
    }

    /** A FOLL_PIN pin: {@code refCount += GUP_PIN_COUNTING_BIAS}. */
    void pin() {
        writeState();
        checkLive();
        pinCount++;
        refCount += GUP_PIN_COUNTING_BIAS;
        memory.count(Cost.PAGE_PINNED);
    }

    /** {@code unpin_user_page}. */
    public void unpin() {
        writeState();
        checkLive();
        if (pinCount <= 0) {
            throw new RefcountError("unpin of pfn " + pfn + " which is not pinned");
        }
        pinCount--;
        refCount -= GUP_PIN_COUNTING_BIAS - 1;
        memory.count(Cost.PAGE_UNPINNED);
        put();
    }

    /** The step reads this frame's state. */
    private void readState() {
        shared.read(pfn, pfn + 1);
    }

    /** The step changes this frame's state. */
    private void writeState() {
        shared.write(pfn, pfn + 1);
    }

    private void checkLive() {
        if (free) {
            throw new RefcountError("use of free frame pfn " + pfn);
        }
    }

    // ---- contents: raw, unobserved; PhysicalMemory reports accesses ------------------------

    byte readByte(int offset) {
        readState();
        return data == null ? fill : data[offset];
    }

    void readInto(int offset, byte[] out, int outOffset, int length) {
        readState();
        if (data == null) {
            Arrays.fill(out, outOffset, outOffset + length, fill);
        } else {
            System.arraycopy(data, offset, out, outOffset, length);
        }
    }

    /** The labels of a byte range, or {@code null} when none of it is labelled. */
    int[] labelsOf(int offset, int length) {
        readState();
        if (labels == null) {
            if (labelFill == 0) {
                return null;
            }
            int[] out = new int[length];
            Arrays.fill(out, labelFill);
            return out;
        }
        int[] out = Arrays.copyOfRange(labels, offset, offset + length);
        for (int l : out) {
            if (l != 0) {
                return out;
            }
        }
        return null;
    }

    void writeFrom(int offset, byte[] in, int inOffset, int length, int[] inLabels) {
        writeState();
        if (zeroPage) {
            throw new IllegalStateException("write to the zero page");
        }
        if (length == PAGE_SIZE && uniform(in, inOffset)) {
            data = null;
            fill = in[inOffset];
        } else {
            if (data == null) {
                data = new byte[PAGE_SIZE];
                Arrays.fill(data, fill);
            }
            System.arraycopy(in, inOffset, data, offset, length);
        }
        writeLabels(offset, inLabels, inOffset, length);
    }

    /** The labels of a store: {@code in} from {@code inOffset}, or none ({@code null}). */
    private void writeLabels(int offset, int[] in, int inOffset, int length) {
        if (length == PAGE_SIZE && (in == null || uniform(in, inOffset))) {
            labels = null;
            labelFill = in == null ? 0 : in[inOffset];
            return;
        }
        if (in == null && labels == null && labelFill == 0) {
            return;
        }
        if (labels == null) {
            labels = new int[PAGE_SIZE];
            Arrays.fill(labels, labelFill);
        }
        if (in != null) {
            System.arraycopy(in, inOffset, labels, offset, length);
        } else {
            Arrays.fill(labels, offset, offset + length, 0);
        }
    }

    /** Whether the page-sized run of {@code in} from {@code from} is one byte value. */
    private static boolean uniform(byte[] in, int from) {
        byte first = in[from];
        for (int i = from + 1; i < from + PAGE_SIZE; i++) {
            if (in[i] != first) {
                return false;
            }
        }
        return true;
    }

    /** Whether the page-sized run of {@code in} from {@code from} is one label. */
    private static boolean uniform(int[] in, int from) {
        int first = in[from];
        for (int i = from + 1; i < from + PAGE_SIZE; i++) {
            if (in[i] != first) {
                return false;
            }
        }
        return true;
    }

    /** Zero-fills the frame ({@code clear_highpage}). */
    void clear() {
        writeState();
        data = null;
        fill = 0;
        labels = null;
        labelFill = 0;
    }

    /** Copies contents and labels from {@code src} ({@code copy_highpage}); a copied page in the costs. */
    void copyFrom(PageFrame src) {
        writeState();
        src.readState();
        memory.count(Cost.PAGE_COPIED);
        data = src.data == null ? null : src.data.clone();
        fill = src.fill;
        labels = src.labels == null ? null : src.labels.clone();
        labelFill = src.labelFill;
    }

    /** A snapshot of the contents, for swap ({@code null} for zeroes). */
    byte[] dataSnapshot() {
        readState();
        if (data == null && fill != 0) {
            byte[] filled = new byte[PAGE_SIZE];
            Arrays.fill(filled, fill);
            return filled;
        }
        return data == null ? null : data.clone();
    }

    int[] labelsSnapshot() {
        readState();
        return labels == null ? labelsOf(0, PAGE_SIZE) : labels.clone();
    }

    void restore(byte[] savedData, int[] savedLabels) {
        writeState();
        memory.count(Cost.PAGE_COPIED);
        data = savedData == null ? null : savedData.clone();
        fill = 0;
        labels = savedLabels == null ? null : savedLabels.clone();
        labelFill = 0;
    }

    @Override
    public String toString() {
        return "pfn " + pfn + (zone.device() ? "@" + zone : "");
    }
}
