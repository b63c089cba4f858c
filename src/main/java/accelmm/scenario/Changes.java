package accelmm.scenario;

import accelmm.sim.Actor;
import accelmm.sim.Simulation;
import accelmm.sim.Waitable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where scenario threads wait for each other: for a name to be bound, an event to be signalled,
 * a file to arrive, their process to exit. A change wakes the waiters whose condition now holds
 * (the conditions only read the world, so the waker can evaluate them); a woken waiter checks
 * again when it runs. Waking every waiter to let most of them fall asleep again would behave
 * the same but give the explorer a scheduling decision per sleeper and change, all redundant.
 * Each wait says what it waits for, so that a scenario that can never proceed is reported as a
 * deadlock naming the missing name or event.
 */
final class Changes {

    private final Simulation sim;
    private final List<Wait> waits = new ArrayList<>();

    Changes(Simulation sim) {
        this.sim = sim;
    }

    /** Sleeps until {@code done} holds; {@code reason} names what is awaited, for deadlock reports. */
    void await(String reason, BooleanSupplier done) {
        await(() -> reason, done);
    }

    /**
     * As {@link #await(String, BooleanSupplier)}, with the reason built only if the caller has
     * to sleep (most awaited conditions hold already).
     */
    void await(Supplier<String> reason, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Wait w = new Wait(sim.current(), reason.get(), done);
            waits.add(w);
            sim.block(w);
        }
    }

    /** Something a waiter may be waiting for happened: wakes those whose condition holds, in order. */
    void changed() {
        int kept = 0;
        for (int i = 0; i < waits.size(); i++) {
            Wait w = waits.get(i);
            if (w.done.getAsBoolean()) {
                sim.wake(w.actor);
            } else {
                waits.set(kept++, w);
            }
        }
        waits.subList(kept, waits.size()).clear();
    }

    private final class Wait implements Waitable {
        private final Actor actor;
        private final String reason;
        private final BooleanSupplier done;

        Wait(Actor actor, String reason, BooleanSupplier done) {
            this.actor = actor;
            this.reason = reason;
            this.done = done;
        }

        @Override
        public String describe() {
            return reason;
        }

        @Override
        public void cancelWait(Actor a) {
            waits.remove(this);
        }
    }
}
