package accelmm.check;

import accelmm.mm.MemoryAccess;
import accelmm.mm.MemoryAccessObserver;
import accelmm.mm.Principal;
import accelmm.sim.Simulation;

/**
 * The invariants judged on every memory access: use-after-free (the accessor's reference is to
 * an earlier allocation of the frame, or the frame is free), stale-access (the accessor's
 * translation outlived an invalidation of its range) and secret-leak (a load of bytes
 * labelled with a secret by a principal outside its allowed set). It ends the execution at the
 * offending access by throwing {@link InvariantBroken}.
 */
public final class AccessChecks implements MemoryAccessObserver {

    private final Simulation sim;
    private final Secrets secrets;

    public AccessChecks(Simulation sim, Secrets secrets) {
        this.sim = sim;
        this.secrets = secrets;
    }

    @Override
    public void onAccess(MemoryAccess access, int[] labels) {
        if (access.staleReference()) {
            throw broken(InvariantKind.USE_AFTER_FREE, describeStale(access));
        }
        if (access.invalidatedMapping()) {
            throw broken(InvariantKind.STALE_ACCESS, access.via() + " " + (access.write() ? "write" : "read")
                    + " on behalf of " + access.principal() + " through " + access.through() + " reached "
                    + access.frame() + " after an invalidation of that range completed");
        }
        if (!access.write() && labels != null && !access.principal().equals(Principal.KERNEL)) {
            for (int label : labels) {
                if (label != 0 && !secrets.byLabel(label).allows(access.principal())) {
                    Secrets.Secret s = secrets.byLabel(label);
                    throw broken(InvariantKind.SECRET_LEAK, access.via() + " read by " + access.principal()
                            + " through " + access.through() + " returned bytes of secret \"" + s.name()
                            + "\" (allowed: " + String.join(",", new java.util.TreeSet<>(s.allowed())) + ")");
                }
            }
        }
    }

    private static String describeStale(MemoryAccess a) {
        String state = a.frame().isFree() ? "is free"
                : "was freed and reused (generation " + a.generation() + ", now " + a.frame().generation() + ")";
        return a.via() + " " + (a.write() ? "write" : "read") + " on behalf of " + a.principal() + " through "
                + a.through() + ": " + a.frame() + " " + state;
    }

    private InvariantBroken broken(InvariantKind kind, String message) {
        return new InvariantBroken(new Violation(kind, sim.steps(), sim.current().name(), message));
    }
}
