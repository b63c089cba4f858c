package accelmm.sim;

import static accelmm.sim.SimTesting.deadlocked;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run in which no actor can continue ends in a deadlock that names who waits for what. */
class DeadlockTest {

    /**
     * The classic ABBA deadlock: p takes A then B, q takes B then A. Under {@link
     * SimTesting#preferOthers()} each takes its first lock before either takes its second:
     *
     * <pre>
     *   p: lock A ─┐          ┌─ lock B (waits for q)
     *   q:         └ lock B ──┘            lock A (waits for p)
     * </pre>
     */
    private static Simulation abba(ChoiceSource choices, List<String> unwound) {
        Simulation sim = new Simulation(choices);
        Mutex a = new Mutex(sim, "A", new LockClass("A"));
        Mutex b = new Mutex(sim, "B", new LockClass("B"));
        sim.spawn("p", () -> lockBoth(a, b, "p", unwound));
        sim.spawn("q", () -> lockBoth(b, a, "q", unwound));
        return sim;
    }

    private static void lockBoth(Mutex first, Mutex second, String actor, List<String> unwound) {
        try {
            first.lock();
            second.lock();
            second.unlock();
            first.unlock();
        } finally {
            unwound.add(actor);
        }
    }

    @Test
    void run_abbaInterleaved_endsInDeadlockNamingBothActorsAndTheirLocks() {
        Outcome outcome = abba(SimTesting.preferOthers(), new ArrayList<>()).run();

        assertThat(deadlocked(outcome)).containsExactly(
                new Outcome.BlockedActor("p", "mutex B held by q"),
                new Outcome.BlockedActor("q", "mutex A held by p"));
    }

    @Test
    void run_abbaSerial_completes() {
        Outcome outcome = abba(SimTesting.keepRunning(), new ArrayList<>()).run();

        SimTesting.assertCompleted(outcome);
    }

    @Test
    void run_abbaUnderSomeSeed_deadlocks() {
        // A seeded random walk finds the interleaving too.
        List<Long> deadlocking = new ArrayList<>();
        for (long seed = 0; seed < 100; seed++) {
            if (abba(new RandomChoiceSource(seed), new ArrayList<>()).run() instanceof Outcome.Deadlock) {
                deadlocking.add(seed);
            }
        }
        assertThat(deadlocking).isNotEmpty();
    }

    @Test
    void run_endingInDeadlock_endsEveryActorThread() {
        Simulation sim = abba(SimTesting.preferOthers(), new ArrayList<>());

        sim.run();

        SimTesting.assertNoActorThreadAlive(sim);
    }

    @Test
    void run_endingInDeadlock_unwindsEveryBlockedActor() {
        List<String> unwound = new ArrayList<>();

        abba(SimTesting.preferOthers(), unwound).run();

        assertThat(unwound).containsExactlyInAnyOrder("p", "q");
    }

    @Test
    void run_afterDeadlockedRun_deadlocksTheSameWay() {
        Outcome first = abba(SimTesting.preferOthers(), new ArrayList<>()).run();

        Outcome second = abba(SimTesting.preferOthers(), new ArrayList<>()).run();

        assertThat(second).isInstanceOf(Outcome.Deadlock.class).isEqualTo(first);
    }

    @Test
    void run_deadlockedRunBlockedActors_stayBlocked() {
        Simulation sim = abba(SimTesting.preferOthers(), new ArrayList<>());

        sim.run();

        assertThat(sim.actors()).extracting(Actor::state)
                .containsExactly(Actor.State.BLOCKED, Actor.State.BLOCKED);
    }

    @Test
    void waitEvent_nobodyWakes_endsInDeadlock() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "never");
        sim.spawn("sleeper", () -> queue.waitEvent(() -> false));

        Outcome outcome = sim.run();

        assertThat(deadlocked(outcome)).containsExactly(new Outcome.BlockedActor("sleeper", "wait queue never"));
    }

    @Test
    void run_lastRunnableActorExitsWithoutWaking_endsInDeadlock() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "forgotten");
        sim.spawn("sleeper", () -> queue.waitEvent(() -> false));
        sim.spawn("other", () -> sim.preemptionPoint("work"));

        Outcome outcome = sim.run();

        assertThat(deadlocked(outcome)).containsExactly(new Outcome.BlockedActor("sleeper", "wait queue forgotten"));
    }

    @Test
    void lock_recursive_endsInDeadlock() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Mutex m = new Mutex(sim, "m", new LockClass("m"));
        sim.spawn("a", () -> {
            m.lock();
            m.lock();
        });

        Outcome outcome = sim.run();

        assertThat(deadlocked(outcome)).containsExactly(new Outcome.BlockedActor("a", "mutex m held by a"));
    }
}
