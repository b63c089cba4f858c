package accelmm.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A choice source for tests of observed footprints in the model's layers: it wants footprints,
 * runs one worker at a time (the running one while it can, else the first other worker), keeps a
 * decider actor runnable so that every preemption point is a decision and every stretch an event
 * of its own, and records what each named phase of a worker touched ({@link #phase}).
 */
public final class PhaseFootprints extends ObservingChoices {

    private static final String DECIDER = "decider";

    private final Simulation sim;
    /** The phase each actor is in, by actor id; absent outside a phase. */
    private final TreeMap<Integer, String> phaseOf = new TreeMap<>();
    /** What each phase touched, by phase name; UNKNOWN once any of its stretches was. */
    private final TreeMap<String, Footprint> touched = new TreeMap<>();
    private int liveWorkers;

    /** A simulation driven by a new recorder that observes footprints. */
    public static PhaseFootprints simulation() {
        return new PhaseFootprints();
    }

    private PhaseFootprints() {
        this.sim = new Simulation(this);
        sim.observeFootprints(true);
    }

    public Simulation sim() {
        return sim;
    }

    /** Spawns a worker; the decider runs beside the workers until the last one ends. */
    public void spawn(String name, Runnable body) {
        if (liveWorkers++ == 0) {
            sim.spawn(DECIDER, () -> {
                while (liveWorkers > 0) {
                    sim.preemptionPoint(DECIDER);
                }
            });
        }
        sim.spawn(name, () -> {
            try {
                body.run();
            } finally {
                liveWorkers--;
            }
        });
    }

    /**
     * Runs {@code op} in the current worker as phase {@code name}, between two preemption points,
     * so that its stretches are reported apart from the worker's others.
     */
    public void phase(String name, Runnable op) {
        sim.preemptionPoint("before " + name);
        phaseOf.put(sim.current().id(), name);
        op.run();
        sim.preemptionPoint("after " + name);
        phaseOf.remove(sim.current().id());
    }

    /** Runs the simulation; fails on any outcome but completion. */
    public void run() {
        Outcome outcome = sim.run();
        if (!(outcome instanceof Outcome.Completed)) {
            throw new AssertionError("the run did not complete: " + outcome);
        }
    }

    /**
     * What phase {@code name} touched, only the accesses to pieces of the given kinds (the state
     * of the layer under test; other layers report theirs as they are instrumented).
     */
    public Footprint of(String name, Set<String> kinds) {
        Footprint all = touched.get(name);
        if (all == null) {
            throw new AssertionError("no phase " + name + " ran");
        }
        if (!all.known()) {
            return all;
        }
        Footprint out = Footprint.NONE;
        for (Access a : all.accesses()) {
            if (a.resource() instanceof Shared.Key key && kinds.contains(key.kind())) {
                out = out.plus(a);
            }
        }
        return out;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        for (int i = 0; i < point.eventCount(); i++) {
            String phase = phaseOf.get(point.eventActor(i));
            if (phase != null) {
                touched.merge(phase, point.eventFootprint(i), Footprint::plus);
            }
        }
        Actor running = point.running();
        if (running != null && !running.name().equals(DECIDER) && point.indexOf(running) >= 0) {
            return point.indexOf(running);
        }
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < point.candidateCount(); i++) {
            if (!point.candidate(i).name().equals(DECIDER)) {
                others.add(i);
            }
        }
        return others.isEmpty() ? 0 : others.get(0);
    }
}
