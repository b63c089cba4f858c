package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Simulation#run()} drives the run on a virtual thread when called from a platform
 * thread, and on the caller when that is virtual: the same outcome and schedule either way.
 */
class SimulationDriverTest {

    private static Simulation walk(long seed, List<String> log) {
        Simulation sim = new Simulation(new RandomChoiceSource(seed), true, Simulation.DEFAULT_MAX_STEPS);
        for (String name : List.of("a", "b", "c")) {
            sim.spawn(name, () -> {
                for (int i = 0; i < 5; i++) {
                    sim.preemptionPoint(name + i);
                    log.add(name + i);
                }
            });
        }
        return sim;
    }

    @Test
    void run_fromPlatformAndVirtualCaller_sameScheduleAndTrace() throws InterruptedException {
        List<String> platformLog = new ArrayList<>();
        Simulation onPlatform = walk(42, platformLog);
        assertThat(Thread.currentThread().isVirtual()).isFalse();
        Outcome platformOutcome = onPlatform.run();

        List<String> virtualLog = new ArrayList<>();
        Simulation onVirtual = walk(42, virtualLog);
        Outcome[] virtualOutcome = new Outcome[1];
        Thread caller = Thread.ofVirtual().start(() -> virtualOutcome[0] = onVirtual.run());
        caller.join();

        assertThat(platformOutcome).isEqualTo(new Outcome.Completed());
        assertThat(virtualOutcome[0]).isEqualTo(platformOutcome);
        assertThat(virtualLog).isEqualTo(platformLog);
        assertThat(onVirtual.schedule()).isEqualTo(onPlatform.schedule());
        assertThat(onVirtual.trace().events()).isEqualTo(onPlatform.trace().events());
        SimTesting.assertNoActorThreadAlive(onPlatform);
        SimTesting.assertNoActorThreadAlive(onVirtual);
    }

    @Test
    void run_secondTime_throwsOnTheCaller() {
        Simulation sim = walk(1, new ArrayList<>());
        sim.run();

        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
    }

    @Test
    void run_actorsNeverRunOnTheCallingThread() {
        Simulation sim = new Simulation(new RandomChoiceSource(3));
        Thread[] ranOn = new Thread[1];
        sim.spawn("a", () -> ranOn[0] = Thread.currentThread());

        sim.run();

        assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());
        assertThat(ranOn[0].isVirtual()).isTrue();
    }
}
