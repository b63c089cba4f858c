package accelmm.scenario;

import accelmm.sim.Actor;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.Waitable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 *
 * <p>Topics. A wait joins the {@link Topic}s its condition reads, and a change names the topics
 * it changed: only the waiters of those topics are checked, so binding {@code x} touches the
 * waiters for {@code x} and no other wait, and the explorer sees it commute with waits for
 * anything else. Every state a condition reads fires its topic at the moment it changes, and
 * so at the same moment as a change without topics woke a waiter before. A wait with no topic
 * ({@link #await(String, BooleanSupplier)}) is checked at every change: it is for conditions on
 * state that changes well before the change is announced (a thread's end counts it out, then
 * runs its exit work, which may let others run first).
 */
final class Changes {

    private final Simulation sim;
    /**
     * The waits of each topic with waiters, in the order they joined; a wait of several topics is
     * in each list. Sorted by topic and without empty lists, so that waits for different topics
     * joined in either order (steps that commute) leave the same state.
     */
    private final Map<Topic, List<Wait>> waits = new TreeMap<>(Topic.ORDER);
    /** The waits checked at every change. */
    private final List<Wait> everyChange = new ArrayList<>();
    /** The wait lists, by {@link Topic#key()}; the every-change list at {@link #EVERY_CHANGE}. */
    private final Shared shared;

    /** The key of the every-change list: no topic's (topic keys have a kind ordinal from 1 up). */
    private static final long EVERY_CHANGE = 0;

    Changes(Simulation sim) {
        this.sim = sim;
        this.shared = sim.shared("scenario waits");
    }

    /**
     * Sleeps until {@code done} holds, checked at every change; {@code reason} names what is
     * awaited, for deadlock reports.
     */
    void await(String reason, BooleanSupplier done) {
        await(() -> reason, done);
    }

    /**
     * As {@link #await(String, BooleanSupplier)}, with the reason built only if the caller has
     * to sleep (most awaited conditions hold already).
     */
    void await(Supplier<String> reason, BooleanSupplier done) {
        await(reason, done, NO_TOPICS);
    }

    private static final Topic[] NO_TOPICS = {};

    /**
     * Sleeps until {@code done} holds, checked when one of {@code topics} changes: they must be
     * every state {@code done} reads that can make it true.
     */
    void await(Supplier<String> reason, BooleanSupplier done, Topic... topics) {
        await(false, 0, reason, done, topics);
    }

    /**
     * {@link #await(Supplier, BooleanSupplier, Topic...)}, the sleeper's future being decided by
     * the world's state and {@code position} alone (a thread waiting for its start event, a
     * daemon's idle wait), so that the state can be fingerprinted while it sleeps ({@link
     * Simulation#blockAt}).
     */
    void awaitAt(long position, Supplier<String> reason, BooleanSupplier done, Topic... topics) {
        await(true, position, reason, done, topics);
    }

    private void await(boolean positioned, long position, Supplier<String> reason, BooleanSupplier done,
            Topic[] topics) {
        while (!done.getAsBoolean()) {
            Wait w = new Wait(sim.current(), reason.get(), done, topics);
            join(w);
            if (positioned) {
                sim.blockAt(w, position);
            } else {
                sim.block(w);
            }
        }
    }

    /**
     * {@code topics} changed (none: something only the every-change waits look at): wakes the
     * waiters of those topics, and those of every change, whose condition holds, in order.
     */
    void changed(Topic... topics) {
        shared.read(EVERY_CHANGE, EVERY_CHANGE + 1);
        wakeDone(everyChange);
        for (Topic topic : topics) {
            shared.read(topic.key(), topic.key() + 1);
            List<Wait> list = waits.get(topic);
            if (list != null) {
                wakeDone(list);
            }
        }
    }

    private void wakeDone(List<Wait> list) {
        for (int i = 0; i < list.size(); i++) {
            Wait w = list.get(i);
            if (w.done.getAsBoolean()) {
                leave(w);
                sim.wake(w.actor);
                i--;
            }
        }
    }

    private void join(Wait w) {
        if (w.topics.length == 0) {
            shared.write(EVERY_CHANGE, EVERY_CHANGE + 1);
            everyChange.add(w);
        }
        for (Topic topic : w.topics) {
            shared.write(topic.key(), topic.key() + 1);
            waits.computeIfAbsent(topic, t -> new ArrayList<>(2)).add(w);
        }
    }

    private void leave(Wait w) {
        if (w.topics.length == 0) {
            shared.write(EVERY_CHANGE, EVERY_CHANGE + 1);
            everyChange.remove(w);
        }
        for (Topic topic : w.topics) {
            shared.write(topic.key(), topic.key() + 1);
            List<Wait> list = waits.get(topic);
            list.remove(w);
            if (list.isEmpty()) {
                waits.remove(topic);
            }
        }
    }

    private final class Wait implements Waitable {
        private final Actor actor;
        private final String reason;
        private final BooleanSupplier done;
        private final Topic[] topics;

        Wait(Actor actor, String reason, BooleanSupplier done, Topic[] topics) {
            this.actor = actor;
            this.reason = reason;
            this.done = done;
            this.topics = topics;
        }

        @Override
        public String describe() {
            return reason;
        }

        @Override
        public void cancelWait(Actor a) {
            leave(this);
        }
    }
}
