package accelmm.mm;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The page tables of one address space, flattened to a sorted map from virtual page number to
 * {@link Pte}. Lookups and range walks are O(log n); iteration is in address order.
 *
 * <p>The entries are shared state, reported by virtual page number ({@code shared}): a lookup
 * reads its entry, a walk its range, a change writes its entry.
 */
public final class PageTable {

    /** Bytes one page-table page maps ({@code PMD_SIZE} on x86-64: 512 PTEs). */
    public static final long PMD_SIZE = 1L << 21;

    private final TreeMap<Long, Pte> entries = new TreeMap<>();
    private final Shared shared;

    PageTable(Shared shared) {
        this.shared = shared;
    }

    /**
     * {@code pmd_addr_end}: the end of the page-table page that maps {@code address}, or {@code
     * end} if that comes first. The kernel's range walks go one page-table page at a time under
     * its lock; an access larger than {@link BulkAccess#PAGEWISE_MAX_BYTES} takes one step per
     * such span in the model.
     */
    public static long pmdAddrEnd(long address, long end) {
        long boundary = (address | (PMD_SIZE - 1)) + 1;
        // Unsigned, as the kernel's unsigned longs: an end with the top bit set is above the
        // boundary, and so is an end of 0, a range that reaches the top of the address space.
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }

    static long vpn(long address) {
        return address >>> PageFrame.PAGE_SHIFT;
    }

    /** The entry for the page containing {@code address}, or {@code null} ({@code pte_none}). */
    public Pte lookup(long address) {
        long vpn = vpn(address);
        shared.read(vpn, vpn + 1);
        return entries.get(vpn);
    }

    void set(long address, Pte pte) {
        long vpn = vpn(address);
        shared.write(vpn, vpn + 1);
        entries.put(vpn, pte);
    }

    Pte clear(long address) {
        long vpn = vpn(address);
        shared.write(vpn, vpn + 1);
        return entries.remove(vpn);
    }

    /** The page addresses with an entry in {@code [start, end)}, ascending (a snapshot). */
    List<Long> addressesIn(long start, long end) {
        long first = vpn(start);
        long last = vpn(end - 1);
        if (first <= last) {
            shared.read(first, last + 1);
        } else {
            shared.read();
        }
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Pte> e : entries.subMap(first, true, last, true).entrySet()) {
            out.add(e.getKey() << PageFrame.PAGE_SHIFT);
        }
        return out;
    }

    public int size() {
        shared.read();
        return entries.size();
    }
}
