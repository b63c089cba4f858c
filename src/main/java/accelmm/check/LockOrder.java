package accelmm.check;

import accelmm.sim.LockDep;
import accelmm.sim.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("held", v.held().toString());
        details.put("acquired", v.acquired().toString());
        details.put("cycle", v.cycle().stream().map(Object::toString).toList());
        return new Violation(kind(), v.step(), v.actor(), v.describe(), details);
    }
}
