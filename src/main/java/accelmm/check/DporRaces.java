package accelmm.check;

import accelmm.sim.Footprint;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The race analysis of source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic
 * partial order reduction", POPL 2014, Algorithm 1), run on the path of a {@link DfsTask} after
 * each execution, as trace-based tools do: the footprints it needs exist only once the steps
 * ran.
 *
 * <p>The events are the stretches of the path's transitions: the chosen actor's, then those of
 * the actors that went on without a decision when it blocked or ended ({@link
 * accelmm.sim.SchedulingPoint#eventCount()}). Happens-before is program order plus the order of
 * conflicting events, transitively; enabling is in it because the simulation makes blocking,
 * waking, spawning and the woken or spawned actor's next step touch that actor's state. Two
 * events of different actors race when they conflict and nothing between them orders them. For
 * each race {@code e ⋖ f}, the sequence {@code v} (the events after {@code e} that do not happen
 * after it, then {@code f}) must be explorable from the decision before {@code e}: unless the
 * backtrack set there already holds an actor that can start {@code v} (an initial), the
 * cheapest such actor is added. A race none of whose initials is a candidate there adds every
 * candidate, as the classic algorithm (Flanagan, Godefroid, POPL 2005) does: the initials' actors
 * are blocked before {@code e}, but another waker that ran after {@code f} might wake them before
 * {@code e}, and two wakers of one actor need not conflict when footprints are declared (two
 * {@code complete()}s of one completion, say). A race whose {@code e} is not the first stretch
 * of its transition asks for nothing: no decision precedes {@code e} because its actor was the
 * only one that could run, so the later events of other actors happen after {@code e} (wakes,
 * spawns and timeouts order them) except those of actors {@code e} woke itself, which cannot
 * go first; the classic algorithm adds the transitions enabled before {@code e}, only
 * {@code e}'s.
 *
 * <p>A transition the simulation did not split into stretches (a run's last one when nothing
 * reported it, or a choice source view that does not tell the actors) is one event of unknown
 * actors touching anything: it races with every event before it that nothing in between
 * orders, its own actor's included, and its decision and theirs get every candidate.
 *
 * <p>With a preemption bound the search is bounded partial-order reduction (Coons, Musuvathi,
 * McKinley, "Bounded partial-order reduction", OOPSLA 2013), built on the classic algorithm: a
 * race adds the racing actor itself (every candidate when it is not one), whatever the backtrack
 * set holds, since an initial there may be over the bound where the racing actor is not; and
 * the same actor goes to the last context switch before that decision too (the conservative
 * branch): where the race asks for a preemption the bound forbids, the same actor run at an
 * earlier switch costs no more, so every state reachable within the bound stays reachable.
 * The search adds a conservative branch only once it is needed: when the racing actor is no
 * candidate at the decision, or its subtree there left something out for the bound (see
 * {@link Sink#conservative}).
 *
 * <p>A race in which {@code e} woke or spawned the actor of the later event, which could not
 * run at {@code e}'s decision, is not reversible and asks for nothing (see {@link #wakes}); only
 * observed footprints show a wake (the woken actor's scheduler state written).
 */
final class DporRaces {

    /** Where the analysis asks for an option. */
    interface Sink {
        /** Option {@code option} of the decision at path position {@code at} must be explored. */
        void backtrack(int at, int option);

        /**
         * Bounded: the conservative branch of a race that asked for option {@code option} (actor
         * {@code actorId}) at {@code at}. Actor {@code actorId} must be explored at {@code
         * switchAt}, the last context switch before {@code at}, unless that option's subtree at
         * {@code at} is explored with nothing left out for the bound (see {@link DfsTask}).
         */
        void conservative(int at, int option, int switchAt, int actorId);
    }

    private final List<DfsNode> path;
    private final boolean bounded;
    private final Sink sink;
    /** The events of the path in order: their decision's position, stretch index, actor. */
    private final List<int[]> events;
    private final List<Footprint> footprints;
    private final List<BitSet> before;

    private DporRaces(List<DfsNode> path, boolean bounded, Sink sink) {
        this.path = path;
        // About two stretches per decision: sized once rather than grown step by step.
        int expected = 2 * path.size() + 8;
        this.events = new ArrayList<>(expected);
        this.footprints = new ArrayList<>(expected);
        this.before = new ArrayList<>(expected);
        this.bounded = bounded;
        this.sink = sink;
    }

    /**
     * Adds the backtracks of every race whose later event belongs to a decision at or after
     * {@code from}; {@code end} is where the observed decisions stop (a pruned run's dead end,
     * else the path's length). Keeps each event's happens-before set in its node for later
     * executions, which share the prefix.
     */
    static void analyse(List<DfsNode> path, int from, int end, boolean bounded, Sink sink) {
        analyse(path, from, end, null, bounded, sink);
    }

    /**
     * As {@link #analyse(List, int, int, boolean, Sink)}, for a run that stopped at {@code end}
     * on a cached state whose explored subtree ran the events {@code next} sums up (null for
     * none): those count as if they ran next (see {@link #raceWithSummary}).
     */
    static void analyse(List<DfsNode> path, int from, int end, EventSummary next, boolean bounded, Sink sink) {
        DporRaces races = new DporRaces(path, bounded, sink);
        races.run(from, end);
        if (next != null) {
            races.raceWithSummary(next, end);
        }
    }

    /**
     * Stateful DPOR at a cached state (after Yang, Chen, Gopalakrishnan, Kirby, "Efficient
     * stateful dynamic partial order reduction", SPIN 2008, simplified): every event of the
     * state's explored subtree is taken to run right after the path, and races with every event
     * of the path of another actor it conflicts with, unless that path event happens before the
     * actor's last event on the path (then before all its later events, by program order); the
     * rest of happens-before is ignored (a conservative excess). Each race adds the subtree's
     * actor at the path event's decision, or every candidate where it is not one (the classic
     * rule); a path event that is not the first stretch of its transition races with nothing
     * after it (see the class note); bounded, at the switch before too, and every actor of the
     * subtree at the last switch before the state (where its inner races' conservative branches
     * went when no switch came between).
     */
    private void raceWithSummary(EventSummary next, int hit) {
        if (bounded) {
            // A race inside the stored subtree put its actor, conservatively, at the last context
            // switch before it: when no switch came between the state and that race, the switch
            // lies on the path above the state, which the stored visit does not share.
            int s = lastSwitchBefore(hit);
            if (s >= 0) {
                for (int a = 0; a < next.actorLimit(); a++) {
                    if (next.anyone() || next.of(a) != null) {
                        addAt(s, next.anyone() ? -1 : a);
                    }
                }
            }
        }
        // Each actor's last event on the path: its events in the subtree come after it in
        // program order, so a path event that happens before it happens before them all.
        int[] last = new int[next.actorLimit()];
        java.util.Arrays.fill(last, -1);
        for (int e = 0; e < events.size(); e++) {
            int[] event = events.get(e);
            if (event[3] == 0 && event[2] < last.length) {
                last[event[2]] = e;
            }
        }
        for (int e = 0; e < events.size(); e++) {
            int[] event = events.get(e);
            if (!next.anyone() && event[1] != 0 && event[3] == 0) {
                // Not the first stretch: what runs after it happens after it (see the class note).
                continue;
            }
            boolean wholeDecision = next.anyone() || event[3] != 0;
            for (int a = 0; a < next.actorLimit(); a++) {
                Footprint touched = next.of(a);
                if (touched == null || a == event[2] && event[3] == 0 || !touched.conflictsWith(footprints.get(e))) {
                    continue;
                }
                if (last[a] > e && before.get(last[a]).get(e)) {
                    // Ordered before every event of a in the subtree: no race.
                    continue;
                }
                if (!wholeDecision && wakes(e, a, path.get(event[0]))) {
                    // e woke a: no event of a can come before e unless another waker, which
                    // conflicts with e, wakes it first (see wakes).
                    continue;
                }
                add(event[0], wholeDecision ? -1 : a);
                if (wholeDecision) {
                    break;
                }
            }
            if (next.anyone()) {
                add(event[0], -1);
            }
        }
    }

    private void run(int from, int end) {
        for (int at = 0; at < end; at++) {
            DfsNode node = path.get(at);
            if (!node.actorNode()) {
                continue;
            }
            boolean fresh = at >= from || node.eventsBefore == null || node.eventActors == null;
            if (node.eventActors == null) {
                node.eventActors = new int[] {-1};
                node.eventFootprints = new Footprint[] {Footprint.UNKNOWN};
            }
            if (fresh) {
                node.eventsBefore = new BitSet[node.eventActors.length];
            }
            for (int s = 0; s < node.eventActors.length; s++) {
                int actor = node.eventActors[s];
                events.add(new int[] {at, s, actor < 0 ? node.chosenActor() : actor, actor < 0 ? 1 : 0});
                footprints.add(node.eventFootprints[s]);
                if (fresh) {
                    node.eventsBefore[s] = happensBefore(events.size() - 1);
                }
                before.add(node.eventsBefore[s]);
            }
        }
    }

    /** The happens-before set of event {@code f}, the events before it known; reverses its races. */
    private BitSet happensBefore(int f) {
        int[] event = events.get(f);
        boolean unknown = event[3] != 0;
        Footprint footprint = footprints.get(f);
        BitSet direct = new BitSet(f);
        BitSet transitive = new BitSet(f);
        BitSet racing = new BitSet(f);
        boolean sameActorSeen = false;
        for (int e = f - 1; e >= 0; e--) {
            int[] earlier = events.get(e);
            if (earlier[2] == event[2]) {
                if (!sameActorSeen) {
                    sameActorSeen = true;
                    direct.set(e);
                    orBefore(transitive, e);
                    if (unknown) {
                        racing.set(e);
                    }
                }
            } else if (footprints.get(e).conflictsWith(footprint)) {
                racing.set(e);
                direct.set(e);
                orBefore(transitive, e);
            }
        }
        BitSet hb = (BitSet) direct.clone();
        hb.or(transitive);
        before.add(hb);
        try {
            for (int e = racing.nextSetBit(0); e >= 0; e = racing.nextSetBit(e + 1)) {
                if (transitive.get(e)) {
                    continue;
                }
                if (unknown || events.get(e)[3] != 0) {
                    add(events.get(e)[0], -1);
                } else if (events.get(e)[1] != 0) {
                    // e is not the first stretch: its actor was the only one that could run
                    // before it, so every later event of another actor happens after e unless e
                    // itself woke that actor (wakes and timeouts order the woken after the
                    // waker or the last actor to block), and a race it enabled is not reversible.
                    // Flanagan and Godefroid add the transitions enabled before e: only e's.
                    // Bounded, a reordering of an earlier event comes from that event's own race
                    // and its own conservative branch. The race left is e waking f's actor:
                    assert !footprints.get(e).known() || footprints.get(e).writesTask(event[2])
                            : "a later stretch races with an event it did not wake";
                } else {
                    reverse(e, f);
                }
            }
            if (unknown) {
                // The actors inside it may race with each other: any of them could have gone first.
                add(event[0], -1);
            }
        } finally {
            before.remove(before.size() - 1);
        }
        return hb;
    }

    /**
     * Adds what happens before event {@code e} to {@code transitive}, unless {@code e} is in it
     * already: a happens-before set is closed (an event's set holds the sets of the events in
     * it), so then so is everything before {@code e}.
     */
    private void orBefore(BitSet transitive, int e) {
        if (!transitive.get(e)) {
            transitive.or(before.get(e));
        }
    }

    /** The race {@code e ⋖ f}: asks for {@code notdep(e).f} to be explorable before {@code e}. */
    private void reverse(int e, int f) {
        int at = events.get(e)[0];
        DfsNode node = path.get(at);
        if (wakes(e, events.get(f)[2], node)) {
            return;
        }
        if (bounded) {
            // Bounded: the racing actor itself, as BPOR does. Another initial of v may need
            // preemptions the bound forbids where the racing actor's would not, so one of
            // them does not stand for the others.
            add(at, events.get(f)[2]);
            return;
        }
        // The initials of v: actors whose first event in v follows none of v's.
        BitSet inV = new BitSet(f + 1);
        int best = -1;
        boolean asleepInitial = false;
        boolean unknownInitial = false;
        for (int g = e + 1; g <= f; g++) {
            BitSet hb = before.get(g);
            if (g != f && hb.get(e)) {
                continue;
            }
            boolean initial = !hb.intersects(inV);
            inV.set(g);
            if (!initial) {
                continue;
            }
            if (events.get(g)[3] != 0) {
                unknownInitial = true;
                continue;
            }
            int option = node.optionOf(events.get(g)[2]);
            if (option < 0) {
                continue;
            }
            if (node.inBacktrack(option)) {
                return;
            }
            if (node.asleep(option)) {
                asleepInitial = true;
            } else if (best < 0 || node.rank(option) < node.rank(best)) {
                best = option;
            }
        }
        if (best >= 0 && !unknownInitial) {
            add(at, node.options[best]);
        } else if (!asleepInitial || unknownInitial) {
            // No initial can run here, or one is not known: any candidate may lead to one (a
            // waker that ran later may wake a blocked initial before e).
            add(at, -1);
        }
    }

    /**
     * Whether a race of {@code e} with a later event of {@code actor} is {@code e} waking (or
     * spawning) that actor, which could not run at {@code e}'s decision: {@code e} wrote that actor's scheduler state (only
     * observed footprints hold it; declarations never name it). Such a race is not reversible
     * and asks for nothing. For an event of the actor to run before {@code e}, another waker {@code w} would
     * have to wake the actor first; a waker writes what the actor sleeps on (the wait queue, the
     * lock, the completion), as {@code e} did, so {@code w} conflicts with {@code e}, and that
     * race, or the race that first set {@code w}'s actor on another course, is reversed on its
     * own. A timeout expires inside the stretch of the last actor to block or end, which then
     * wakes the sleeper (that stretch is {@code e}); the expired sleeper's first stretch reads
     * every task's state, so another actor blocking or ending last races with it on its own. A
     * spawned actor has no other spawner.
     */
    private boolean wakes(int e, int actor, DfsNode node) {
        if (node.optionOf(actor) >= 0) {
            return false;
        }
        return footprints.get(e).writesTask(actor);
    }

    /**
     * Adds actor {@code actorId} (-1: every candidate) at {@code at} and, bounded, at the switch
     * before: there at once when the actor is not a candidate at {@code at}, else as a
     * conservative branch the sink keeps until it knows the subtree needs it.
     */
    private void add(int at, int actorId) {
        addAt(at, actorId);
        if (bounded) {
            int s = lastSwitchBefore(at);
            if (s >= 0) {
                int option = actorId < 0 ? -1 : path.get(at).optionOf(actorId);
                if (option >= 0) {
                    sink.conservative(at, option, s, actorId);
                } else {
                    addAt(s, actorId);
                }
            }
        }
    }

    private void addAt(int at, int actorId) {
        addAt(path, at, actorId, sink);
    }

    /** Asks for actor {@code actorId} at {@code at}, or for every candidate there when it is not one (or -1). */
    static void addAt(List<DfsNode> path, int at, int actorId, Sink sink) {
        DfsNode node = path.get(at);
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
     * The last actor decision before {@code at} that gave the CPU to another actor than the one
     * that ran last before it (or the first decision), or -1.
     */
    private int lastSwitchBefore(int at) {
        int later = -1;
        for (int s = at - 1; s >= 0; s--) {
            DfsNode node = path.get(s);
            if (!node.actorNode()) {
                continue;
            }
            if (later >= 0 && lastActor(node) != path.get(later).chosenActor()) {
                return later;
            }
            later = s;
        }
        return later;
    }

    /** The actor that ran last in {@code node}'s transition. */
    private static int lastActor(DfsNode node) {
        int[] actors = node.eventActors;
        return actors == null || actors[actors.length - 1] < 0 ? node.chosenActor() : actors[actors.length - 1];
    }
}
