package accelmm.check;

import accelmm.sim.Footprint;
import java.util.BitSet;
import java.util.List;

/**
 * The race analysis of source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic
 * partial order reduction", POPL 2014, Algorithm 1), run on the path of a {@link DfsTask} after
 * each execution, as trace-based tools do: the footprints it needs exist only once the
 * transitions ran.
 *
 * <p>The events are the path's transitions: the one each actor decision starts, with the
 * footprint observed at the next decision. Happens-before is program order plus the order of
 * conflicting transitions, transitively. Two transitions of different actors race when they
 * conflict and nothing between them orders them. For each race {@code e ⋖ f}, the sequence
 * {@code v} (the transitions after {@code e} that do not happen after it, then {@code f}) must
 * be explorable from the decision before {@code e}: unless the backtrack set there already holds
 * an actor that can start {@code v} (an initial), the cheapest such actor is added. An initial
 * that is not a candidate there (it was blocked, or not spawned yet: enabling is not tracked)
 * adds every candidate instead, as the classic algorithm (Flanagan, Godefroid, POPL 2005) does.
 *
 * <p>A transition whose footprint is unknown may hold more than one actor's steps: when the
 * chosen actor blocks or ends with a single other actor runnable, that one goes on without a
 * decision, and its steps make the footprint unknown; the last transition of a run, which no
 * decision observes, is unknown too. Such a transition races with every transition before it
 * that nothing in between orders, its own actor's included, and the reversal adds every
 * candidate, since which actor the race needs first is not known; the actors inside it may
 * race with each other, so its own decision gets every candidate too.
 *
 * <p>With a preemption bound, a backtrack added at a decision is also added at the last context
 * switch before it (Coons, Musuvathi, McKinley, "Bounded partial-order reduction", OOPSLA
 * 2013): where the race asks for a preemption the bound may forbid, the same actor run at an
 * earlier switch costs none more, so every state reachable within the bound stays reachable.
 */
final class DporRaces {

    /** Where the analysis asks for an option. */
    interface Sink {
        /** Option {@code option} of the decision at path position {@code at} must be explored. */
        void backtrack(int at, int option);
    }

    private DporRaces() {
    }

    /**
     * Adds the backtracks of every race whose later transition is at or after {@code from};
     * {@code end} is where the transitions observed stop (a redundant run's dead end, else the
     * path's length). Keeps each transition's happens-before set in its node for later runs.
     */
    static void analyse(List<DfsNode> path, int from, int end, boolean bounded, Sink sink) {
        for (int f = from; f < end; f++) {
            DfsNode node = path.get(f);
            if (!node.actorNode()) {
                continue;
            }
            Footprint footprint = footprintOf(node);
            boolean merged = !footprint.known();
            BitSet before = new BitSet(f);
            BitSet transitive = new BitSet(f);
            BitSet conflicting = new BitSet(f);
            boolean sameActorSeen = false;
            for (int e = f - 1; e >= 0; e--) {
                DfsNode earlier = path.get(e);
                if (!earlier.actorNode()) {
                    continue;
                }
                if (earlier.chosenActor() == node.chosenActor()) {
                    if (!sameActorSeen) {
                        sameActorSeen = true;
                        before.set(e);
                        transitive.or(earlier.happensBefore);
                        if (merged) {
                            conflicting.set(e);
                        }
                    }
                } else if (footprintOf(earlier).conflictsWith(footprint)) {
                    conflicting.set(e);
                    before.set(e);
                    transitive.or(earlier.happensBefore);
                }
            }
            before.or(transitive);
            node.happensBefore = before;
            if (merged) {
                // The actors inside it may race with each other: any of them could have gone first.
                add(path, f, -1, bounded, sink);
            }
            for (int e = conflicting.nextSetBit(0); e >= 0; e = conflicting.nextSetBit(e + 1)) {
                if (!transitive.get(e)) {
                    if (merged) {
                        add(path, e, -1, bounded, sink);
                    } else {
                        reverse(path, e, f, bounded, sink);
                    }
                }
            }
        }
    }

    private static Footprint footprintOf(DfsNode node) {
        // The last transition of a run is followed by no decision: nothing observed it.
        return node.chosenFootprint == null ? Footprint.UNKNOWN : node.chosenFootprint;
    }

    /** The race {@code e ⋖ f}: asks for {@code notdep(e).f} to be explorable before {@code e}. */
    private static void reverse(List<DfsNode> path, int e, int f, boolean bounded, Sink sink) {
        DfsNode at = path.get(e);
        // The initials of v: actors whose first transition in v follows none of v's.
        BitSet inV = new BitSet(f + 1);
        int[] initials = new int[f - e];
        int n = 0;
        for (int g = e + 1; g <= f; g++) {
            DfsNode node = path.get(g);
            if (!node.actorNode() || node.happensBefore.get(e) && g != f) {
                continue;
            }
            if (!node.happensBefore.intersects(inV)) {
                initials[n++] = node.chosenActor();
            }
            inV.set(g);
        }
        int best = -1;
        boolean asleepInitial = false;
        for (int k = 0; k < n; k++) {
            int option = at.optionOf(initials[k]);
            if (option < 0) {
                continue;
            }
            if (at.inBacktrack(option)) {
                return;
            }
            if (at.asleep(option)) {
                asleepInitial = true;
            } else if (best < 0 || at.rank(option) < at.rank(best)) {
                best = option;
            }
        }
        if (best >= 0) {
            add(path, e, at.options[best], bounded, sink);
        } else if (!asleepInitial) {
            // No initial can run here: every candidate may be what leads to one.
            add(path, e, -1, bounded, sink);
        }
    }

    /** Adds actor {@code actorId} (-1: every candidate) at {@code e} and, bounded, at the switch before. */
    private static void add(List<DfsNode> path, int e, int actorId, boolean bounded, Sink sink) {
        addAt(path.get(e), e, actorId, sink);
        if (bounded) {
            int s = lastSwitchBefore(path, e);
            if (s >= 0) {
                addAt(path.get(s), s, actorId, sink);
            }
        }
    }

    private static void addAt(DfsNode node, int at, int actorId, Sink sink) {
        int option = actorId < 0 ? -1 : node.optionOf(actorId);
        if (option >= 0) {
            if (!node.asleep(option)) {
                sink.backtrack(at, option);
            }
            return;
        }
        for (int i = 0; i < node.options.length; i++) {
            if (!node.asleep(i)) {
                sink.backtrack(at, i);
            }
        }
    }

    /**
     * The last actor decision before {@code e} where another actor took over from the one that
     * ran before it (or the first decision), or -1.
     */
    private static int lastSwitchBefore(List<DfsNode> path, int e) {
        int next = -1;
        for (int s = e - 1; s >= 0; s--) {
            DfsNode node = path.get(s);
            if (!node.actorNode()) {
                continue;
            }
            if (next >= 0 && path.get(next).chosenActor() != node.chosenActor()) {
                return next;
            }
            next = s;
        }
        return next;
    }
}
