package accelmm.virt;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stage-2 page table (EPT/NPT on x86, the arm64 {@code kvm_pgtable}): guest frame number →
 * {@link Spte}. Changed under {@code kvm->mmu_lock} only.
 */
final class Stage2PageTable {

    private final TreeMap<Long, Spte> entries = new TreeMap<>();
    /** The entries, by gfn: the vCPU's faults and the invalidations meet here. */
    private final Shared shared;

    Stage2PageTable(Shared shared) {
        this.shared = shared;
    }

    Spte lookup(long gfn) {
        shared.read(gfn, gfn + 1);
        return entries.get(gfn);
    }

    /** Installs (or replaces) the entry of {@code gfn}; returns the one replaced, or null. */
    Spte install(long gfn, Spte spte) {
        shared.write(gfn, gfn + 1);
        return entries.put(gfn, spte);
    }

    /**
     * {@code kvm_unmap_gfn_range} of {@code [start, end)}: removes the entries and returns them
     * (a flush is needed if any).
     */
    List<Spte> zapGfnRange(long start, long end) {
        shared.write(start, end);
        Map<Long, Spte> range = entries.subMap(start, end);
        List<Spte> zapped = new ArrayList<>(range.values());
        range.clear();
        return zapped;
    }

    /** Removes every entry ({@code kvm_flush_shadow_all}, {@code kvm_mmu_zap_all}). */
    List<Spte> zapAll() {
        shared.write();
        List<Spte> zapped = new ArrayList<>(entries.values());
        entries.clear();
        return zapped;
    }

    int size() {
        shared.read();
        return entries.size();
    }
}
