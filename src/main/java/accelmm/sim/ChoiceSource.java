package accelmm.sim;

/**
 * The one source of nondeterminism of a run. Every scheduling decision (which runnable actor
 * continues) and every data choice (which page reclaim picks) is asked of it, and nothing else
 * in the model may choose.
 *
 * <p>Implementations: {@link RandomChoiceSource} (seeded random walk), {@link
 * ReplayChoiceSource} (a recorded {@link Schedule}); the explorer adds systematic ones.
 */
public interface ChoiceSource {

    /**
     * What {@link #pickActor} returns to end the run at once, as {@link Outcome.Pruned}: an
     * explorer that knows every continuation from here was explored elsewhere.
     */
    int PRUNE = -2;

    /**
     * Picks which runnable actor continues.
     *
     * @param point the decision: at least two candidates, ordered by actor id
     * @return an index in {@code [0, point.candidateCount())}, or {@link #PRUNE}
     */
    int pickActor(SchedulingPoint point);

    /**
     * Picks a value in {@code [0, bound)} for a nondeterministic choice of the model.
     *
     * @param label what is being chosen, e.g. {@code reclaim victim}
     * @param bound the number of options, at least two
     */
    int pickValue(String label, int bound);

    /**
     * Whether this source reads footprints ({@link SchedulingPoint#eventFootprint}): only then
     * does a simulation that observes them record every {@link Shared} access, which costs
     * little but not nothing.
     */
    default boolean wantsFootprints() {
        return false;
    }

    /**
     * Whether this source reads state fingerprints ({@link SchedulingPoint#fingerprinted()}):
     * only then does the simulation keep a {@link StateHash} for the model to fill ({@link
     * Simulation#stateHash()}); otherwise neither pays anything for it.
     */
    default boolean wantsFingerprints() {
        return false;
    }

    /**
     * The run ended (every actor finished, or none could go on): {@code last} tells the
     * stretches since the last decision ({@link SchedulingPoint#eventCount()} and after), which
     * no decision reports. Called only when the source {@link #wantsFootprints()}, and not after
     * a run the source pruned or that stopped for the step limit or the deadline. Nothing else
     * of {@code last} is meaningful.
     */
    default void runEnded(SchedulingPoint last) {
    }
}
