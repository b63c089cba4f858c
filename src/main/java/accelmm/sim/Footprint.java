package accelmm.sim;

import java.util.Arrays;
import java.util.List;

/**
 * What a stretch of execution touched: a few {@link Access}es, or {@link #UNKNOWN} (anything).
 * The simulation reports, at each scheduling decision, the footprint of every actor's stretch
 * since the previous decision ({@link SchedulingPoint#eventFootprint}), so an explorer can tell
 * which transitions commute (sleep sets, partial-order reduction). Footprints are observed
 * (every {@link Shared} call of the stretch) when the simulation {@linkplain
 * Simulation#observeFootprints observes them}, and otherwise declared by preemption points, a
 * stretch through an undeclared point being unknown.
 */
public final class Footprint implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Touched anything: conflicts with every footprint, itself included. */
    public static final Footprint UNKNOWN = new Footprint(null);
    /** Touched nothing shared. */
    public static final Footprint NONE = new Footprint(new Access[0]);

    /** The accesses, or {@code null} for unknown. */
    private final Access[] accesses;
    /**
     * One bit per resource hash (mod 64) among the accesses: two footprints whose masks share
     * no bit touch no common resource, which settles most comparisons without a loop. Not
     * serialized: another JVM's hashes may differ, so a copy computes its own.
     */
    private final transient long resources;

    private Footprint(Access[] accesses) {
        this.accesses = accesses;
        long mask = 0;
        if (accesses != null) {
            for (Access a : accesses) {
                mask |= bit(a);
            }
        }
        this.resources = mask;
    }

    /**
     * A copy made by serialization (a search ships tasks): the shared instances stay shared, and
     * the resource mask is computed with this JVM's hashes.
     */
    private Object readResolve() {
        return accesses == null ? UNKNOWN : accesses.length == 0 ? NONE : new Footprint(accesses);
    }

    /** {@code accesses} whose {@link #resources} mask the caller computed. */
    private Footprint(Access[] accesses, long resources) {
        this.accesses = accesses;
        this.resources = resources;
    }

    /** The bit of {@link #resources} for {@code a}'s resource. */
    private static long bit(Access a) {
        return 1L << (a.resource().hashCode() & 63);
    }

    /** The footprint of one declared step; {@code null} (undeclared) gives {@link #UNKNOWN}. */
    public static Footprint of(Access access) {
        return access == null ? UNKNOWN : new Footprint(new Access[] {access});
    }

    /** The first {@code n} of {@code accesses} (copied). */
    static Footprint of(Access[] accesses, int n) {
        return n == 0 ? NONE : new Footprint(Arrays.copyOf(accesses, n));
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

    /**
     * Everything this stretch and {@code other} touched, an access both hold once: a footprint
     * merged again and again with the same accesses does not grow.
     */
    public Footprint plus(Footprint other) {
        if (accesses == null || other.accesses == null) {
            return UNKNOWN;
        }
        if (other == this) {
            return this;
        }
        Footprint out = this;
        for (Access a : other.accesses) {
            out = out.plus(a);
        }
        return out;
    }

    /**
     * At least everything this footprint and {@code other} touched, with one access per resource
     * and mode, over the hull of their ranges (so also what lies between them): a summary of many
     * stretches that stays as small as the resources they touched. It conflicts with every
     * footprint either conflicts with, and perhaps more, which costs a partial-order reduction
     * executions, never states.
     */
    public Footprint hull(Footprint other) {
        if (accesses == null || other.accesses == null) {
            return UNKNOWN;
        }
        if (other == this) {
            return this;
        }
        Access[] out = accesses;
        int n = accesses.length;
        long mask = resources;
        boolean copied = false;
        for (Access b : other.accesses) {
            int at = -1;
            long bit = bit(b);
            if ((mask & bit) != 0) {
                for (int i = 0; i < n; i++) {
                    Access a = out[i];
                    if (a.mode() == b.mode() && (a.resource() == b.resource() || a.resource().equals(b.resource()))) {
                        at = i;
                        break;
                    }
                }
            }
            if (at >= 0 && out[at].lo() <= b.lo() && b.hi() <= out[at].hi()) {
                continue;
            }
            if (!copied) {
                out = Arrays.copyOf(accesses, Math.max(4, n + other.accesses.length));
                copied = true;
            }
            if (at >= 0) {
                Access a = out[at];
                out[at] = new Access(a.resource(), Math.min(a.lo(), b.lo()), Math.max(a.hi(), b.hi()), a.mode());
            } else {
                out[n++] = b;
                mask |= bit;
            }
        }
        return copied ? new Footprint(Arrays.copyOf(out, n), mask) : this;
    }

    /**
     * Everything the first {@code n} of {@code parts} touched: their accesses one after the
     * other (an access two parts share appears twice, which changes no conflict).
     */
    static Footprint union(Footprint[] parts, int n) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (parts[i].accesses == null) {
                return UNKNOWN;
            }
            size += parts[i].accesses.length;
        }
        if (n == 1) {
            return parts[0];
        }
        Access[] all = new Access[size];
        int at = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(parts[i].accesses, 0, all, at, parts[i].accesses.length);
            at += parts[i].accesses.length;
        }
        return size == 0 ? NONE : new Footprint(all);
    }

    public boolean known() {
        return accesses != null;
    }

    /** The accesses; empty for {@link #UNKNOWN} (check {@link #known()} first). */
    public List<Access> accesses() {
        return accesses == null ? List.of() : List.of(accesses);
    }

    /**
     * Whether the stretch, known, changed actor {@code actorId}'s scheduler state: woke or
     * spawned it, since another actor's stretch changes it no other way (a kill touches anything).
     */
    public boolean writesTask(int actorId) {
        if (accesses == null) {
            return false;
        }
        for (Access a : accesses) {
            if (a.mode() == Access.Mode.WRITE && a.resource() instanceof Shared.Key k && k.task() == actorId) {
                return true;
            }
        }
        return false;
    }

    /** Whether the two stretches may not commute: either is unknown, or two accesses conflict. */
    public boolean conflictsWith(Footprint other) {
        if (accesses == null || other.accesses == null) {
            return true;
        }
        if ((resources & other.resources) == 0) {
            return false;
        }
        for (Access a : accesses) {
            if ((other.resources & bit(a)) == 0) {
                continue;
            }
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
