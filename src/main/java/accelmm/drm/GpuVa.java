package accelmm.drm;

/**
 * Models {@code struct drm_gpuva}: one mapping of a {@link DrmGpuvm}, the VA interval
 * {@code [addr, addr + range)} backed by {@code obj} from {@code offset} on.
 *
 * <p>Addresses, ranges and offsets are in whatever unit the VM's user picks (bytes or pages),
 * as in the kernel; the model only needs them to be non-negative and not to overflow a
 * {@code long}. {@code obj} is {@code null} where the kernel's {@code gem.obj} is NULL: a
 * sparse mapping, or the VM's kernel-reserved node. A {@code GpuVa} is a value: the kernel
 * tracks the same interval in a new {@code drm_gpuva} after every split, and so does the model.
 *
 * @param <O> the type the VM's user names GEM objects by
 * @param addr {@code va.addr}, the first address
 * @param range {@code va.range}, the length (at least 1)
 * @param obj {@code gem.obj}, or {@code null} for a sparse mapping or the kernel node
 * @param offset {@code gem.offset}, the offset in {@code obj} that {@code addr} maps
 */
public record GpuVa<O>(long addr, long range, O obj, long offset) {

    public GpuVa {
        checkInterval(addr, range);
    }

    /** The first address after the mapping ({@code addr + range}). */
    public long end() {
        return addr + range;
    }

    /** Whether {@code [start, end)} and this mapping share an address. */
    public boolean overlaps(long start, long endExclusive) {
        return addr < endExclusive && start < end();
    }

    /** The offset in {@code obj} that address {@code a} maps, extrapolated beyond the mapping. */
    public long offsetAt(long a) {
        return offset + (a - addr);
    }

    /** {@code drm_gpuva_init_from_op}'s source: the map operation that creates this mapping. */
    public VaOp.Map<O> toMapOp() {
        return new VaOp.Map<>(addr, range, obj, offset);
    }

    @Override
    public String toString() {
        String backing = obj == null ? "sparse" : obj + "@" + offset;
        return "[" + addr + "," + end() + ") " + backing;
    }

    /** Throws unless {@code [addr, addr + range)} is a non-empty interval within {@code [0, Long.MAX_VALUE]}. */
    static void checkInterval(long addr, long range) {
        if (addr < 0 || range <= 0 || addr > Long.MAX_VALUE - range) {
            throw new IllegalArgumentException("bad VA interval addr=" + addr + " range=" + range);
        }
    }
}
