package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    /**
     * A use-after-free race by hand. t0 frees the object between two preemption points and
     * allocates it again; t1 uses it after three. The use breaks when it falls in t0's window:
     *
     * <pre>
     *   t0: @a  @b  @free [freed]  @realloc [alive]  @done
     *   t1: @x  @y  @use [check]
     * </pre>
     *
     * The use comes after t1's third point, and the window opens after t0's third and stays
     * open while t0 waits at its fourth: at least 3 + 4 = 7 steps. Seven steps with one switch:
     * t0 runs to {@code @realloc} and is preempted there, then t1 runs to its use. Its schedule
     * is start 0, 0, 0, 0, then 1 at {@code @realloc}, then t1 keeps the CPU — {@code 0*4.1}
     * once the trailing defaults are cut. Starting with t1 costs a second switch.
     */
    private static final Model RACE = (choices, trace) -> {
        Simulation sim = new Simulation(choices, trace, 1_000);
        boolean[] freed = new boolean[1];
        sim.spawn("t0", () -> {
            sim.preemptionPoint("a");
            sim.preemptionPoint("b");
            sim.preemptionPoint("free");
            freed[0] = true;
            sim.preemptionPoint("realloc");
            freed[0] = false;
            sim.preemptionPoint("done");
        });
        sim.spawn("t1", () -> {
            sim.preemptionPoint("x");
            sim.preemptionPoint("y");
            sim.preemptionPoint("use");
            if (freed[0]) {
                throw new IllegalStateException("used while freed");
            }
        });
        Outcome o = sim.run();
        Violation v = o instanceof Outcome.Failed f
                ? new Violation(InvariantKind.USE_AFTER_FREE, f.step(), f.actor(), f.cause().getMessage()) : null;
        return new RunResult(o, v, sim.schedule(), sim.trace(), sim.steps());
    };

    /** The first random walk that breaks the race and is not already minimal. */
    private static RunResult bloatedViolation() {
        for (long seed = 1; seed < 10_000; seed++) {
            RunResult r = RACE.execute(new RandomChoiceSource(seed), false);
            if (r.violated() && !r.schedule().equals(Schedule.parse("0*4.1*4"))) {
                return r;
            }
        }
        throw new AssertionError("no random walk broke the race");
    }

    @Test
    void shrink_racyModel_yieldsFewestStepsThenFewestSwitches() {
        RunResult found = bloatedViolation();

        Shrinker.Shrunk s = new Shrinker(RACE).shrink(found);

        assertThat(s.original()).isGreaterThan(s.size());
        assertThat(s.size()).isEqualTo(new Shrinker.Size(7, 1));
        assertThat(s.result().schedule().token()).isEqualTo("0*4.1");
        assertThat(s.result().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
        assertThat(s.result().violation().actor()).isEqualTo("t1");
    }

    @Test
    void shrink_racyModel_scheduleReplaysToSameInvariantAndTrace() {
        Shrinker.Shrunk s = new Shrinker(RACE).shrink(bloatedViolation());

        RunResult replayed = RACE.execute(new ReplayChoiceSource(Schedule.parse(s.result().schedule().token())), true);

        assertThat(replayed.violation()).isEqualTo(s.result().violation());
        assertThat(replayed.steps()).isEqualTo(s.size().steps());
        assertThat(replayed.trace().render()).isEqualTo(s.result().trace().render());
    }

    @Test
    void shrink_sameInputTwice_sameResult() {
        RunResult found = bloatedViolation();

        Shrinker.Shrunk first = new Shrinker(RACE).shrink(found);
        Shrinker.Shrunk second = new Shrinker(RACE).shrink(found);

        assertThat(second.result().schedule()).isEqualTo(first.result().schedule());
        assertThat(second.executions()).isEqualTo(first.executions());
        assertThat(second.result().trace().render()).isEqualTo(first.result().trace().render());
    }

    @Test
    void shrink_minimalAlready_keepsItsSize() {
        RunResult minimal = RACE.execute(new ReplayChoiceSource(Schedule.parse("0*4.1")), false);

        Shrinker.Shrunk s = new Shrinker(RACE).shrink(minimal);

        assertThat(s.size()).isEqualTo(s.original()).isEqualTo(new Shrinker.Size(7, 1));
    }

    @Test
    void shrink_budgetOfOne_returnsTheOriginalReplayed() {
        RunResult found = bloatedViolation();

        Shrinker.Shrunk s = new Shrinker(RACE, 1).shrink(found);

        assertThat(s.size()).isEqualTo(s.original());
        assertThat(s.result().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }

    @Test
    void size_fewerStepsWinOverFewerSwitches() {
        assertThat(new Shrinker.Size(34, 2)).isLessThan(new Shrinker.Size(35, 1));
        assertThat(new Shrinker.Size(34, 1)).isLessThan(new Shrinker.Size(34, 2));
    }

    @Test
    void shrink_cleanRun_isRefused() {
        RunResult clean = RACE.execute(new ReplayChoiceSource(Schedule.empty()), false);

        assertThatThrownBy(() -> new Shrinker(RACE).shrink(clean)).isInstanceOf(IllegalArgumentException.class);
    }
}
