package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completion semantics under {@link SimTesting#keepRunning()}. */
class CompletionTest {

    private final Simulation sim = new Simulation(SimTesting.keepRunning());
    private final Completion done = new Completion(sim, "done");
    private final List<String> passed = new ArrayList<>();

    private void spawnWaiters(String... names) {
        for (String name : names) {
            sim.spawn(name, () -> {
                done.waitForCompletion();
                passed.add(name);
            });
        }
    }

    @Test
    void complete_twoWaiters_letsExactlyOneThrough() {
        spawnWaiters("w1", "w2");
        sim.spawn("completer", done::complete);

        Outcome outcome = sim.run();

        assertThat(passed).hasSize(1);
        assertThat(SimTesting.deadlocked(outcome)).hasSize(1);
    }

    @Test
    void complete_twice_letsTwoWaitersThrough() {
        spawnWaiters("w1", "w2");
        sim.spawn("completer", () -> {
            done.complete();
            done.complete();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(passed).containsExactlyInAnyOrder("w1", "w2");
    }

    @Test
    void completeAll_twoWaiters_letsBothThrough() {
        spawnWaiters("w1", "w2");
        sim.spawn("completer", done::completeAll);

        SimTesting.assertCompleted(sim.run());

        assertThat(passed).containsExactlyInAnyOrder("w1", "w2");
    }

    @Test
    void completeAll_laterWaiter_passesWithoutBlocking() {
        sim.spawn("completer", done::completeAll);
        spawnWaiters("w1", "w2", "w3");

        SimTesting.assertCompleted(sim.run());

        assertThat(passed).containsExactly("w1", "w2", "w3");
    }

    @Test
    void complete_beforeWait_isConsumedByFirstWaiter() {
        boolean[] doneAfterWait = {true};
        sim.spawn("completer", done::complete);
        sim.spawn("waiter", () -> {
            done.waitForCompletion();
            doneAfterWait[0] = done.isDone();
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(doneAfterWait[0]).isFalse();
    }

    @Test
    void isDone_afterCompleteAll_isTrue() {
        done.completeAll();

        assertThat(done.isDone()).isTrue();
    }
}
