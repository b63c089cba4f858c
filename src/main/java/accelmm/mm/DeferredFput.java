package accelmm.mm;

import accelmm.sim.Actor;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the release of a file whose last reference went runs ({@code fput}, fs/file_table.c):
 * never in the caller's own call chain, so the locks it holds at the last {@code fput} (the
 * {@code mmap_lock} of {@code munmap} or {@code exit_mmap}) are not held around the file's
 * {@code release}.
 *
 * <ul>
 *   <li>A thread of a user process queues the release as task work ({@code task_work_add(...,
 *       TWA_RESUME)} of {@code ____fput}), run as the thread returns to user space ({@code
 *       resume_user_mode_work}, for the model the end of a scenario statement) or as it exits:
 *       {@code do_exit} runs {@code exit_mm} and {@code exit_files} before {@code
 *       exit_task_work}, so what those two drop is released last. After {@code exit_task_work}
 *       the thread takes no more task work.</li>
 *   <li>Any other context (a kernel thread, a device engine, a worker, a thread past {@code
 *       exit_task_work}) adds the file to {@code delayed_fput_list} and schedules {@code
 *       delayed_fput_work}: one worker, started when the list was empty, releases the whole list
 *       in order.</li>
 * </ul>
 *
 * <p>That needs to know which actors are user threads: the scenario's world says so ({@link
 * #trackContexts}, then {@link #userThreadStarted} per thread). Until it does (model code driven
 * directly by a unit test, or outside a running simulation) there is no return to user space to
 * wait for, and the release runs at once, in the caller.
 *
 * <p>Shared state ({@code shared}): the delayed list, its worker's flag and whether contexts are
 * tracked. A thread's task-work queue is its own: only that thread adds to it and runs it (the
 * count over all queues is only a shortcut for the common empty case, which the thread's own
 * queue would give as well), so queueing and running task work touch nothing shared and the
 * last {@code fput}s of unrelated threads commute.
 */
public final class DeferredFput {

    private final Simulation sim;
    private final Shared shared;
    /** {@code task->task_works} of each user thread that has not run {@code exit_task_work}. */
    private final Map<Actor, ArrayDeque<File>> taskWorks = new LinkedHashMap<>();
    /** {@code delayed_fput_list}. */
    private final ArrayDeque<File> delayed = new ArrayDeque<>();
    private boolean delayedWorkScheduled;
    private boolean contextsTracked;
    /** Task works queued and not yet run, over all threads: most statements find none to run. */
    private int queuedTaskWorks;

    DeferredFput(Simulation sim) {
        this.sim = sim;
        this.shared = sim.shared("deferred fput");
    }

    /**
     * From now on every actor that has not said it is a user thread ({@link #userThreadStarted})
     * is a kernel context, whose last {@code fput}s go to {@code delayed_fput}.
     */
    public void trackContexts() {
        shared.write();
        contextsTracked = true;
    }

    /**
     * The calling actor is a thread of a user process: from now on its last {@code fput}s are
     * task work, run by {@link #returnToUser()} and {@link #exitTaskWork()}.
     */
    public void userThreadStarted() {
        taskWorks.putIfAbsent(sim.current(), new ArrayDeque<>());
    }

    /** The calling thread returns to user space ({@code resume_user_mode_work}): its task work runs. */
    public void returnToUser() {
        if (queuedTaskWorks == 0) {
            return;
        }
        ArrayDeque<File> works = taskWorks.get(sim.current());
        while (works != null && !works.isEmpty()) {
            queuedTaskWorks--;
            works.pollFirst().release();
        }
    }

    /** {@code exit_task_work}: the calling thread's task work runs, and it takes no more. */
    public void exitTaskWork() {
        returnToUser();
        taskWorks.remove(sim.current());
    }

    /** {@code fput} of the last reference. */
    void lastReferenceDropped(File file) {
        ArrayDeque<File> works = sim.running() ? taskWorks.get(sim.current()) : null;
        if (works != null) {
            works.addLast(file);
            queuedTaskWorks++;
            return;
        }
        shared.read();
        if (!contextsTracked || !sim.running()) {
            file.release();
            return;
        }
        shared.write();
        delayed.addLast(file);
        if (!delayedWorkScheduled) {
            delayedWorkScheduled = true;
            sim.spawn("delayed_fput", this::delayedFput);
        }
    }

    /** {@code delayed_fput}: the worker releases every file on the list, oldest first. */
    private void delayedFput() {
        // Each release may sleep: the list is looked at again, by a new step, after it.
        shared.write();
        while (!delayed.isEmpty()) {
            delayed.pollFirst().release();
            shared.write();
        }
        delayedWorkScheduled = false;
    }
}
