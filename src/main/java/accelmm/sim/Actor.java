package accelmm.sim;

/**
 * One schedulable activity of the model: a CPU thread of a simulated process, a device engine
 * or a kernel daemon. The model's analogue of a {@code task_struct} as the scheduler sees it.
 *
 * <p>Actors are created by {@link Simulation#spawn} and identified by their id, which is the
 * spawn order and the only order the scheduler ever uses.
 */
public final class Actor {

    /** Scheduler state, as far as the model needs it. */
    public enum State {
        /** Runnable (spawned or woken) and waiting for the CPU, or running. */
        RUNNABLE,
        /** Waiting on a {@link Waitable}; not runnable until woken. */
        BLOCKED,
        /** Its body returned, failed or was killed. */
        DONE
    }

    private final int id;
    private final String name;
    private final Runnable body;
    private final boolean daemon;
    final Simulation simulation;
    /** The thread running this actor once started (pooled, see {@link ActorThreads}). */
    Thread thread;
    /** Set when the actor's thread has left its body for good: done, failed or unwound. */
    volatile boolean unwound;
    State state = State.RUNNABLE;
    Waitable blockedOn;
    boolean killed;
    /** Set when a {@link Simulation#scheduleTimeout} sleep of this actor ended by its timeout. */
    boolean timedOut;
    /** The access declared at the preemption point this actor is parked at; null: undeclared. */
    Access pendingAccess;
    /**
     * Set while the actor is parked at a position its model declared ({@link
     * Simulation#preemptionPointAt}, {@link Simulation#blockAt}): its future is then {@link
     * #position} and the state, which a {@link StateWalk} can hash.
     */
    /** The scenario line the actor runs, for its trace lines (0: none); no part of the state. */
    int sourceLine;
    boolean positioned;
    long position;
    /** Its slot in the run's {@link StateHash}, or -1 while none is kept. */
    int hashSlot = -1;
    /** Locks held, innermost last, for lockdep. */
    final java.util.ArrayList<LockClass> heldLocks = new java.util.ArrayList<>(4);

    /** The task's scheduler state: whether it runs, sleeps, or was woken (see {@link Shared}). */
    private final Shared shared;

    Actor(Simulation simulation, int id, String name, Runnable body, boolean daemon, Shared shared) {
        this.simulation = simulation;
        this.shared = shared;
        this.id = id;
        this.name = name;
        this.body = body;
        this.daemon = daemon;
    }

    /** The spawn order: 0 for the first actor. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Whether this actor serves others and may be left waiting when the run completes. */
    public boolean daemon() {
        return daemon;
    }

    public State state() {
        return state;
    }

    /** What this actor is blocked on, or {@code null} when it is not blocked. */
    public Waitable blockedOn() {
        return blockedOn;
    }

    Shared shared() {
        return shared;
    }

    Runnable body() {
        return body;
    }

    @Override
    public String toString() {
        return name;
    }
}
