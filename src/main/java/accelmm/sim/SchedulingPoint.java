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

    /**
     * What the transition that ends at this decision touched: everything the actors did since
     * the previous scheduling decision, as their preemption points declared it. The start of a
     * run touched nothing.
     */
    default Footprint footprint() {
        return Footprint.UNKNOWN;
    }

    /**
     * How many stretches of execution ran since the previous decision, one per actor: the actor
     * chosen there, then, each time the running actor blocked or ended with only one other
     * actor runnable (a switch nobody chose), that actor. Zero at the first decision.
     */
    default int eventCount() {
        return 1;
    }

    /** The id of the actor that ran stretch {@code i} (see {@link #eventCount()}), or -1 if not known. */
    default int eventActor(int i) {
        return -1;
    }

    /** What stretch {@code i} touched; {@link #footprint()} is all of them together. */
    default Footprint eventFootprint(int i) {
        return footprint();
    }

    /**
     * What the candidate at {@code index} declared for its next step at the point where it is
     * parked (for the running actor: at this point), or {@code null} when it declared nothing
     * or has not started. A declaration may still widen while the step runs ({@link
     * Simulation#endOfDeclaredAccess()}); {@link #footprint()} at the next decision is what the
     * step really touched.
     */
    default Access pendingAccess(int index) {
        return null;
    }

    /**
     * Whether this decision has a state fingerprint ({@link #fingerprintHigh()}, {@link
     * #fingerprintLow()}): the model's {@link StateHash} covers everything that decides the
     * future here, and the simulation added its actors' scheduler states. Two decisions with
     * equal fingerprints have the same future: the same candidates, the same runs from here.
     * Only when the choice source {@link ChoiceSource#wantsFingerprints() wants fingerprints}.
     */
    default boolean fingerprinted() {
        return false;
    }

    /** The high 64 bits of the fingerprint (see {@link #fingerprinted()}). */
    default long fingerprintHigh() {
        throw new IllegalStateException("no fingerprint at this decision");
    }

    /** The low 64 bits of the fingerprint (see {@link #fingerprinted()}). */
    default long fingerprintLow() {
        throw new IllegalStateException("no fingerprint at this decision");
    }

    /** The index of {@code actor} among the candidates, or -1. */
    default int indexOf(Actor actor) {
        for (int i = 0; i < candidateCount(); i++) {
            if (candidate(i) == actor) {
                return i;
            }
        }
        return -1;
    }

    /** The index among the candidates of the actor with id {@code actorId}, or -1 if it is not one. */
    default int indexOfId(int actorId) {
        for (int i = 0; i < candidateCount(); i++) {
            if (candidate(i).id() == actorId) {
                return i;
            }
        }
        return -1;
    }
}
