package accelmm.cli;

import accelmm.sim.Deadline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The user stopping a long {@code check} (Ctrl-C, SIGINT; or SIGTERM): the search ends as it
 * does when its time runs out, no further design combination begins, and the results explored so
 * far are printed, marked as interrupted, before the process exits with 128 plus the signal's
 * number (130 for SIGINT), as a shell expects of a program a signal ended.
 *
 * <p>The JVM turns those signals into its shutdown, which runs this object's hook on a thread of
 * its own while the command's threads go on: the hook makes {@link #passed()} true and waits,
 * for {@value #GRACE_SECONDS} seconds at most, until the command has printed its report
 * ({@link #close()}); the JVM then ends with the signal's status. A second Ctrl-C does not cut
 * that wait short. A command that ends by itself unregisters the hook.
 */
final class Interrupt implements Deadline, AutoCloseable {

    /** How long the shutdown waits for the report. */
    static final long GRACE_SECONDS = 30;

    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook = new Thread(this::shutdown, "accelmm interrupt");
    private volatile boolean requested;
    private volatile boolean shuttingDown;

    private Interrupt() {
    }

    /** An interrupt that a signal ending the JVM requests. */
    static Interrupt onSignal() {
        Interrupt interrupt = new Interrupt();
        Runtime.getRuntime().addShutdownHook(interrupt.hook);
        return interrupt;
    }

    /** Whether the search must stop: the user interrupted it. */
    @Override
    public boolean passed() {
        return requested;
    }

    private void shutdown() {
        shuttingDown = true;
        requested = true;
        try {
            reported.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The report is out: an interrupted JVM may end now; one not interrupted forgets the hook. */
    @Override
    public void close() {
        reported.countDown();
        if (!shuttingDown) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The shutdown began meanwhile: the hook finds the report done.
            }
        }
    }
}
