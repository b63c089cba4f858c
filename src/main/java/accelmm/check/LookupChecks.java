package accelmm.check;

import accelmm.drm.DrmFile;
import accelmm.drm.DrmObject;
import accelmm.drm.HandleLookupObserver;
import accelmm.sim.Simulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the lookup invariants — {@link CrossClientAccess} — on every object an ioctl finds by
 * ID, and ends the execution at the first offending ioctl by throwing {@link InvariantBroken},
 * before the ioctl acts on the object.
 *
 * <p>The checks keep no state of their own: whether the caller obtained the object is the
 * lookup's answer, and the files and objects they describe are read through their owners'
 * getters.
 */
public final class LookupChecks implements HandleLookupObserver {

    private final Simulation sim;
    private final List<LookupInvariant> invariants = List.of(new CrossClientAccess());

    public LookupChecks(Simulation sim) {
        this.sim = sim;
    }

    @Override
    public void onLookup(DrmFile caller, DrmObject object, boolean obtained, String ioctl) {
        for (LookupInvariant invariant : invariants) {
            String problem = invariant.check(caller, object, obtained, ioctl);
            if (problem != null) {
                throw new InvariantBroken(new Violation(invariant.kind(), sim.steps(), sim.current().name(), problem,
                        details(caller, object, ioctl)));
            }
        }
    }

    /** The lookup as the violation's details: the ioctl, the calling file, the object and its creator's file. */
    private static Map<String, Object> details(DrmFile caller, DrmObject object, String ioctl) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ioctl", ioctl);
        d.put("file", caller.toString());
        d.put("openedBy", caller.opener().toString());
        d.put("object", object.label());
        d.put("creatorFile", object.creator().toString());
        d.put("creatorOpenedBy", object.creator().opener().toString());
        return d;
    }
}
