package accelmm.sim;

/**
 * A reference count went wrong inside the model: an underflow, a put or get on an object that
 * was already freed, a double free. The kernel's {@code refcount_t} would warn (and saturate);
 * the model stops the run at once and the checker reports the {@code refcount} invariant.
 */
public final class RefcountError extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public RefcountError(String message) {
        super(message);
    }
}
