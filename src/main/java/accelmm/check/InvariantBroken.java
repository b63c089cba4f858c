package accelmm.check;

/**
 * Thrown by an invariant observer from inside the model's call stack to end the execution at
 * the step where the invariant broke. The simulation turns it into a failed outcome, which the
 * explorer reads back as the violation. Model code never catches it.
 */
public final class InvariantBroken extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public InvariantBroken(Violation violation) {
        super(violation.toString(), null, false, false);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
