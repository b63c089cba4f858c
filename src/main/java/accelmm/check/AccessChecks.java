package accelmm.check;

import accelmm.mm.MemoryAccess;
import accelmm.mm.MemoryAccessObserver;
import accelmm.sim.Simulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
                throw new InvariantBroken(new Violation(invariant.kind(), sim.steps(), sim.current().name(), problem,
                        details(access)));
            }
        }
    }

    /**
     * What an access touched, as the violation's details: who made it and for whom, the mapping
     * it went through, the frame with the generation the accessor's reference was taken at
     * against the frame's own, and whether the frame is free.
     */
    static Map<String, Object> details(MemoryAccess a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("agent", a.via().name().toLowerCase(Locale.ROOT));
        d.put("access", a.write() ? "write" : "read");
        d.put("principal", a.principal().toString());
        d.put("mapping", a.through());
        d.put("pfn", a.frame().pfn());
        if (a.frame().zone().device()) {
            d.put("zone", a.frame().zone().toString());
        }
        d.put("offset", (long) a.offset());
        d.put("length", (long) a.length());
        d.put("referenceGeneration", a.generation());
        d.put("frameGeneration", a.frame().generation());
        d.put("frameFree", a.frame().isFree());
        d.put("invalidatedMapping", a.invalidatedMapping());
        if (a.cacheMode() != null) {
            d.put("cacheMode", a.cacheMode().toString());
        }
        return d;
    }
}
