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
        // The generation tells a reused frame from the allocation the reference was taken at.
        String state = a.frame().isFree() ? "is free (reference taken at generation " + a.generation() + ")"
                : "was freed and reused (reference taken at generation " + a.generation() + ", now "
                        + a.frame().generation() + ")";
        return a.via() + " " + (a.write() ? "write" : "read") + " on behalf of " + a.principal() + " through "
                + a.through() + ": " + a.frame() + " " + state;
    }
}
