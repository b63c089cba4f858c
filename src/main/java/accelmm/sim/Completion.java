package accelmm.sim;

/**
 * Models {@code struct completion}: {@link #complete()} lets one waiter through,
 * {@link #completeAll()} every present and future waiter.
 */
public final class Completion {

    private static final int ALL = Integer.MAX_VALUE / 2;

    private final Simulation sim;
    private final WaitQueue queue;
    private final String label;
    /** Waiting queues on it or consumes a completion: both write. */
    private final Access access;
    private int done;

    public Completion(Simulation sim, String name) {
        this.queue = new WaitQueue(sim, "completion " + name);
        this.label = "wait_for_completion " + name;
        this.access = Access.write(this);
        this.sim = sim;
    }

    /** {@code wait_for_completion}. */
    public void waitForCompletion() {
        sim.preemptionPoint(label, access);
        queue.waitEvent(() -> done > 0);
        if (done != ALL) {
            done--;
        }
        sim.endOfDeclaredAccess();
    }

    /** {@code complete}. */
    public void complete() {
        if (done != ALL) {
            done++;
        }
        queue.wakeUpAll();
    }

    /** {@code complete_all}. */
    public void completeAll() {
        done = ALL;
        queue.wakeUpAll();
    }

    /** {@code completion_done}: whether a wait would return without sleeping. */
    public boolean isDone() {
        return done > 0;
    }
}
