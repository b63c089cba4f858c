package accelmm.check;

/**
 * Thrown by the scenario interpreter when an inline expectation does not hold ({@code =>
 * OUTCOME}, {@code expect X == V}); it ends the execution like a broken invariant.
 */
public final class ExpectationFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExpectationFailed(String message) {
        super(message, null, false, false);
    }
}
