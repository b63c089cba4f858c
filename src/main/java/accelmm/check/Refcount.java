package accelmm.check;

import accelmm.sim.Outcome;
import accelmm.sim.RefcountError;

/** {@code refcount}: a reference count of the model underflowed, or a freed object was used. */
public final class Refcount implements EndInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.REFCOUNT;
    }

    @Override
    public Violation judge(RunEnd end) {
        if (end.outcome() instanceof Outcome.Failed f && f.cause() instanceof RefcountError e) {
            return new Violation(kind(), f.step(), f.actor(), e.getMessage());
        }
        return null;
    }
}
