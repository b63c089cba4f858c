package accelmm.sim;

/**
 * Something an actor can block on: a lock, a wait queue, a completion, or an upper layer's
 * primitive built on {@link Simulation#block(Waitable)}.
 */
public interface Waitable {

    /** A short description for deadlock reports, e.g. {@code mutex notifier_lock}. */
    String describe();

    /**
     * Forgets {@code actor} as a waiter because it is being killed while blocked. Primitives that
     * keep a waiter list remove it; the default does nothing.
     */
    default void cancelWait(Actor actor) {
    }

    /**
     * What a state fingerprint records of a blocked actor's wait: equal for the same object in
     * every execution of a model. The default hashes {@link #describe()}; the simulation's
     * primitives give their {@link Shared} state's creation serial, which costs no string.
     */
    default long stateHashIdentity() {
        return describe().hashCode();
    }
}
