package accelmm.drm;

import accelmm.mm.Errno;
import java.util.List;

/**
 * Models {@code struct drm_gpuva_ops}, or the {@code ERR_PTR} that
 * {@code drm_gpuvm_sm_map_ops_create} / {@code drm_gpuvm_sm_unmap_ops_create} return instead:
 * {@code ret} is 0 and {@code ops} the steps in the order they must be applied, or {@code ret}
 * is a negated {@link Errno} (-EINVAL for a range the VM does not manage) and {@code ops} empty.
 *
 * @param <O> the type the VM's user names GEM objects by
 */
public record VaOps<O>(int ret, List<VaOp<O>> ops) {

    public VaOps {
        ops = List.copyOf(ops);
        if (ret > 0 || (ret < 0 && !ops.isEmpty())) {
            throw new IllegalArgumentException("ret " + ret + " with " + ops.size() + " ops");
        }
    }

    static <O> VaOps<O> of(List<VaOp<O>> ops) {
        return new VaOps<>(0, ops);
    }

    static <O> VaOps<O> error(Errno errno) {
        return new VaOps<>(errno.neg(), List.of());
    }

    /** Whether the request was refused ({@code IS_ERR}). */
    public boolean isError() {
        return ret < 0;
    }
}
