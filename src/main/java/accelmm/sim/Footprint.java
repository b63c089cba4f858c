package accelmm.sim;

import java.util.Arrays;
import java.util.List;

/**
 * What a stretch of execution touched, as far as its preemption points declared it: a few
 * {@link Access}es, or {@link #UNKNOWN} (anything) as soon as one step was undeclared. The
 * simulation keeps the footprint of the transition since the last scheduling decision, so an
 * explorer can tell which transitions commute (sleep sets, partial-order reduction).
 */
public final class Footprint {

    /** Touched anything: conflicts with every footprint, itself included. */
    public static final Footprint UNKNOWN = new Footprint(null);
    /** Touched nothing shared. */
    public static final Footprint NONE = new Footprint(new Access[0]);

    /** The accesses, or {@code null} for unknown. */
    private final Access[] accesses;

    private Footprint(Access[] accesses) {
        this.accesses = accesses;
    }

    /** The footprint of one declared step; {@code null} (undeclared) gives {@link #UNKNOWN}. */
    public static Footprint of(Access access) {
        return access == null ? UNKNOWN : new Footprint(new Access[] {access});
    }

    /** This footprint and one more step's declaration. */
    public Footprint plus(Access access) {
        if (accesses == null || access == null) {
            return UNKNOWN;
        }
        for (Access a : accesses) {
            if (a.equals(access)) {
                return this;
            }
        }
        Access[] more = Arrays.copyOf(accesses, accesses.length + 1);
        more[accesses.length] = access;
        return new Footprint(more);
    }

    public boolean known() {
        return accesses != null;
    }

    /** The declared accesses; empty for {@link #UNKNOWN} (check {@link #known()} first). */
    public List<Access> accesses() {
        return accesses == null ? List.of() : List.of(accesses);
    }

    /** Whether the two stretches may not commute: either is unknown, or two accesses conflict. */
    public boolean conflictsWith(Footprint other) {
        if (accesses == null || other.accesses == null) {
            return true;
        }
        for (Access a : accesses) {
            for (Access b : other.accesses) {
                if (a.conflictsWith(b)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Footprint f && Arrays.equals(accesses, f.accesses);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(accesses);
    }

    @Override
    public String toString() {
        return accesses == null ? "unknown" : Arrays.toString(accesses);
    }
}
