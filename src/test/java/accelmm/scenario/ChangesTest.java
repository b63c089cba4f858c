package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Changes}: a change wakes only the waiters whose condition holds. */
class ChangesTest {

    /** Runs the first candidate always and records, per decision, its label and candidate count. */
    private static final class Recording implements ChoiceSource {
        final List<String> decisions = new ArrayList<>();

        @Override
        public int pickActor(SchedulingPoint point) {
            decisions.add(point.label() + " " + point.candidateCount());
            return 0;
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }
    }

    @Test
    void changed_conditionStillFalse_waiterStaysAsleepAndOffersNoDecision() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        Changes changes = new Changes(sim);
        boolean[] flag = new boolean[1];
        int[] wokenChecks = new int[1];
        sim.spawn("waiter", () -> changes.await("flag", () -> {
            wokenChecks[0]++;
            return flag[0];
        }));
        sim.spawn("changer", () -> {
            for (int i = 0; i < 3; i++) {
                changes.changed();
                sim.preemptionPoint("unrelated " + i);
            }
            flag[0] = true;
            changes.changed();
            sim.preemptionPoint("after the flag");
        });

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        // The waiter is not runnable at the unrelated points: no decision there.
        assertThat(choices.decisions).noneMatch(d -> d.startsWith("unrelated"));
        assertThat(choices.decisions).contains("after the flag 2");
        // Its first check, one per change by the changer (3 false, 1 true), its own re-check.
        assertThat(wokenChecks[0]).isEqualTo(6);
    }

    @Test
    void changed_severalWaiters_wakesOnlyThoseWhoseConditionHolds() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        Changes changes = new Changes(sim);
        int[] value = new int[1];
        List<String> order = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            int want = k;
            sim.spawn("w" + k, () -> {
                changes.await("value " + want, () -> value[0] >= want);
                order.add("w" + want);
            });
        }
        sim.spawn("setter", () -> {
            for (int v = 1; v <= 3; v++) {
                value[0] = v;
                changes.changed();
                sim.preemptionPoint("set " + v);
            }
        });

        assertThat(sim.run()).isInstanceOf(Outcome.Completed.class);
        // At "set v" the setter and the one waiter it woke are runnable, nobody else.
        assertThat(choices.decisions).contains("set 1 2", "set 2 2", "set 3 2");
        assertThat(order).containsExactly("w1", "w2", "w3");
    }

    @Test
    void changed_anotherTopic_leavesTheWaitUncheckedAndItsOwnTopicWakesIt() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        Changes changes = new Changes(sim);
        boolean[] bound = new boolean[1];
        int[] checks = new int[1];
        sim.spawn("waiter", () -> changes.await(() -> "name x", () -> {
            checks[0]++;
            return bound[0];
        }, Topic.bound("A", "x")));
        sim.spawn("binder", () -> {
            changes.changed(Topic.bound("A", "y"), Topic.signalled("x"), Topic.bound("B", "x"));
            sim.preemptionPoint("other topics");
            bound[0] = true;
            changes.changed(Topic.bound("A", "x"));
            sim.preemptionPoint("x bound");
        });

        assertThat(sim.run()).isInstanceOf(Outcome.Completed.class);
        // Its first check, the one when x was bound, its own re-check: none for the other topics.
        assertThat(checks[0]).isEqualTo(3);
        assertThat(choices.decisions).contains("x bound 2");
    }
}
