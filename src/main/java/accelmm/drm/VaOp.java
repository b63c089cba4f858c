package accelmm.drm;

/**
 * Models {@code struct drm_gpuva_op}: one step of the sequence that
 * {@link DrmGpuvm#smMap} or {@link DrmGpuvm#smUnmap} computes to fit a request into the VA
 * space (the kernel's {@code DRM_GPUVA_OP_MAP}, {@code _REMAP} and {@code _UNMAP}; prefetch
 * and driver ops are not modelled). The steps must be applied in order
 * ({@link DrmGpuvm#apply}) before the next request is computed.
 *
 * @param <O> the type the VM's user names GEM objects by
 */
public sealed interface VaOp<O> permits VaOp.Map, VaOp.Remap, VaOp.Unmap {

    /**
     * Models {@code struct drm_gpuva_op_map}: insert a mapping of {@code [addr, addr + range)}
     * to {@code obj} from {@code offset}. As the last step of {@code sm_map} it is the request
     * itself; inside a {@link Remap} it is a piece of a split mapping.
     */
    record Map<O>(long addr, long range, O obj, long offset) implements VaOp<O> {

        public Map {
            GpuVa.checkInterval(addr, range);
        }

        /** The first address after the mapping. */
        public long end() {
            return addr + range;
        }

        /** {@code drm_gpuva_init_from_op}: the mapping this operation inserts. */
        public GpuVa<O> toVa() {
            return new GpuVa<>(addr, range, obj, offset);
        }
    }

    /**
     * Models {@code struct drm_gpuva_op_unmap}: remove the existing mapping {@code va}.
     * {@code keep} says that {@code va} is physically contiguous with the map request (same
     * object, and {@code va}'s offsets continue the request's), so a driver may keep its page
     * table entries and only add the missing ones. {@code sm_unmap} never sets it.
     */
    record Unmap<O>(GpuVa<O> va, boolean keep) implements VaOp<O> {

        public Unmap {
            if (va == null) {
                throw new IllegalArgumentException("unmap of no mapping");
            }
        }
    }

    /**
     * Models {@code struct drm_gpuva_op_remap}: split the existing mapping {@code unmap.va()},
     * keeping the piece before the request ({@code prev}) and/or the piece after it
     * ({@code next}); either is {@code null} when the request is aligned with that end of the
     * old mapping, never both. The pieces keep the old object, and {@code next}'s offset is
     * advanced by the distance from the old start.
     */
    record Remap<O>(Map<O> prev, Map<O> next, Unmap<O> unmap) implements VaOp<O> {

        public Remap {
            if (unmap == null || (prev == null && next == null)) {
                throw new IllegalArgumentException("remap needs an unmap and at least one piece");
            }
            GpuVa<O> old = unmap.va();
            if (prev != null && (prev.addr() != old.addr() || prev.end() > old.end())) {
                throw new IllegalArgumentException("prev " + prev + " is not a head of " + old);
            }
            if (next != null && (next.end() != old.end() || next.addr() < old.addr())) {
                throw new IllegalArgumentException("next " + next + " is not a tail of " + old);
            }
        }
    }
}
