package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios run under {@link SimTesting#keepRunning()}: an actor runs until it blocks or
 * ends, then the lowest runnable id continues. An owner holds the mutex until {@code opener}
 * completes its gate, so every waiter has queued by the time it unlocks.
 */
class MutexTest {

    private final Simulation sim = new Simulation(SimTesting.keepRunning());
    private final Mutex m = new Mutex(sim, "m", new LockClass("m"));
    private final Completion gate = new Completion(sim, "gate");

    @Test
    void unlock_withWaiter_handsLockToFirstWaiter() {
        boolean[] unlockerRetook = {true};
        sim.spawn("owner", () -> {
            m.lock();
            gate.waitForCompletion();
            m.unlock();
            // The waiter has not run yet, but the lock is already its own.
            unlockerRetook[0] = m.tryLock();
        });
        sim.spawn("waiter", () -> {
            m.lock();
            m.unlock();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(unlockerRetook[0]).isFalse();
    }

    @Test
    void lock_twoWaiters_grantsInArrivalOrder() {
        // "first" has the higher id but queues first, so id order and arrival order differ.
        List<String> order = new ArrayList<>();
        int[] queued = {0};
        WaitQueue firstQueued = new WaitQueue(sim, "first queued");
        sim.spawn("owner", () -> {
            m.lock();
            gate.waitForCompletion();
            m.unlock();
        });
        sim.spawn("second", () -> {
            firstQueued.waitEvent(() -> queued[0] == 1);
            m.lock();
            order.add("second");
            m.unlock();
        });
        sim.spawn("first", () -> {
            queued[0]++;
            firstQueued.wakeUpAll();
            m.lock();
            order.add("first");
            m.unlock();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(order).containsExactly("first", "second");
    }

    @Test
    void unlock_byNonOwner_failsRunNamingUnlocker() {
        sim.spawn("owner", m::lock);
        sim.spawn("intruder", m::unlock);

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.actor()).isEqualTo("intruder");
            assertThat(failed.cause()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("intruder unlocks mutex m owned by owner");
        });
    }

    @Test
    void tryLock_whenHeld_returnsFalse() {
        boolean[] taken = {true};
        sim.spawn("owner", m::lock);
        sim.spawn("other", () -> taken[0] = m.tryLock());

        SimTesting.assertCompleted(sim.run());

        assertThat(taken[0]).isFalse();
    }

    @Test
    void kill_waiter_removesItFromQueue() {
        sim.spawn("owner", () -> {
            m.lock();
            gate.waitForCompletion();
            m.unlock();
        });
        Actor waiter = sim.spawn("waiter", m::lock);
        sim.spawn("killer", () -> {
            sim.kill(waiter);
            gate.complete();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(m.isLocked()).as("nobody left to hand the lock to").isFalse();
    }

    @Test
    void describe_heldMutex_namesOwner() {
        String[] described = {null};
        sim.spawn("owner", () -> {
            m.lock();
            described[0] = m.describe();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(described[0]).isEqualTo("mutex m held by owner");
    }

    @Test
    void assertHeld_byNonOwner_throws() {
        sim.spawn("owner", m::lock);
        sim.spawn("other", m::assertHeld);

        assertThat(sim.run()).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.cause()).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void lock_directModeUncontended_locksAndUnlocks() {
        m.lock();
        boolean lockedWhileHeld = m.isLocked() && m.heldByCurrent();
        m.unlock();

        assertThat(List.of(lockedWhileHeld, m.isLocked())).containsExactly(true, false);
    }

    @Test
    void lock_directModeContended_throwsIllegalStateException() {
        m.lock();

        assertThatThrownBy(m::lock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("direct-mode");
    }

    @Test
    void unlock_directModeNotLocked_throwsIllegalStateException() {
        assertThatThrownBy(m::unlock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owned by nobody");
    }
}
