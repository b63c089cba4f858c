package accelmm.sim;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Models a {@code kthread_worker} ({@code kthread_queue_work} / {@code kthread_worker_fn}): one
 * daemon actor that runs queued work items one at a time in the order they were queued. The
 * actor is spawned with the first item, so a device that is never used adds no actor to the
 * explored runs. The device engines of the layers above are built on it.
 */
public final class KthreadWorker<T> {

    private final Simulation sim;
    private final String name;
    private final Consumer<T> fn;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private final WaitQueue work;
    /** The queue and whether the worker started: queueing and taking both change it. */
    private final Shared shared;
    private boolean started;

    /** A worker named {@code name} (its actor's and its wait queue's name) that runs {@code fn} on each item. */
    public KthreadWorker(Simulation sim, String name, Consumer<T> fn) {
        this.sim = sim;
        this.name = name;
        this.fn = fn;
        this.work = new WaitQueue(sim, name);
        this.shared = sim.shared("kthread worker");
    }

    /** Queues {@code item} behind every item queued before it; spawns the worker with the first. */
    public void queue(T item) {
        shared.write();
        pending.addLast(item);
        if (!started) {
            started = true;
            sim.spawnDaemon(name, this::run);
        }
        work.wakeUpAll();
    }

    /** The items queued and not yet taken by the worker, oldest first; the iterator may remove them. */
    public Iterator<T> pending() {
        Iterator<T> items = pending.iterator();
        // The caller may remove items through it, and may reach a preemption point between two
        // steps of the walk: each step reports itself.
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                shared.read();
                return items.hasNext();
            }

            @Override
            public T next() {
                shared.read();
                return items.next();
            }

            @Override
            public void remove() {
                shared.write();
                items.remove();
            }
        };
    }

    private void run() {
        while (true) {
            // Idle between items: its future is the queue's, which the state holds.
            work.waitEventAt(0, () -> {
                shared.read();
                return !pending.isEmpty();
            });
            shared.write();
            fn.accept(pending.pollFirst());
        }
    }
}
