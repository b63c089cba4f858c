package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The steps a reader counts in a trace, and who ran after each: a step that gave up the CPU
 * names the actor that got it, also when the scheduler first had to wake a timed sleeper for
 * lack of anything else to run.
 */
class TraceStepsTest {

    @Test
    void block_whenOnlyATimedSleeperIsLeft_namesTheSleeperItsExpiryWoke() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), true, Simulation.DEFAULT_MAX_STEPS);
        WaitQueue timed = new WaitQueue(sim, "timed");
        WaitQueue plain = new WaitQueue(sim, "plain");
        boolean[] done = new boolean[1];
        sim.spawn("sleeper", () -> {
            timed.waitEventTimeout(() -> false);
            done[0] = true;
            plain.wakeUpAll();
        });
        sim.spawn("blocker", () -> plain.waitEvent(() -> done[0]));

        SimTesting.assertCompleted(sim.run());
        Trace trace = sim.trace();
        List<TraceEvent> events = trace.events();
        int block = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof TraceEvent.Block b && b.actor().equals("blocker")) {
                block = i;
            }
        }
        // The trace holds the expiry between the block and the switch to the sleeper.
        assertThat(block).isNotNegative();
        assertThat(events.get(block + 1)).isInstanceOfSatisfying(TraceEvent.Op.class,
                op -> assertThat(op.render()).isEqualTo("sleeper: timeout on wait queue timed -> expired"));
        assertThat(events.get(block + 2)).isInstanceOf(TraceEvent.Switch.class);

        assertThat(trace.ranNext(block)).isEqualTo("sleeper");
        assertThat(trace.switchesAwayAfter(block)).isTrue();
        assertThat(trace.isStep(block + 1)).isTrue();
    }

    @Test
    void point_keptTheCpu_noNextActorAndNotAStep() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), true, Simulation.DEFAULT_MAX_STEPS);
        sim.spawn("a", () -> {
            sim.preemptionPoint("between");
            sim.preemptionPoint("last");
        });
        sim.spawn("b", () -> sim.preemptionPoint("other"));

        SimTesting.assertCompleted(sim.run());
        Trace trace = sim.trace();
        List<Integer> keptPoints = new ArrayList<>();
        List<TraceEvent> events = trace.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof TraceEvent.Point p && p.label().equals("between")) {
                keptPoints.add(i);
            }
        }
        assertThat(keptPoints).isNotEmpty().allSatisfy(i -> {
            assertThat(trace.ranNext(i)).isNull();
            assertThat(trace.isStep(i)).isFalse();
        });
    }
}
