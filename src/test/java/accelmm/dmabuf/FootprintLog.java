package accelmm.dmabuf;

import accelmm.sim.Access;
import accelmm.sim.Footprint;
import accelmm.sim.ObservingChoices;
import accelmm.sim.Outcome;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A choice source for footprint tests: it runs the running actor on (else the first runnable),
 * so actors run one after the other (a witness actor last), wants footprints, and adds up, per actor, what that actor
 * touched after it called {@link #start} (the stretch that called it on: an actor calls it right
 * after a preemption point that ends its set-up). Actors named in {@link #follow} (the GPU engine's
 * worker) are added up from their first stretch.
 */
public final class FootprintLog extends ObservingChoices {

    /** An actor that runs last, so that every other actor's last stretch ends at a decision. */
    private static final String WITNESS = "witness";

    private final TreeMap<Integer, Footprint> touched = new TreeMap<>();
    private final TreeMap<Integer, String> names = new TreeMap<>();
    private final List<String> followed = new ArrayList<>();

    /**
     * Runs {@code setUp} in an actor of its own, then each of {@code ops} in an actor of its own,
     * one after the other, and returns what each op touched. Fails unless the run completes and
     * every footprint is known.
     */
    public Footprint[] run(Simulation sim, Runnable setUp, Runnable... ops) {
        sim.spawn("set up", setUp);
        int first = -1;
        for (Runnable op : ops) {
            int id = sim.spawn("op", () -> {
                sim.preemptionPoint("set up");
                start(sim.current().id());
                op.run();
                sim.preemptionPoint("done");
            }).id();
            first = first < 0 ? id : first;
        }
        // Runnable till every other actor is done, so that their last stretches are reported.
        sim.spawn(WITNESS, () -> sim.preemptionPoint(WITNESS));
        Outcome outcome = sim.run();
        if (!(outcome instanceof Outcome.Completed)) {
            throw new AssertionError("the run did not complete: " + outcome);
        }
        Footprint[] out = new Footprint[ops.length];
        for (int i = 0; i < ops.length; i++) {
            out[i] = of(first + i);
            if (!out[i].known()) {
                throw new AssertionError("op " + i + " touched something unobserved");
            }
        }
        return out;
    }

    /** Adds up what actor {@code actorId} touches from now on. */
    public void start(int actorId) {
        touched.putIfAbsent(actorId, Footprint.NONE);
    }

    /** Adds up what the actor named {@code name} touches, from its first stretch. */
    public void follow(String name) {
        followed.add(name);
    }

    /** What actor {@code actorId} touched since it started; empty if it never did. */
    public Footprint of(int actorId) {
        return touched.getOrDefault(actorId, Footprint.NONE);
    }

    /** What the actor named {@code name} touched since it was followed or started. */
    public Footprint of(String name) {
        for (var e : names.entrySet()) {
            if (e.getValue().equals(name)) {
                return of(e.getKey());
            }
        }
        return Footprint.NONE;
    }

    /** The accesses of {@code a} that conflict with some access of {@code b}, for messages. */
    public static List<String> conflicts(Footprint a, Footprint b) {
        List<String> out = new ArrayList<>();
        for (Access x : a.accesses()) {
            for (Access y : b.accesses()) {
                if (x.conflictsWith(y)) {
                    out.add(x + " / " + y);
                }
            }
        }
        return out;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        for (int i = 0; i < point.candidateCount(); i++) {
            var actor = point.candidate(i);
            if (names.put(actor.id(), actor.name()) == null && followed.contains(actor.name())) {
                start(actor.id());
            }
        }
        for (int i = 0; i < point.eventCount(); i++) {
            int actor = point.eventActor(i);
            Footprint sum = touched.get(actor);
            if (sum != null) {
                touched.put(actor, sum.plus(point.eventFootprint(i)));
            }
        }
        if (point.running() != null) {
            return point.indexOf(point.running());
        }
        for (int i = 0; i < point.candidateCount(); i++) {
            if (!point.candidate(i).name().equals(WITNESS)) {
                return i;
            }
        }
        return 0;
    }
}
