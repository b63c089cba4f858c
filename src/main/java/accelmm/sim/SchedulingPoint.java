package accelmm.sim;

/**
 * A read-only view of one scheduling decision, handed to a {@link ChoiceSource}. Valid only
 * for the duration of the call: the simulation reuses one instance.
 */
public interface SchedulingPoint {

    /** How many actors may continue; at least two. */
    int candidateCount();

    /** The candidate at {@code index}, in increasing id order. */
    Actor candidate(int index);

    /**
     * The actor that reached this point, if it may itself continue; {@code null} when it blocked
     * or finished (then every candidate is some other actor).
     */
    Actor running();

    /** Preemption points passed so far in this run. */
    long step();

    /** The label of the preemption point, or why the running actor gave up the CPU. */
    String label();

    /** The index of {@code actor} among the candidates, or -1. */
    default int indexOf(Actor actor) {
        for (int i = 0; i < candidateCount(); i++) {
            if (candidate(i) == actor) {
                return i;
            }
        }
        return -1;
    }
}
