package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * The explorer on a toy model: a check-then-act race between two actors, which breaks an
 * invariant only when the second actor runs between the first one's check and its act.
 */
class ExplorerTest {

    /** Actor "a" checks a flag, yields, then acts on it; actor "b" clears the flag in between. */
    static RunResult raceModel(ChoiceSource choices, boolean recordTrace) {
        Simulation sim = new Simulation(choices, recordTrace, 10_000);
        boolean[] flag = {true};
        sim.spawn("a", () -> {
            boolean seen = flag[0];
            sim.preemptionPoint("between check and act");
            if (seen && !flag[0]) {
                throw new InvariantBroken(new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "a",
                        "acted on a cleared flag"));
            }
        });
        sim.spawn("b", () -> {
            sim.preemptionPoint("before clear");
            flag[0] = false;
        });
        Outcome outcome = sim.run();
        Violation v = outcome instanceof Outcome.Failed f && f.cause() instanceof InvariantBroken b
                ? b.violation() : null;
        return new RunResult(outcome, v, sim.schedule(), sim.trace(), sim.steps());
    }

    @Test
    void explore_racyModel_findsViolationWithReplayableSchedule() {
        Exploration e = new Explorer().explore(ExplorerTest::raceModel, new Strategy.RandomWalk(1), Budget.DEFAULT);

        assertThat(e.violated()).isTrue();
        assertThat(e.firstViolation().violation().message()).isEqualTo("acted on a cleared flag");
        assertThat(e.firstViolation().trace()).isNotNull();
        RunResult replayed = raceModel(new ReplayChoiceSource(e.firstViolation().schedule()), true);
        assertThat(replayed.violation()).isEqualTo(e.firstViolation().violation());
        assertThat(replayed.trace().render()).isEqualTo(e.firstViolation().trace().render());
    }

    @Test
    void explore_sameSeedTwice_sameExecutionsAndSchedule() {
        Exploration first = new Explorer().explore(ExplorerTest::raceModel, new Strategy.Mixed(7), Budget.DEFAULT);
        Exploration second = new Explorer().explore(ExplorerTest::raceModel, new Strategy.Mixed(7), Budget.DEFAULT);

        assertThat(second.executions()).isEqualTo(first.executions());
        assertThat(second.firstViolation().schedule()).isEqualTo(first.firstViolation().schedule());
    }

    @Test
    void explore_modelWithoutRace_spendsBudgetAndFindsNothing() {
        Model safe = (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 100);
            sim.spawn("a", () -> sim.preemptionPoint("x"));
            sim.spawn("b", () -> sim.preemptionPoint("y"));
            Outcome o = sim.run();
            return new RunResult(o, null, sim.schedule(), sim.trace(), sim.steps());
        };

        Exploration e = new Explorer().explore(safe, new Strategy.Pct(3, 2), new Budget(50, null));

        assertThat(e.violated()).isFalse();
        assertThat(e.executions()).isEqualTo(50);
    }

    @Test
    void pct_depthOne_runsHighestPriorityActorToCompletionWithoutSwitching() {
        for (long seed = 0; seed < 20; seed++) {
            Simulation sim = new Simulation(new PctChoiceSource(seed, 1, 10), true, 100);
            sim.spawn("a", () -> {
                sim.preemptionPoint("a1");
                sim.preemptionPoint("a2");
            });
            sim.spawn("b", () -> {
                sim.preemptionPoint("b1");
                sim.preemptionPoint("b2");
            });
            sim.run();
            long switches = sim.trace().events().stream()
                    .filter(ev -> ev instanceof accelmm.sim.TraceEvent.Switch).count();
            assertThat(switches).as("seed %d", seed).isEqualTo(1);
        }
    }

    @Test
    void pct_depthTwo_sometimesPreemptsOnce() {
        boolean preempted = false;
        for (long seed = 0; seed < 200 && !preempted; seed++) {
            Simulation sim = new Simulation(new PctChoiceSource(seed, 2, 4), true, 100);
            sim.spawn("a", () -> {
                sim.preemptionPoint("a1");
                sim.preemptionPoint("a2");
            });
            sim.spawn("b", () -> {
                sim.preemptionPoint("b1");
                sim.preemptionPoint("b2");
            });
            sim.run();
            preempted = sim.trace().events().stream()
                    .filter(ev -> ev instanceof accelmm.sim.TraceEvent.Switch).count() == 2;
        }
        assertThat(preempted).isTrue();
    }
}
