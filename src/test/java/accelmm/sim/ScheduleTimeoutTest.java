package accelmm.sim;

import static accelmm.sim.SimTesting.deadlocked;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code wait_event_timeout} ({@link WaitQueue#waitEventTimeout}, on {@link
 * Simulation#scheduleTimeout}): the timeout expires only when nothing else can run, the longest
 * sleeper first, and a deadlock elsewhere is still reported.
 */
class ScheduleTimeoutTest {

    /** A waiter woken with its condition true returns true; the timeout never fired. */
    @Test
    void waitEventTimeout_conditionMadeTrue_returnsTrue() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue wq = new WaitQueue(sim, "wq");
        boolean[] flag = new boolean[1];
        List<Boolean> results = new ArrayList<>();
        sim.spawn("reader", () -> results.add(wq.waitEventTimeout(() -> flag[0])));
        sim.spawn("writer", () -> {
            flag[0] = true;
            wq.wakeUpAll();
        });

        SimTesting.assertCompleted(sim.run());
        assertThat(results).containsExactly(true);
    }

    /** Nobody can make the condition true: the run does not deadlock, the wait times out (false). */
    @Test
    void waitEventTimeout_nothingCanWake_timesOutAndRunCompletes() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue wq = new WaitQueue(sim, "wq");
        List<Boolean> results = new ArrayList<>();
        sim.spawn("reader", () -> results.add(wq.waitEventTimeout(() -> false)));

        SimTesting.assertCompleted(sim.run());
        assertThat(results).containsExactly(false);
        assertThat(wq.hasWaiters()).isFalse();
    }

    /** Two sleepers: the one that went to sleep first times out first, alone; it wakes the other. */
    @Test
    void waitEventTimeout_twoSleepers_longestSleeperExpiresFirst() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue first = new WaitQueue(sim, "first");
        WaitQueue second = new WaitQueue(sim, "second");
        boolean[] flag = new boolean[1];
        List<String> order = new ArrayList<>();
        sim.spawn("a", () -> {
            order.add("a " + first.waitEventTimeout(() -> false));
            flag[0] = true;
            second.wakeUpAll();
        });
        sim.spawn("b", () -> order.add("b " + second.waitEventTimeout(() -> flag[0])));

        SimTesting.assertCompleted(sim.run());
        assertThat(order).containsExactly("a false", "b true");
    }

    /**
     * An ABBA deadlock beside a timed sleeper: the sleeper times out and ends, and the run still
     * ends as a deadlock of the two lockers, not as a completed run.
     */
    @Test
    void waitEventTimeout_deadlockElsewhere_stillReportedAsDeadlock() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        Mutex a = new Mutex(sim, "A", new LockClass("A"));
        Mutex b = new Mutex(sim, "B", new LockClass("B"));
        WaitQueue wq = new WaitQueue(sim, "wq");
        List<Boolean> results = new ArrayList<>();
        sim.spawn("p", () -> lockBoth(a, b));
        sim.spawn("q", () -> lockBoth(b, a));
        sim.spawn("reader", () -> results.add(wq.waitEventTimeout(() -> false)));

        Outcome outcome = sim.run();

        assertThat(deadlocked(outcome)).containsExactly(
                new Outcome.BlockedActor("p", "mutex B held by q"),
                new Outcome.BlockedActor("q", "mutex A held by p"));
        assertThat(results).containsExactly(false);
    }

    /** Only a daemon sleeps with a timeout: the run completes and the timeout never fires. */
    @Test
    void waitEventTimeout_onlyDaemonAsleep_runCompletesWithoutTimeout() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue wq = new WaitQueue(sim, "wq");
        List<Boolean> results = new ArrayList<>();
        sim.spawnDaemon("worker", () -> results.add(wq.waitEventTimeout(() -> false)));

        SimTesting.assertCompleted(sim.run());
        assertThat(results).isEmpty();
    }

    private static void lockBoth(Mutex first, Mutex second) {
        first.lock();
        second.lock();
        second.unlock();
        first.unlock();
    }
}
