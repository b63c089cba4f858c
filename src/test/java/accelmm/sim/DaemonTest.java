package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Daemon actors (device engines, kernel threads) and the end of a run. */
class DaemonTest {

    @Test
    void run_onlyDaemonWaitsAtEnd_completes() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue work = new WaitQueue(sim, "work");
        List<Integer> served = new ArrayList<>();
        int[] queued = {0};
        sim.spawnDaemon("engine", () -> {
            int done = 0;
            while (true) {
                int target = done;
                work.waitEvent(() -> queued[0] > target);
                served.add(++done);
            }
        });
        sim.spawn("client", () -> {
            queued[0] = 2;
            work.wakeUpAll();
            sim.preemptionPoint("after submit");
        });

        Outcome outcome = sim.run();

        assertThat(outcome).isEqualTo(new Outcome.Completed());
        assertThat(served).containsExactly(1, 2);
        SimTesting.assertNoActorThreadAlive(sim);
    }

    @Test
    void run_userActorBlockedWhileDaemonWaits_isDeadlockNamingBoth() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue never = new WaitQueue(sim, "never");
        sim.spawnDaemon("engine", () -> never.waitEvent(() -> false));
        sim.spawn("client", () -> never.waitEvent(() -> false));

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Deadlock.class, d -> assertThat(d.blocked())
                .extracting(Outcome.BlockedActor::actor).containsExactly("engine", "client"));
    }

    @Test
    void spawnDaemon_marksActorAsDaemon() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        assertThat(sim.spawnDaemon("d", () -> { }).daemon()).isTrue();
        assertThat(sim.spawn("u", () -> { }).daemon()).isFalse();
    }

    @Test
    void run_firstDecisionDiverges_failsAndLeavesDirectMode() {
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.of(7)));
        sim.spawn("a", () -> { });
        sim.spawn("b", () -> { });

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.cause()).isInstanceOf(ReplayChoiceSource.ReplayDivergence.class));
        assertThat(sim.running()).isFalse();
    }

    @Test
    void lock_contendedInDirectMode_throwsWithoutQueueingTheCaller() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex m = new Mutex(sim, "m", new LockClass("m"));
        m.lock();
        try {
            m.lock();
        } catch (IllegalStateException expected) {
            // direct mode cannot block
        }
        m.unlock();

        assertThat(m.isLocked()).isFalse();
    }
}
