package accelmm.check;

import accelmm.mm.MemoryAccess;
import accelmm.mm.Principal;
import java.util.TreeSet;

/**
 * {@code secret-leak}: a load of bytes labelled with a secret by a principal outside the
 * secret's allowed set, whatever the path (CPU load, DMA on behalf of a context, ...).
 */
public final class SecretLeak implements AccessInvariant {

    private final Secrets secrets;

    public SecretLeak(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public InvariantKind kind() {
        return InvariantKind.SECRET_LEAK;
    }

    @Override
    public String check(MemoryAccess a, int[] labels) {
        if (a.write() || labels == null || a.principal().equals(Principal.KERNEL)) {
            return null;
        }
        for (int label : labels) {
            if (label != 0 && !secrets.byLabel(label).allows(a.principal())) {
                Secrets.Secret s = secrets.byLabel(label);
                return a.via() + " read by " + a.principal() + " through " + a.through()
                        + " returned bytes of secret \"" + s.name() + "\" (allowed: "
                        + String.join(",", new TreeSet<>(s.allowed())) + ")";
            }
        }
        return null;
    }
}
