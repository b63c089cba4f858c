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
    /** Waiting queues on it or consumes a completion, completing adds one: all write. */
    private final Shared shared;
    private int done;

    public Completion(Simulation sim, String name) {
        this.queue = new WaitQueue(sim, "completion " + name);
        this.label = "wait_for_completion " + name;
        this.shared = sim.shared("completion");
        this.sim = sim;
    }

    /** {@code wait_for_completion}. */
    public void waitForCompletion() {
        sim.preemptionPoint(label, shared.writeAll());
        shared.write();
        queue.waitEvent(() -> {
            // A woken waiter re-checks the count in a stretch of its own.
            shared.read();
            return done > 0;
        });
        shared.write();
        if (done != ALL) {
            done--;
        }
        sim.endOfDeclaredAccess();
    }

    /** {@code complete}. */
    public void complete() {
        shared.write();
        // Whether a waiter sleeps depends on it and a waiter wakes: a declaration that does not
        // name this completion ends here, as a lock release does.
        sim.endOfDeclaredAccess();
        if (done != ALL) {
            done++;
        }
        queue.wakeUpAll();
    }

    /** {@code complete_all}. */
    public void completeAll() {
        shared.write();
        sim.endOfDeclaredAccess();
        done = ALL;
        queue.wakeUpAll();
    }

    /** {@code completion_done}: whether a wait would return without sleeping. */
    public boolean isDone() {
        shared.read();
        return done > 0;
    }
}
