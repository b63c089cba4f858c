package accelmm.check;

import accelmm.sim.Footprint;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision on the current path of a {@link DfsSearch}: which actor continues (an actor
 * node, whose options are the candidates' ids) or which value a data choice takes (a value
 * node). It remembers what was tried, the preemptions spent before it, its sleep set and the
 * children already explored, for the sleep sets of later siblings.
 */
final class DfsNode {

    /** A transition known to be explored from an ancestor state, with what it touched. */
    record Sleeper(int actorId, Footprint footprint) {
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
    private final int[] order;
    int chosen;
    /** What the current child's transition touched, observed at the next actor decision. */
    Footprint chosenFootprint;
    /** The current child's subtree left something out for the preemption bound. */
    boolean childIncomplete;
    /** This node's subtree left something out for the preemption bound. */
    boolean incomplete;
    /** Every option was asleep or over the bound: the execution through here is redundant. */
    boolean deadEnd;

    private DfsNode(int[] options, int valueCount, int runningId, int preemptionsBefore, List<Sleeper> sleep) {
        this.options = options;
        this.valueCount = valueCount;
        this.runningId = runningId;
        this.preemptionsBefore = preemptionsBefore;
        this.sleep = sleep;
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
     * children explored so far (for the sleep sets below it).
     */
    DfsNode copyChoosing(int option) {
        DfsNode copy = new DfsNode(options, valueCount, runningId, preemptionsBefore, sleep);
        copy.done.addAll(done);
        copy.chosen = option;
        return copy;
    }

    /**
     * Takes every option {@link #chooseNext} would still offer, marking them tried, and keeps
     * the current choice: they go to other tasks.
     */
    int[] takeRemaining(int bound) {
        int current = chosen;
        Footprint footprint = chosenFootprint;
        boolean currentIncomplete = childIncomplete;
        int[] out = new int[order.length];
        int n = 0;
        for (int i; (i = chooseNext(bound)) >= 0; ) {
            out[n++] = i;
        }
        chosen = current;
        chosenFootprint = footprint;
        childIncomplete = currentIncomplete;
        return java.util.Arrays.copyOf(out, n);
    }

    /** Whether some option not yet tried and not asleep costs more preemptions than {@code bound} allows. */
    boolean overBound(int bound) {
        for (int i : order) {
            if (!tried[i] && !asleep(i) && !withinBound(i, bound)) {
                return true;
            }
        }
        return false;
    }

    static DfsNode actor(int[] candidateIds, int runningId, int preemptionsBefore, List<Sleeper> sleep) {
        return new DfsNode(candidateIds, 0, runningId, preemptionsBefore, sleep);
    }

    static DfsNode value(int bound, int preemptionsBefore) {
        return new DfsNode(null, bound, -1, preemptionsBefore, List.of());
    }

    boolean actorNode() {
        return options != null;
    }

    int optionCount() {
        return options != null ? options.length : valueCount;
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
     * The next option to explore, marked tried and chosen, or -1 when none is left. Options
     * asleep are skipped (explored elsewhere); options over {@code bound} are skipped and make
     * this node incomplete.
     */
    int chooseNext(int bound) {
        for (int i : order) {
            if (tried[i] || asleep(i)) {
                continue;
            }
            tried[i] = true;
            if (!withinBound(i, bound)) {
                incomplete = true;
                continue;
            }
            chosen = i;
            chosenFootprint = null;
            childIncomplete = false;
            return i;
        }
        return -1;
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

    private boolean withinBound(int i, int bound) {
        return (long) preemptionsBefore + cost(i) <= bound;
    }

    private int cost(int i) {
        return options != null && runningId >= 0 && options[i] != runningId ? 1 : 0;
    }

    private boolean asleep(int i) {
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
