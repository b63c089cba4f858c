package accelmm.drm;

import java.util.ArrayList;
import java.util.List;

/**
 * Models the walks of {@code __drm_gpuvm_sm_map} and {@code __drm_gpuvm_sm_unmap}: the steps
 * that fit a request into the mappings it overlaps.
 *
 * <p>The kernel's map walk has nine branches (old start before, at or after the request's,
 * times old end before, at or after the request's end). They reduce to one rule per
 * overlapped mapping {@code va}:
 *
 * <pre>
 *   va:       |----prev----|====inside====|----next----|
 *   request:               |==============|
 *             va.addr      reqAddr        reqEnd      va.end
 * </pre>
 *
 * a piece {@code prev = [va.addr, reqAddr)} survives if {@code va} starts before the request
 * (same offset), a piece {@code next = [reqEnd, va.end)} survives if it ends after it (offset
 * advanced by {@code reqEnd - va.addr}); with no piece the step is an unmap, otherwise a remap.
 * The walk breaks where the kernel's does only once {@code va.end >= reqEnd}, where no further
 * mapping can overlap, so visiting every overlapped mapping is the same walk. {@code keep}
 * holds when {@code va} maps the request's object at the offsets the request would give it,
 * and {@code gem.obj} is not NULL; unmap requests never set it.
 */
final class GpuvmSplitMerge {

    private GpuvmSplitMerge() {
    }

    /** {@code __drm_gpuvm_sm_map}: one step per overlapped mapping, then the request's map. */
    static <O> List<VaOp<O>> map(List<GpuVa<O>> overlapped, VaOp.Map<O> req) {
        List<VaOp<O>> ops = new ArrayList<>(overlapped.size() + 1);
        for (GpuVa<O> va : overlapped) {
            ops.add(step(va, req.addr(), req.end(), contiguous(va, req)));
        }
        ops.add(req);
        return ops;
    }

    /** {@code __drm_gpuvm_sm_unmap}: one step per overlapped mapping, none with {@code keep}. */
    static <O> List<VaOp<O>> unmap(List<GpuVa<O>> overlapped, long reqAddr, long reqEnd) {
        List<VaOp<O>> ops = new ArrayList<>(overlapped.size());
        for (GpuVa<O> va : overlapped) {
            ops.add(step(va, reqAddr, reqEnd, false));
        }
        return ops;
    }

    /** The unmap or remap that takes {@code [reqAddr, reqEnd)} out of {@code va}. */
    private static <O> VaOp<O> step(GpuVa<O> va, long reqAddr, long reqEnd, boolean keep) {
        VaOp.Unmap<O> unmap = new VaOp.Unmap<>(va, keep);
        VaOp.Map<O> prev = va.addr() < reqAddr
                ? new VaOp.Map<>(va.addr(), reqAddr - va.addr(), va.obj(), va.offset())
                : null;
        VaOp.Map<O> next = va.end() > reqEnd
                ? new VaOp.Map<>(reqEnd, va.end() - reqEnd, va.obj(), va.offsetAt(reqEnd))
                : null;
        return prev == null && next == null ? unmap : new VaOp.Remap<>(prev, next, unmap);
    }

    /**
     * The kernel's {@code merge}: {@code va} is backed by the request's object (not NULL) at
     * the offsets the request assigns its addresses. For {@code va} starting before the
     * request that is {@code offset + (reqAddr - addr) == reqOffset}, after it
     * {@code offset == reqOffset + (addr - reqAddr)}: the same equation.
     */
    private static <O> boolean contiguous(GpuVa<O> va, VaOp.Map<O> req) {
        return va.obj() != null && va.obj().equals(req.obj()) && va.offsetAt(req.addr()) == req.offset();
    }
}
