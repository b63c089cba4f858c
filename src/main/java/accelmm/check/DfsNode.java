package accelmm.check;

import accelmm.sim.Footprint;
import accelmm.sim.SchedulingPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One decision on the current path of a {@link DfsSearch}: which actor continues (an actor
 * node, whose options are the candidates' ids) or which value a data choice takes (a value
 * node). It remembers what was tried, the preemptions spent before it, its sleep set, the
 * children already explored (for the sleep sets of later siblings) and, under {@link
 * Strategy.Reduction#DPOR}, its backtrack set: the options some race asked for.
 */
final class DfsNode implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** A transition known to be explored from an ancestor state, with what it touched. */
    record Sleeper(int actorId, Footprint footprint) implements java.io.Serializable {
    }

    /**
     * The node's options went to other tasks at a hand-over: {@code key} is the key of the
     * hand-over ({@link DfsTask}'s key and the negated hand-over number), {@code slot} tells
     * this node from the others handed over with it (0 for the deepest, whose {@code siblings}
     * options became tasks), {@code backtrack} the options explored or handed out then. Shared
     * by every copy of the node: a later backtrack here becomes a request keyed from it.
     */
    record HandedOver(int[] key, int siblings, int slot, boolean[] backtrack) implements java.io.Serializable {
    }

    /** Candidate actor ids in the simulation's order, or {@code null} for a value node. */
    final int[] options;
    final int valueCount;
    /** The actor that could go on at this decision, or -1 (it blocked or ended; or a value node). */
    final int runningId;
    final int preemptionsBefore;
    /** Transitions that need not run here: their reorderings were explored elsewhere. */
    final List<Sleeper> sleep;
    /** Children explored to the end without anything left out for the bound, in order. */
    final List<Sleeper> done = new ArrayList<>();
    private final boolean[] tried;
    /**
     * Bounded DPOR: conservative branches that wait on an option's subtree here, each {option,
     * the switch's position, the actor} (see {@link DporRaces.Sink#conservative}); null if none.
     */
    private List<int[]> conservative;
    private final int[] order;
    /** The options to explore (DPOR), or {@code null}: every option. */
    private final boolean[] backtrack;
    /** Set once the node's options went to other tasks. */
    HandedOver handedOver;
    int chosen;
    /** What the current child's transition touched, observed at the next actor decision. */
    Footprint chosenFootprint;
    /**
     * The current child's transition as stretches of one actor each (the chosen actor, then
     * those that went on without a decision when it blocked or ended): their actors and what
     * each touched, observed at the next actor decision or the end of the run; {@code null}
     * until then, or when the simulation did not tell.
     */
    int[] eventActors;
    Footprint[] eventFootprints;
    /**
     * Per stretch, the stretches of the path (numbered from the root) that happen before it:
     * program order and conflicting accesses, transitively. Computed after the execution that
     * first ran the current choice; the prefix above does not change while it is kept.
     */
    BitSet[] eventsBefore;
    /** The current child's subtree left something out for the preemption bound. */
    boolean childIncomplete;
    /** This node's subtree left something out for the preemption bound. */
    boolean incomplete;
    /** Every option was asleep: the execution through here is redundant. */
    boolean deadEnd;
    /**
     * The state at this decision, when the model fingerprinted it and the search caches states
     * ({@link StateCache}); else null. A node that meets a stored state is a dead end too.
     */
    StateCache.Key stateKey;
    /**
     * DPOR with state caching: what every transition run from this node and below touched so
     * far, per actor, with the summaries of the cached states met below.
     */
    EventSummary summary = EventSummary.EMPTY;

    private DfsNode(int[] options, int valueCount, int runningId, int preemptionsBefore, List<Sleeper> sleep,
            boolean[] backtrack) {
        this.options = options;
        this.valueCount = valueCount;
        this.runningId = runningId;
        this.preemptionsBefore = preemptionsBefore;
        this.sleep = sleep;
        this.backtrack = backtrack;
        int n = optionCount();
        this.tried = new boolean[n];
        this.order = new int[n];
        // The running actor first (it costs no preemption), then the others by id.
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (options != null && options[i] == runningId) {
                order[k++] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (options == null || options[i] != runningId) {
                order[k++] = i;
            }
        }
    }

    /**
     * A copy for the prefix of another {@link DfsTask}, there choosing {@code option}, with the
     * children explored so far (for the sleep sets below it) and, of the backtrack set, what it
     * held when it was handed over: the same whichever task copies it.
     */
    DfsNode copyChoosing(int option) {
        boolean[] set = backtrack == null ? null
                : handedOver != null ? handedOver.backtrack().clone() : backtrack.clone();
        DfsNode copy = new DfsNode(options, valueCount, runningId, preemptionsBefore, sleep, set);
        copy.done.addAll(done);
        copy.handedOver = handedOver;
        copy.chosen = option;
        if (set != null) {
            set[option] = true;
        }
        if (option == chosen) {
            copy.eventActors = eventActors;
            copy.eventFootprints = eventFootprints;
            copy.eventsBefore = eventsBefore;
        }
        return copy;
    }

    /**
     * Records that this node's options go to other tasks in the hand-over {@code key}, and
     * what it has explored or handed out.
     */
    void handOver(int[] key, int siblings, int slot) {
        handedOver = new HandedOver(key, siblings, slot, backtrack == null ? null : backtrack.clone());
    }

    /**
     * Takes every option {@link #chooseNext} would still offer, marking them tried, and keeps
     * the current choice: they go to other tasks.
     */
    int[] takeRemaining(int bound) {
        int current = chosen;
        Footprint footprint = chosenFootprint;
        int[] actors = eventActors;
        Footprint[] footprints = eventFootprints;
        BitSet[] before = eventsBefore;
        boolean currentIncomplete = childIncomplete;
        int[] out = new int[order.length];
        int n = 0;
        for (int i; (i = chooseNext(bound)) >= 0; ) {
            out[n++] = i;
        }
        chosen = current;
        chosenFootprint = footprint;
        eventActors = actors;
        eventFootprints = footprints;
        eventsBefore = before;
        childIncomplete = currentIncomplete;
        return Arrays.copyOf(out, n);
    }

    /** Whether some option still to explore and not asleep costs more preemptions than {@code bound} allows. */
    boolean overBound(int bound) {
        for (int i : order) {
            if (!tried[i] && inBacktrack(i) && !asleep(i) && !withinBound(i, bound)) {
                return true;
            }
        }
        return false;
    }

    /** An actor decision; with {@code dpor}, its backtrack set starts empty (see {@link #seedBacktrack}). */
    static DfsNode actor(int[] candidateIds, int runningId, int preemptionsBefore, List<Sleeper> sleep,
            boolean dpor) {
        return new DfsNode(candidateIds, 0, runningId, preemptionsBefore, sleep,
                dpor ? new boolean[candidateIds.length] : null);
    }

    /** A data choice: every value is explored, whatever the reduction. */
    static DfsNode value(int bound, int preemptionsBefore) {
        return new DfsNode(null, bound, -1, preemptionsBefore, List.of(), null);
    }

    boolean actorNode() {
        return options != null;
    }

    int optionCount() {
        return options != null ? options.length : valueCount;
    }

    /** The actor the current choice runs (actor nodes). */
    int chosenActor() {
        return options[chosen];
    }

    /** Preemptions spent up to and including this node's current choice. */
    int preemptionsAfter() {
        return preemptionsBefore + cost(chosen);
    }

    /** The default continuation: the running actor, else the first candidate; value 0. */
    int defaultChoice() {
        return order[0];
    }

    /**
     * Puts the first option not asleep, in the order of {@link #chooseNext}, in the backtrack
     * set of a new DPOR node: some transition must run here, and races ask for the others.
     */
    void seedBacktrack() {
        if (backtrack == null) {
            return;
        }
        for (int i : order) {
            if (!asleep(i)) {
                backtrack[i] = true;
                return;
            }
        }
    }

    /**
     * The next option to explore, marked tried and chosen, or -1 when none is left. Options
     * asleep (explored elsewhere) or outside the backtrack set (no race asks for them) are
     * skipped; options over {@code bound} are skipped and make this node incomplete.
     */
    int chooseNext(int bound) {
        for (int i : order) {
            if (tried[i] || !inBacktrack(i) || asleep(i)) {
                continue;
            }
            tried[i] = true;
            if (!withinBound(i, bound)) {
                incomplete = true;
                continue;
            }
            chosen = i;
            chosenFootprint = null;
            eventActors = null;
            eventFootprints = null;
            eventsBefore = null;
            childIncomplete = false;
            return i;
        }
        return -1;
    }

    /**
     * Takes what the current child's transition did from the decision (or end of run) that
     * follows it: the union for sleep sets, the stretches for DPOR's races.
     */
    void observed(SchedulingPoint point, boolean stretches) {
        // Every execution below this child ran its transition; with a data choice inside it the
        // transition touched different things per value, and a sleeper must stand for them all.
        Footprint now = point.footprint();
        chosenFootprint = chosenFootprint == null ? now : chosenFootprint.plus(now);
        if (!stretches) {
            return;
        }
        int n = point.eventCount();
        int[] actors;
        Footprint[] footprints;
        if (n == 0 || point.eventActor(0) != chosenActor()) {
            // Not told who ran: one stretch of unknown actors (see DporRaces).
            actors = new int[] {-1};
            footprints = new Footprint[] {Footprint.UNKNOWN};
        } else {
            actors = new int[n];
            footprints = new Footprint[n];
            for (int i = 0; i < n; i++) {
                actors[i] = point.eventActor(i);
                footprints[i] = point.eventFootprint(i);
            }
        }
        // A replay runs the same stretches; their order stays valid. The footprints are taken
        // anew: those of one execution are compared with each other only.
        if (eventActors == null || !Arrays.equals(eventActors, actors)) {
            eventsBefore = null;
        }
        eventActors = actors;
        eventFootprints = footprints;
    }

    /**
     * Whether the current child's transition was observed (with its stretches, when {@code
     * stretches}) in an earlier execution.
     */
    boolean observedBefore(boolean stretches) {
        return chosenFootprint != null && (!stretches || eventActors != null);
    }

    /** Adds the current child's stretches, as last observed, to {@link #summary}. */
    void summarizeObserved() {
        if (eventActors == null) {
            summary = summary.with(-1, Footprint.UNKNOWN);
            return;
        }
        for (int s = 0; s < eventActors.length; s++) {
            summary = summary.with(eventActors[s], eventFootprints[s]);
        }
    }

    /** The ids of the actors asleep here, ascending. */
    int[] sleepingIds() {
        int[] ids = new int[sleep.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sleep.get(i).actorId();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Books the current child as explored: reusable in sleep sets only if nothing was left out. */
    void finishChild() {
        if (deadEnd) {
            return;
        }
        if (childIncomplete) {
            incomplete = true;
        } else if (actorNode()) {
            done.add(new Sleeper(options[chosen], chosenFootprint == null ? Footprint.UNKNOWN : chosenFootprint));
        }
    }

    /** Whether option {@code i}'s subtree was explored before the current child, something left out for the bound. */
    boolean finishedIncomplete(int i) {
        return tried[i] && i != chosen && !finishedComplete(i);
    }

    /** Whether option {@code i}'s subtree (an actor's) was explored with nothing left out for the bound. */
    boolean finishedComplete(int i) {
        for (Sleeper s : done) {
            if (s.actorId() == options[i]) {
                return true;
            }
        }
        return false;
    }

    /** Keeps a conservative branch until option {@code option}'s subtree here is finished. */
    void pendConservative(int option, int switchAt, int actorId) {
        if (conservative == null) {
            conservative = new ArrayList<>(2);
        }
        conservative.add(new int[] {option, switchAt, actorId});
    }

    /**
     * Takes the conservative branches kept for the current child ({@code all}: for every
     * option), leaving the others: each {option, the switch's position, the actor}.
     */
    List<int[]> takeConservative(boolean all) {
        if (conservative == null) {
            return List.of();
        }
        List<int[]> out = new ArrayList<>();
        for (int[] c : conservative) {
            if (all || c[0] == chosen) {
                out.add(c);
            }
        }
        conservative.removeAll(out);
        return out;
    }

    /**
     * The sleep set of the actor decision that follows this node's current choice, whose
     * transition touched {@code footprint}: what slept here or was explored before, and
     * commutes with that transition.
     */
    List<Sleeper> sleepAfter(Footprint footprint) {
        List<Sleeper> out = new ArrayList<>();
        int ran = options[chosen];
        addIndependent(out, sleep, ran, footprint);
        addIndependent(out, done, ran, footprint);
        return out;
    }

    private static void addIndependent(List<Sleeper> out, List<Sleeper> from, int ran, Footprint footprint) {
        for (Sleeper s : from) {
            if (s.actorId() != ran && !s.footprint().conflictsWith(footprint)) {
                out.add(s);
            }
        }
    }

    /** The index of actor {@code actorId} among the options, or -1 when it is not a candidate here. */
    int optionOf(int actorId) {
        for (int i = 0; i < options.length; i++) {
            if (options[i] == actorId) {
                return i;
            }
        }
        return -1;
    }

    /** Whether option {@code i} is in the backtrack set (every option is, without DPOR). */
    boolean inBacktrack(int i) {
        return backtrack == null || backtrack[i];
    }

    /** Adds option {@code i} to the backtrack set; false if it was there. */
    boolean addBacktrack(int i) {
        if (backtrack == null || backtrack[i]) {
            return false;
        }
        backtrack[i] = true;
        return true;
    }

    /** Where option {@code i} stands in the order options are tried (0: the default). */
    int rank(int i) {
        for (int r = 0; r < order.length; r++) {
            if (order[r] == i) {
                return r;
            }
        }
        throw new IllegalArgumentException("no option " + i);
    }

    /** Whether option {@code i} fits in {@code bound} preemptions. */
    boolean withinBound(int i, int bound) {
        return (long) preemptionsBefore + cost(i) <= bound;
    }

    private int cost(int i) {
        return options != null && runningId >= 0 && options[i] != runningId ? 1 : 0;
    }

    /** Whether option {@code i} sleeps here: explored from an ancestor, and nothing since conflicts. */
    boolean asleep(int i) {
        if (options == null) {
            return false;
        }
        for (Sleeper s : sleep) {
            if (s.actorId() == options[i]) {
                return true;
            }
        }
        return false;
    }
}
