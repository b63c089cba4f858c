package accelmm.check;

import accelmm.mm.MemoryAccess;

/**
 * {@code stale-access}: an access through a mapping whose backing was invalidated (the
 * invalidation completed) while the frame itself is still allocated — the accessor sees memory
 * that no longer is what the mapping stands for.
 */
public final class StaleAccess implements AccessInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.STALE_ACCESS;
    }

    @Override
    public String check(MemoryAccess a, int[] labels) {
        if (!a.invalidatedMapping()) {
            return null;
        }
        return a.via() + " " + (a.write() ? "write" : "read") + " on behalf of " + a.principal() + " through "
                + a.through() + " reached " + a.frame() + " after an invalidation of that range completed";
    }
}
