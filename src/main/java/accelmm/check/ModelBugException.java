package accelmm.check;

/**
 * The model itself failed (a precondition that is not an invariant of the kernel but of
 * accelmm's own code). Reported as an internal error with the schedule, never as a verdict.
 */
public final class ModelBugException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelBugException(String message, Throwable cause) {
        super(message, cause);
    }
}
