package accelmm.sim;

import java.util.Optional;

/**
 * Replays a recorded {@link Schedule}. Past its end it continues deterministically: the running
 * actor keeps the CPU if it can, otherwise the runnable actor with the lowest id continues, and
 * data choices take 0. That continuation lets a prefix of a schedule stand for a whole run.
 */
public final class ReplayChoiceSource implements ChoiceSource {

    private final Schedule schedule;
    private int next;
    private ReplayDivergence divergence;

    public ReplayChoiceSource(Schedule schedule) {
        this.schedule = schedule;
    }

    /** Whether every recorded decision has been used. */
    public boolean exhausted() {
        return next >= schedule.length();
    }

    /** How many recorded decisions the run has used. */
    public int used() {
        return next;
    }

    /**
     * Where the schedule stopped fitting the run, if it did: the run then failed in whatever way
     * the divergence surfaced, which says nothing about the model.
     */
    public Optional<ReplayDivergence> divergence() {
        return Optional.ofNullable(divergence);
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        if (exhausted()) {
            int running = point.running() == null ? -1 : point.indexOf(point.running());
            return Math.max(running, 0);
        }
        int id = schedule.decision(next);
        int index = point.indexOfId(id);
        if (index >= 0) {
            next++;
            return index;
        }
        throw diverged("actor " + id + " is not runnable at step " + point.step() + " (" + point.label() + ")");
    }

    @Override
    public int pickValue(String label, int bound) {
        if (exhausted()) {
            return 0;
        }
        int value = schedule.decision(next);
        if (value >= bound) {
            throw diverged("the value " + value + " is out of range for " + label + " (" + bound + " options)");
        }
        next++;
        return value;
    }

    private ReplayDivergence diverged(String why) {
        if (divergence == null) {
            divergence = new ReplayDivergence(next, why);
        }
        return divergence;
    }

    /** The schedule does not fit the run: a different scenario, design or version. */
    public static final class ReplayDivergence extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int decision;
        private final String why;

        ReplayDivergence(int decision, String why) {
            super("decision " + decision + " of the schedule does not fit: " + why);
            this.decision = decision;
            this.why = why;
        }

        /** The index of the first decision that does not fit, from 0. */
        public int decision() {
            return decision;
        }

        /** What did not fit, e.g. {@code actor 5 is not runnable at step 0 (start)}. */
        public String why() {
            return why;
        }
    }
}
