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
}
