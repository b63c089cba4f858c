package accelmm.sim;

/**
 * Replays a recorded {@link Schedule}. Past its end it continues deterministically: the running
 * actor keeps the CPU if it can, otherwise the runnable actor with the lowest id continues, and
 * data choices take 0. That continuation lets a prefix of a schedule stand for a whole run.
 */
public final class ReplayChoiceSource implements ChoiceSource {

    private final Schedule schedule;
    private int next;

    public ReplayChoiceSource(Schedule schedule) {
        this.schedule = schedule;
    }

    /** Whether every recorded decision has been used. */
    public boolean exhausted() {
        return next >= schedule.length();
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        if (exhausted()) {
            int running = point.running() == null ? -1 : point.indexOf(point.running());
            return Math.max(running, 0);
        }
        int id = schedule.decision(next);
        for (int i = 0; i < point.candidateCount(); i++) {
            if (point.candidate(i).id() == id) {
                next++;
                return i;
            }
        }
        throw new ReplayDivergence("decision " + next + " of the schedule names actor " + id
                + ", which is not runnable at step " + point.step() + " (" + point.label() + ")");
    }

    @Override
    public int pickValue(String label, int bound) {
        if (exhausted()) {
            return 0;
        }
        int value = schedule.decision(next);
        if (value >= bound) {
            throw new ReplayDivergence("decision " + next + " of the schedule is " + value
                    + ", out of range for " + label + " (" + bound + " options)");
        }
        next++;
        return value;
    }

    /** The schedule does not fit the run: a different scenario, design or version. */
    public static final class ReplayDivergence extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayDivergence(String message) {
            super(message);
        }
    }
}
