package accelmm.check;

import accelmm.sim.Schedule;
import java.util.Optional;

/**
 * The model itself failed (a precondition that is not an invariant of the kernel but of
 * accelmm's own code). Reported as an internal error with the schedule, never as a verdict.
 */
public final class ModelBugException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The decisions of the execution that failed, as its simulation recorded them; null if none. */
    private final transient Schedule schedule;

    public ModelBugException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** A failure of one execution, with the schedule that replays it. */
    public ModelBugException(String message, Throwable cause, Schedule schedule) {
        super(message, cause);
        this.schedule = schedule;
    }

    /** The schedule of the execution that failed, when the failure was of one execution. */
    public Optional<Schedule> schedule() {
        return Optional.ofNullable(schedule);
    }
}
