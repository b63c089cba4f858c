package accelmm.check;

import java.util.List;

/**
 * The threads that drive executions: virtual ones, so that an execution runs its actors (virtual
 * threads of the simulation) beside its driver. Driven from a platform thread, an execution pays
 * two OS wake-ups to cross over and back ({@link accelmm.sim.Simulation#run()}), about as much as
 * a short execution itself. Sampling batches and DFS tasks both run here.
 */
final class ExplorerThreads {

    private ExplorerThreads() {
    }

    /** A new virtual driver for {@code work}, not started (a thread factory for a pool). */
    static Thread unstarted(Runnable work) {
        return Thread.ofVirtual().name("accelmm-explorer").unstarted(work);
    }

    /**
     * Runs {@code work} on a virtual driver and waits for it (at once when already on one),
     * keeping an interrupt for later: the work is not abandoned half-way, as a run is not.
     */
    static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** {@link #run} for work with a result. */
    static <T> T call(java.util.function.Supplier<T> work) {
        if (Thread.currentThread().isVirtual()) {
            return work.get();
        }
        Throwable[] failure = new Throwable[1];
        List<T> result = new java.util.ArrayList<>(1);
        Thread t = unstarted(() -> {
            try {
                result.add(work.get());
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw Explorer.rethrow(failure[0]);
        }
        return result.get(0);
    }
}
