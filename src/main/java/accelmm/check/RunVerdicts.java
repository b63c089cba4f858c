package accelmm.check;

import accelmm.mm.Kernel;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.util.List;

/**
 * Turns the end of an execution into its first violation: an access invariant that broke
 * during the run (it ended the run at that access), then the end-of-run invariants in order —
 * {@link Refcount}, {@link Expectations}, {@link Deadlock}, {@link LockOrder}, {@link Leak}. A
 * run that failed for any other reason is a bug of the model, not a verdict.
 */
public final class RunVerdicts {

    private static final List<EndInvariant> END_INVARIANTS =
            List.of(new Refcount(), new Expectations(), new Deadlock(), new LockOrder(), new Leak());

    private RunVerdicts() {
    }

    /**
     * The first violation of a finished execution, or {@code null}.
     *
     * @param liveObjects descriptions of device-level objects still alive (GEM objects, VMs, ...)
     * @throws ModelBugException when the run failed for a reason no invariant claims, or an
     *                           invariant failed to judge it; it carries the run's schedule
     */
    public static Violation judge(Simulation sim, Kernel kernel, Outcome outcome, List<String> liveObjects) {
        if (outcome instanceof Outcome.Failed f && f.cause() instanceof InvariantBroken broken) {
            return broken.violation();
        }
        RunEnd end = new RunEnd(sim, kernel, outcome, liveObjects);
        for (EndInvariant invariant : END_INVARIANTS) {
            Violation v;
            try {
                v = invariant.judge(end);
            } catch (RuntimeException e) {
                throw new ModelBugException("the " + invariant.kind().scenarioName() + " invariant failed to judge"
                        + " the run: " + e, e, sim.schedule());
            }
            if (v != null) {
                return v;
            }
        }
        if (outcome instanceof Outcome.Failed f) {
            throw new ModelBugException("model bug in " + f.actor() + " at step " + f.step() + ": " + f.cause(),
                    f.cause(), sim.schedule());
        }
        return null;
    }
}
