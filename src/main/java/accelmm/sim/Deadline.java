package accelmm.sim;

/**
 * When a run must stop from outside the model: the explorer's time budget. The simulation asks
 * it every {@value Simulation#DEADLINE_EVERY} steps and, once it has passed, ends the run as
 * {@link Outcome.OutOfTime}. The model never sees it, so it cannot change what a run does, only
 * how far it gets.
 */
@FunctionalInterface
public interface Deadline {

    /** No deadline: a run ends by itself or at the step limit. */
    Deadline NONE = () -> false;

    boolean passed();

    /**
     * Nanoseconds until it passes, as far as it knows: 0 once it has, {@link Long#MAX_VALUE} when
     * it cannot tell (a stop from outside may come at any time), for work sent to another JVM,
     * which gets a clock of its own.
     */
    default long nanosLeft() {
        return passed() ? 0 : Long.MAX_VALUE;
    }
}
