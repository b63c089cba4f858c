package accelmm.check;

import accelmm.mm.MemoryAccess;

/**
 * {@code use-after-free}: an access (CPU, device, debugger, guest, coredump) through a reference
 * to a frame that has been freed since — still free, or already reused for someone else.
 */
public final class UseAfterFree implements AccessInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.USE_AFTER_FREE;
    }

    @Override
    public String check(MemoryAccess a, int[] labels) {
        if (!a.staleReference()) {
            return null;
        }
        String state = a.frame().isFree() ? "is free"
                : "was freed and reused (generation " + a.generation() + ", now " + a.frame().generation() + ")";
        return a.via() + " " + (a.write() ? "write" : "read") + " on behalf of " + a.principal() + " through "
                + a.through() + ": " + a.frame() + " " + state;
    }
}
