package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import accelmm.sim.Trace;
import accelmm.sim.WaitQueue;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The states a shown run lists under its steps: what an actor changed before it lost the CPU
 * belongs to the step where it lost it (preempted or blocked), or to its last step when it
 * ended, not to the next actor's step.
 */
class CounterexampleTest {

    /** A shown run's steps as lines, and the state after each. */
    private record Shown(List<String> steps, List<List<String>> states) {
    }

    /**
     * Runs actors {@code a} and {@code b} (each given the simulation and the pair of counters the
     * state shows), {@code a} first; the running actor keeps the CPU except at a point labelled
     * {@code switch}, where the other runs.
     */
    private static Shown run(BiConsumer<Simulation, int[]> a, BiConsumer<Simulation, int[]> b) {
        ChoiceSource switchingAtSwitch = new ChoiceSource() {
            @Override
            public int pickActor(SchedulingPoint point) {
                if (point.running() == null) {
                    return 0;
                }
                int running = point.indexOf(point.running());
                return point.label().equals("switch") ? 1 - running : running;
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        };
        Simulation sim = new Simulation(switchingAtSwitch, true, Simulation.DEFAULT_MAX_STEPS);
        int[] writes = new int[2];
        sim.showStates(() -> List.of("a wrote " + writes[0], "b wrote " + writes[1]));
        sim.spawn("a", () -> a.accept(sim, writes));
        sim.spawn("b", () -> b.accept(sim, writes));
        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        Trace trace = sim.trace();
        return new Shown(Counterexample.lines(Counterexample.of(trace, null)), Counterexample.statesAfter(trace));
    }

    @Test
    void statesAfter_actorPreemptedAfterAChange_showsTheChangeUnderThePreemption() {
        Shown shown = run((sim, writes) -> {
            writes[0] = 1;
            sim.preemptionPoint("switch");
            sim.traceOperation("a op", "ok");
        }, (sim, writes) -> {
            writes[1] = 1;
            sim.traceOperation("b op", "ok");
        });

        assertThat(shown.steps()).containsExactly("1. a: preempted at switch -> b", "2. b: b op -> ok",
                "3. a: a op -> ok");
        assertThat(shown.states().get(0)).containsExactly("a wrote 1", "b wrote 0");
        assertThat(shown.states().get(1)).containsExactly("a wrote 1", "b wrote 1");
    }

    @Test
    void statesAfter_actorBlockedAfterAChange_showsTheChangeUnderTheBlock() {
        WaitQueue[] queue = new WaitQueue[1];
        Shown shown = run((sim, writes) -> {
            writes[0] = 1;
            queue[0] = new WaitQueue(sim, "q");
            queue[0].waitEvent(() -> writes[1] == 1);
            sim.traceOperation("a op", "ok");
        }, (sim, writes) -> {
            writes[1] = 1;
            sim.traceOperation("b op", "ok");
            queue[0].wakeUpAll();
        });

        assertThat(shown.steps()).startsWith("1. a: blocked on wait queue q -> b", "2. b: b op -> ok");
        assertThat(shown.states().get(0)).containsExactly("a wrote 1", "b wrote 0");
        assertThat(shown.states().get(1)).containsExactly("a wrote 1", "b wrote 1");
    }

    @Test
    void statesAfter_actorChangesAfterItsLastStep_showsTheChangeUnderThatStep() {
        Shown shown = run((sim, writes) -> {
            sim.traceOperation("a op", "ok");
            // As a process exit after the thread's last statement: no step of its own.
            writes[0] = 1;
        }, (sim, writes) -> {
            writes[1] = 1;
            sim.traceOperation("b op", "ok");
        });

        assertThat(shown.steps()).containsExactly("1. a: a op -> ok", "2. b: b op -> ok");
        assertThat(shown.states().get(0)).containsExactly("a wrote 1", "b wrote 0");
        assertThat(shown.states().get(1)).containsExactly("a wrote 1", "b wrote 1");
    }
}
