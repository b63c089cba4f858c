package accelmm.sim;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * The virtual threads that actors (and the driver of a run started from a platform thread) run
 * on, kept parked between runs instead of started anew for every actor of every run.
 *
 * <p>An explorer executes a scenario thousands of times, each with a handful of actors; starting
 * and ending a virtual thread per actor (thread-container bookkeeping, the termination latch, a
 * join per actor at the end of the run) cost as much as a good part of the model itself. Here a
 * thread whose task has returned parks in an idle pool, and the next task is handed to it with
 * one unpark. Which thread runs an actor never shows in the model: actors are ordered by id
 * only, and every park in {@link Simulation} re-checks its condition, so a stale permit from an
 * earlier task only costs a spurious wake-up.
 */
final class ActorThreads {

    /** Idle threads kept at most; more are left to end (e.g. after a run with many actors). */
    private static final int MAX_IDLE = 64;

    private static final ArrayDeque<Worker> IDLE = new ArrayDeque<>();

    private ActorThreads() {
    }

    /**
     * An idle pooled thread, or a new one not started yet. The caller may publish {@link
     * Worker#thread()} (so that others can unpark it) before it hands over the task with {@link
     * Worker#execute}.
     */
    static Worker obtain() {
        Worker worker;
        synchronized (IDLE) {
            worker = IDLE.pollLast();
        }
        return worker != null ? worker : new Worker();
    }

    /** Puts an idle thread back; false if the pool is full and the thread should end. */
    private static boolean offer(Worker worker) {
        synchronized (IDLE) {
            if (IDLE.size() >= MAX_IDLE) {
                return false;
            }
            IDLE.addLast(worker);
            return true;
        }
    }

    /** One pooled thread: runs the tasks handed to it, one at a time, parked in between. */
    static final class Worker implements Runnable {
        private final Thread thread = Thread.ofVirtual().name("actor").unstarted(this);
        private volatile Runnable task;
        private boolean started;

        /** The thread that runs the task. */
        Thread thread() {
            return thread;
        }

        /** Runs {@code task} on this worker's thread; called once per {@link #obtain}. */
        void execute(Runnable next) {
            task = next;
            if (!started) {
                started = true;
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                Runnable next;
                while ((next = task) == null) {
                    LockSupport.park(this);
                }
                // Holds no reference to the finished run while idle.
                task = null;
                next.run();
                next = null;
                if (!offer(this)) {
                    return;
                }
            }
        }
    }
}
