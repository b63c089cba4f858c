package accelmm.drm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU VA intervals of a {@link GpuVm} whose mappings carry {@code XE_VMA_DUMPABLE} (DCD-05):
 * set by a map or userptr bind with {@code DRM_XE_VM_BIND_FLAG_DUMPABLE}
 * ({@code vm_bind_ioctl_ops_create} in {@code xe_vm.c}), kept by the pieces a later bind or unbind
 * splits off (the remap op copies the old VMA's flag to its prev/next VMAs, {@code
 * vm_bind_ioctl_ops_parse}), gone with the mapping. The model keeps the flag per address rather
 * than per {@link GpuVa}, because a {@code GpuVa} is a value the tree re-creates at every split:
 * a map over a range replaces the flag there, an unmap clears it, and what is left of a split
 * mapping keeps its flag untouched.
 */
final class DumpableRanges {

    /** Disjoint, non-adjacent intervals: start → end (exclusive), in address order. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** A bind of {@code [start, end)}: the new mapping is dumpable exactly when it was asked to be. */
    void map(long start, long end, boolean dumpable) {
        clear(start, end);
        if (dumpable) {
            add(start, end);
        }
    }

    /** An unbind of {@code [start, end)}: no mapping there, so nothing dumpable either. */
    void clear(long start, long end) {
        Map.Entry<Long, Long> before = ranges.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            ranges.put(before.getKey(), start);
            if (before.getValue() > end) {
                ranges.put(end, before.getValue());
            }
        }
        for (Map.Entry<Long, Long> e = ranges.ceilingEntry(start); e != null && e.getKey() < end;
                e = ranges.ceilingEntry(start)) {
            ranges.remove(e.getKey());
            if (e.getValue() > end) {
                ranges.put(end, e.getValue());
            }
        }
    }

    /** Whether every address of {@code [start, end)} is dumpable. */
    boolean covers(long start, long end) {
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        return e != null && e.getValue() >= end;
    }

    private void add(long start, long end) {
        long s = start;
        long t = end;
        Map.Entry<Long, Long> before = ranges.lowerEntry(s);
        if (before != null && before.getValue() == s) {
            s = before.getKey();
            ranges.remove(s);
        }
        Long after = ranges.remove(t);
        if (after != null) {
            t = after;
        }
        ranges.put(s, t);
    }
}
