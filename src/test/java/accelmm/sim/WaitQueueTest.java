package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitQueueTest {

    @Test
    void waitEvent_wokenBeforeConditionHolds_sleepsAgain() {
        // preferOthers: the waiter runs at the waker's preemption point, between the two wakes.
        Simulation sim = new Simulation(SimTesting.preferOthers());
        WaitQueue queue = new WaitQueue(sim, "level");
        int[] level = {0};
        List<String> seen = new ArrayList<>();
        Actor waiter = sim.spawn("waiter", () -> {
            queue.waitEvent(() -> level[0] >= 2);
            seen.add("waiter passed at level " + level[0]);
        });
        sim.spawn("waker", () -> {
            level[0] = 1;
            queue.wakeUpAll();
            sim.preemptionPoint("after first wake");
            seen.add("waiter " + waiter.state() + " at level " + level[0]);
            level[0] = 2;
            queue.wakeUpAll();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(seen).containsExactly("waiter BLOCKED at level 1", "waiter passed at level 2");
    }

    @Test
    void waitEvent_conditionAlreadyTrue_returnsWithoutBlocking() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");

        queue.waitEvent(() -> true);

        assertThat(queue.hasWaiters()).isFalse();
    }

    @Test
    void waitEvent_directModeConditionFalse_throwsIllegalStateException() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");

        assertThatThrownBy(() -> queue.waitEvent(() -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wait queue q");
    }

    @Test
    void wakeUpAll_severalWaiters_wakesEvery() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");
        boolean[] go = {false};
        List<String> passed = new ArrayList<>();
        for (String name : new String[] {"w1", "w2", "w3"}) {
            sim.spawn(name, () -> {
                queue.waitEvent(() -> go[0]);
                passed.add(name);
            });
        }
        sim.spawn("waker", () -> {
            go[0] = true;
            queue.wakeUpAll();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(passed).containsExactly("w1", "w2", "w3");
    }

    @Test
    void waitEvent_wokenByActorSpawnedLater_completes() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");
        boolean[] flag = {false};
        sim.spawn("sleeper", () -> queue.waitEvent(() -> flag[0]));
        sim.spawn("waker", () -> {
            flag[0] = true;
            queue.wakeUpAll();
        });

        SimTesting.assertCompleted(sim.run());
    }

    @Test
    void hasWaiters_whileActorSleeps_isTrue() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");
        boolean[] flag = {false};
        boolean[] sawWaiter = {false};
        sim.spawn("sleeper", () -> queue.waitEvent(() -> flag[0]));
        sim.spawn("waker", () -> {
            sawWaiter[0] = queue.hasWaiters();
            flag[0] = true;
            queue.wakeUpAll();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sawWaiter[0]).isTrue();
    }

    @Test
    void kill_sleeper_removesItFromQueue() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue queue = new WaitQueue(sim, "q");
        boolean[] stillWaiting = {true};
        Actor sleeper = sim.spawn("sleeper", () -> queue.waitEvent(() -> false));
        sim.spawn("killer", () -> {
            sim.kill(sleeper);
            stillWaiting[0] = queue.hasWaiters();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(stillWaiting[0]).isFalse();
    }
}
