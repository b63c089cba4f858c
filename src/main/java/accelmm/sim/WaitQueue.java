package accelmm.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Models {@code wait_queue_head_t} with {@code wait_event} / {@code wake_up_all}: an actor
 * sleeps until a condition holds, re-checking it each time it is woken.
 */
public final class WaitQueue implements Waitable {

    private final Simulation sim;
    private final String prefix;
    private final String name;
    private final List<Actor> waiters = new ArrayList<>(2);
    /** The sleepers: joining and waking both change it. The conditions are their owners' state. */
    private final Shared shared;

    public WaitQueue(Simulation sim, String name) {
        this(sim, "", name);
    }

    /** A queue named {@code prefix + name}, joined only when a report needs the name. */
    public WaitQueue(Simulation sim, String prefix, String name) {
        this.sim = sim;
        this.prefix = prefix;
        this.name = name;
        this.shared = sim.shared("wait queue");
    }

    /** {@code wait_event(wq, condition)}: returns once {@code condition} is true. */
    public void waitEvent(BooleanSupplier condition) {
        waitEvent(condition, false, 0);
    }

    /**
     * {@link #waitEvent}, where the waiter's future while it sleeps is decided by the model's
     * state and {@code position} alone (a worker's idle loop), so that a {@link StateWalk} may
     * fingerprint the state meanwhile ({@link Simulation#blockAt}).
     */
    public void waitEventAt(long position, BooleanSupplier condition) {
        waitEvent(condition, true, position);
    }

    private void waitEvent(BooleanSupplier condition, boolean positioned, long position) {
        while (!condition.getAsBoolean()) {
            sim.checkCanBlock(this);
            shared.write();
            waiters.add(sim.current());
            if (positioned) {
                sim.blockAt(this, position);
            } else {
                sim.block(this);
            }
        }
    }

    /**
     * {@code wait_event_timeout(wq, condition, timeout)}: returns true once {@code condition}
     * holds, false when the timeout expired first with the condition still false. The timeout
     * expires only when the run could not go on otherwise ({@link Simulation#scheduleTimeout}),
     * so a waiter the model can still wake is never cut short. Signals are not modelled, so the
     * interruptible form is the same.
     */
    public boolean waitEventTimeout(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            sim.checkCanBlock(this);
            shared.write();
            waiters.add(sim.current());
            if (!sim.scheduleTimeout(this)) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** {@code wake_up_all}: every sleeper re-checks its condition when it next runs. */
    public void wakeUpAll() {
        shared.write();
        for (Actor a : waiters) {
            sim.wake(a);
        }
        waiters.clear();
    }

    public boolean hasWaiters() {
        shared.read();
        return !waiters.isEmpty();
    }

    @Override
    public String describe() {
        return "wait queue " + prefix + name;
    }

    @Override
    public void cancelWait(Actor actor) {
        shared.write();
        waiters.remove(actor);
    }

    @Override
    public long stateHashIdentity() {
        return shared.serial();
    }
}
