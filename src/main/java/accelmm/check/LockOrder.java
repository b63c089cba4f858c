package accelmm.check;

import accelmm.sim.LockDep;
import accelmm.sim.Outcome;

/**
 * {@code lock-order}: lockdep saw two lock classes taken in both orders (a cycle), which can
 * deadlock under another schedule even when this one completed.
 */
public final class LockOrder implements EndInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.LOCK_ORDER;
    }

    @Override
    public Violation judge(RunEnd end) {
        if (!(end.outcome() instanceof Outcome.Completed) || end.sim().lockDep().violations().isEmpty()) {
            return null;
        }
        LockDep.Violation v = end.sim().lockDep().violations().get(0);
        return new Violation(kind(), v.step(), v.actor(), v.describe());
    }
}
