package accelmm.check;

import accelmm.mm.MemoryAccess;
import accelmm.mm.MemoryAccessObserver;
import accelmm.sim.Simulation;
import java.util.List;

/**
 * Runs the access invariants — {@link UseAfterFree}, {@link StaleAccess}, {@link
 * CoredumpUserptr}, {@link IncoherentAccess}, {@link SecretLeak}, in that order (a dump of a
 * userptr range that holds a secret is reported as {@code coredump-userptr}, the policy it breaks
 * first; an access through a stale or freed translation is reported as such whatever its memory
 * type, and an incoherent read of a secret as the alias that made it possible) — on every memory
 * access, and ends the execution at the first offending access by throwing {@link
 * InvariantBroken}.
 *
 * <p>The checks keep no state of their own: what they judge is the access (a value) and the
 * frame's and the secrets' state, read through their owners' getters, which report the reads
 * to the explorer ({@link Secrets}, {@code PageFrame}).
 */
public final class AccessChecks implements MemoryAccessObserver {

    private final Simulation sim;
    private final List<AccessInvariant> invariants;

    public AccessChecks(Simulation sim, Secrets secrets) {
        this.sim = sim;
        this.invariants = List.of(new UseAfterFree(), new StaleAccess(), new CoredumpUserptr(),
                new IncoherentAccess(), new SecretLeak(secrets));
    }

    @Override
    public void onAccess(MemoryAccess access, int[] labels) {
        for (AccessInvariant invariant : invariants) {
            String problem = invariant.check(access, labels);
            if (problem != null) {
                throw new InvariantBroken(new Violation(invariant.kind(), sim.steps(), sim.current().name(), problem));
            }
        }
    }
}
