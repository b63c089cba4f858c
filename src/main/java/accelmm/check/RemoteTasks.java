package accelmm.check;

import accelmm.sim.Deadline;

/**
 * Where a search can run its work besides its own threads: other JVMs, on other machines. The
 * work is a {@link Strategy.Dfs}'s tasks, or a sampling strategy's executions in chunks of
 * consecutive indices ({@link SamplingChunk}). A DFS task travels as bytes ({@link DfsTask}'s
 * prefix of decisions, with what the partial-order reduction needs of them: sleep sets,
 * backtrack sets, the footprints of the events above it) together with the {@linkplain
 * Model#portable() model's description}; it comes back as its outcome: its counts, the schedule
 * of its violation if it found one, and the tasks it handed over or asked for, which the search
 * then runs wherever it runs the rest. Those tasks may also come back while it runs ({@link
 * Found}), so that other members start on them at once rather than when the task that made them
 * ends. The search assembles the outcomes in its own order, so the result is the one a single
 * thread gives; work that can no longer count is given fewer executions and cancelled.
 *
 * <p>The other side builds the model from its description and calls {@link #runHere}. A task is
 * a pure function of its bytes: an implementation may run one again elsewhere when the JVM
 * running it went away, and nothing is counted twice.
 */
public interface RemoteTasks {

    /**
     * Hears, while a task runs elsewhere, each group of tasks it hands over or asks for: event
     * {@code seq} (0, 1, 2, ... in the order the task made them) as bytes. An event may come
     * late, twice, out of order or not at all: the outcome holds them all, and the search takes
     * each once, in order.
     */
    @FunctionalInterface
    interface Found {
        void found(int seq, byte[] event);

        /** Hears nothing: the outcome brings every event. */
        Found NONE = (seq, event) -> { };
    }

    /**
     * How many tasks to keep running elsewhere at once (the threads that wait on them). A search
     * reads it again as it runs: a member that joins adds its slots to the search under way.
     */
    int slots();

    /**
     * Runs {@code task} of the model {@code model} describes elsewhere and returns its outcome,
     * as {@link #runHere} gives it, for at most {@code maxExecutions} executions and for at most
     * {@code nanosLeft} nanoseconds ({@link Long#MAX_VALUE}: no limit), passing to {@code found}
     * the tasks it hands over or asks for as it does, when the implementation can. Once {@code
     * cancelled} passes (what it could still run cannot count: the budget is full, an earlier
     * task ended the search, the user stopped it), the task should stop before its next
     * execution, as out of time, and still return its outcome.
     *
     * @throws java.io.UncheckedIOException when nowhere could run it: the search then runs it
     *     on the calling thread
     */
    byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found, Deadline cancelled);

    /**
     * Runs the task {@code task} (bytes a search gave to {@link #run}) of {@code model} here, for
     * at most {@code maxExecutions} executions, until {@code deadline}, telling {@code found} of
     * each group of tasks it hands over or asks for as it does; its outcome as bytes.
     */
    static byte[] runHere(Model model, byte[] task, long maxExecutions, Deadline deadline, Found found) {
        Object work = Transport.object(task);
        // On a virtual thread, as the search's own workers run (see ExplorerThreads).
        return ExplorerThreads.call(() -> switch (work) {
            case SamplingChunk chunk -> chunk.runHere(model, deadline);
            case DfsTask.Wire dfsTask -> DfsTask.runElsewhere(model, dfsTask, maxExecutions, deadline, found);
            default -> throw new java.io.UncheckedIOException(new java.io.IOException("not work of this accelmm"));
        });
    }
}
