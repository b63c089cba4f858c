package accelmm.check;

import accelmm.sim.Outcome;

/** {@code expectation}: an inline expectation of the scenario did not hold. */
public final class Expectations implements EndInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.EXPECTATION;
    }

    @Override
    public Violation judge(RunEnd end) {
        if (end.outcome() instanceof Outcome.Failed f && f.cause() instanceof ExpectationFailed e) {
            return new Violation(kind(), f.step(), f.actor(), e.getMessage());
        }
        return null;
    }
}
