package accelmm.check;

import accelmm.drm.VmSnapshot;
import accelmm.mm.MemoryAccess;

/**
 * {@code coredump-userptr}: a device coredump read memory a VM mirrors from a process (a userptr
 * range), which the review of seed 000 says it must never touch (DCD-08): that is what a process
 * core dump is for. Mainline xe does it (DCD-07); the invariant breaks at the dump worker's first
 * such load, whatever the bytes are.
 */
final class CoredumpUserptr implements AccessInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.COREDUMP_USERPTR;
    }

    @Override
    public String check(MemoryAccess a, int[] labels) {
        if (a.write() || a.via() != MemoryAccess.Via.COREDUMP || !VmSnapshot.USERPTR_THROUGH.equals(a.mapping().kind())) {
            return null;
        }
        return "a device coredump read by " + a.principal() + " copied " + a.length() + " bytes of a userptr range"
                + " through " + a.through() + " (the owner's CPU mapping, at the time the dump worker ran)";
    }
}
