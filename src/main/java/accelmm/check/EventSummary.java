package accelmm.check;

import accelmm.sim.Footprint;
import java.util.Arrays;

/**
 * What the transitions of a finished DFS subtree touched, per actor: at least the union of the
 * footprints of every event each actor ran below a decision ({@link Footprint#hull}: one access
 * per resource and mode, over the hull of the ranges), including, transitively, the summaries of the
 * cached states the subtree met. Stateful DPOR keeps one per cached state ({@link StateCache}):
 * a later search that meets the state again does not run those events, so it takes them from
 * here for its races ({@link DporRaces}). Immutable; adding what is already covered returns the
 * same summary, so the summaries of most states are shared.
 */
final class EventSummary implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    static final EventSummary EMPTY = new EventSummary(new Footprint[0], false);

    /** Per actor id the union of what its events touched, or null where it ran nothing. */
    private final Footprint[] byActor;
    /** Some event's actors are not known (see {@link DporRaces}): it races with everything. */
    private final boolean anyone;

    private EventSummary(Footprint[] byActor, boolean anyone) {
        this.byActor = byActor;
        this.anyone = anyone;
    }

    /** The empty summary stays the shared one across a copy made by serialization. */
    private Object readResolve() {
        return byActor.length == 0 && !anyone ? EMPTY : this;
    }

    /** This summary and an event of {@code actor} (-1: actors not known) that touched {@code footprint}. */
    EventSummary with(int actor, Footprint footprint) {
        if (anyone) {
            return this;
        }
        if (actor < 0) {
            return new EventSummary(byActor, true);
        }
        Footprint had = actor < byActor.length ? byActor[actor] : null;
        if (had == footprint) {
            // Summaries share their footprints: a child's is often its parent's already.
            return this;
        }
        Footprint merged = merge(had, footprint);
        if (merged == had) {
            return this;
        }
        Footprint[] more = Arrays.copyOf(byActor, Math.max(byActor.length, actor + 1));
        more[actor] = merged;
        return new EventSummary(more, false);
    }

    /**
     * What an actor's events touched, {@code had} (null: none yet), and one more footprint:
     * per resource and mode one access over the hull of the ranges, so that a summary of a large
     * subtree stays as small as what it touched and races no less than its events do. The
     * first footprint is taken as it is (immutable, so shared).
     */
    private static Footprint merge(Footprint had, Footprint footprint) {
        return had == null ? footprint : had.hull(footprint);
    }

    /** Everything this summary and {@code other} hold. */
    EventSummary plus(EventSummary other) {
        if (other == this || other == EMPTY || anyone) {
            return this;
        }
        if (other.anyone || this == EMPTY) {
            return other;
        }
        // One new summary at most, however many actors change.
        Footprint[] out = null;
        for (int a = 0; a < other.byActor.length; a++) {
            Footprint footprint = other.byActor[a];
            Footprint had = a < byActor.length ? byActor[a] : null;
            if (footprint == null || footprint == had) {
                continue;
            }
            Footprint merged = merge(had, footprint);
            if (merged == had) {
                continue;
            }
            if (out == null) {
                out = Arrays.copyOf(byActor, Math.max(byActor.length, other.byActor.length));
            }
            out[a] = merged;
        }
        return out == null ? this : new EventSummary(out, false);
    }

    /** Whether some event's actors are not known: then it stands for any actor touching anything. */
    boolean anyone() {
        return anyone;
    }

    /** One past the highest actor id with events. */
    int actorLimit() {
        return byActor.length;
    }

    /** What actor {@code actor}'s events touched, or null when it ran none. */
    Footprint of(int actor) {
        return byActor[actor];
    }
}
