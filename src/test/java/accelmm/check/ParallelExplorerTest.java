package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Budget#jobs()} and {@link Budget#shard()}: the same executions, verdict, schedule and
 * counts whatever the number of workers; shards that together give the unsharded result.
 */
class ParallelExplorerTest {

    private static final List<Strategy> SAMPLING = List.of(new Strategy.RandomWalk(5), new Strategy.Pct(5, 3),
            new Strategy.Mixed(5), new Strategy.Auto(5, 0));

    /**
     * A rare violation: two actors interleave a few steps and one draws a value of 0..{@code
     * odds-1} (and another, noise that keeps a DFS busy); the run breaks an invariant when that value is 0 and b ran between a's steps. Many
     * executions violate, at indices far apart, so the lowest must win.
     */
    static Model rare(int odds) {
        return rare(odds, true);
    }

    /** {@link #rare(int)}, or the same model that never breaks. */
    static Model rare(int odds, boolean canBreak) {
        return (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 10_000);
            int[] state = new int[2];
            sim.spawn("a", () -> {
                int draw = sim.choose("draw", odds);
                sim.choose("noise", odds);
                sim.preemptionPoint("a1");
                int seen = state[0];
                sim.preemptionPoint("a2");
                if (canBreak && draw == 0 && seen != state[0]) {
                    throw new InvariantBroken(new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "a", "rare"));
                }
            });
            sim.spawn("b", () -> {
                sim.preemptionPoint("b1");
                state[0]++;
                sim.preemptionPoint("b2");
            });
            Outcome outcome = sim.run();
            Violation v = outcome instanceof Outcome.Failed f && f.cause() instanceof InvariantBroken b
                    ? b.violation() : null;
            return new RunResult(outcome, v, sim.schedule(), sim.trace(), sim.steps());
        };
    }

    private static Exploration explore(Model model, Strategy strategy, Budget budget) {
        return new Explorer().explore(model, strategy, budget);
    }

    /** The same result: counts, coverage, and the same violating execution with its trace. */
    static void assertSame(Exploration a, Exploration b) {
        assertThat(b.violated()).isEqualTo(a.violated());
        assertThat(b.executions()).isEqualTo(a.executions());
        assertThat(b.violationIndex()).isEqualTo(a.violationIndex());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.coverage()).isEqualTo(a.coverage());
        if (a.violated()) {
            assertThat(b.firstViolation().schedule()).isEqualTo(a.firstViolation().schedule());
            assertThat(b.firstViolation().violation()).isEqualTo(a.firstViolation().violation());
            assertThat(b.firstViolation().trace().render()).isEqualTo(a.firstViolation().trace().render());
        }
    }

    @Test
    void jobs_rareViolation_sameExecutionsScheduleAndCountsForEveryN() {
        for (Strategy s : SAMPLING) {
            Budget budget = new Budget(5_000, null);
            Exploration one = explore(rare(300), s, budget);
            assertThat(one.violated()).as(s.describe()).isTrue();
            assertThat(one.executions()).as(s.describe()).isGreaterThan(Explorer.WARM_UP);
            assertThat(one.violationIndex()).isEqualTo(one.executions() - 1);
            if (s instanceof Strategy.Auto) {
                assertThat(((Coverage.Portfolio) one.coverage()).foundBy()).as("found by sampling")
                        .doesNotStartWith("dfs");
            }
            for (int jobs : new int[] {2, 3, 8}) {
                assertSame(one, explore(rare(300), s, budget.withJobs(jobs)));
            }
        }
    }

    @Test
    void jobs_cleanModel_spendsTheSameBudget() {
        for (Strategy s : SAMPLING) {
            Budget budget = new Budget(1_000, null);
            Exploration one = explore(rare(300, false), s, budget);
            Exploration two = explore(rare(300, false), s, budget.withJobs(2));
            assertThat(one.violated()).isFalse();
            assertSame(one, two);
        }
    }

    @Test
    void jobs_checkThenActRace_sameAsOneJob() {
        for (Strategy s : SAMPLING) {
            Exploration one = explore(ExplorerTest::raceModel, s, Budget.DEFAULT);
            assertSame(one, explore(ExplorerTest::raceModel, s, Budget.DEFAULT.withJobs(2)));
        }
    }

    @Test
    void jobs_modelBugAtSomeIndex_reportedAsWithOneJob() {
        Model buggy = (choices, trace) -> {
            RunResult r = rare(50).execute(choices, trace);
            if (r.violated()) {
                throw new ModelBugException("bug after " + r.schedule().token(), null);
            }
            return r;
        };
        Strategy s = new Strategy.Mixed(3);
        String message = null;
        try {
            explore(buggy, s, new Budget(5_000, null));
        } catch (ModelBugException e) {
            message = e.getMessage();
        }
        assertThat(message).isNotNull();
        assertThatThrownBy(() -> explore(buggy, s, new Budget(5_000, null).withJobs(2))).hasMessage(message);
    }

    @Test
    void shards_together_giveTheUnshardedResult() {
        for (Strategy s : SAMPLING) {
            for (boolean canBreak : new boolean[] {true, false}) {
                Budget budget = new Budget(3_000, null);
                Exploration whole = explore(rare(300, canBreak), s, budget);
                int n = 3;
                long lowest = -1;
                long executions = 0;
                Exploration winner = null;
                for (int i = 1; i <= n; i++) {
                    Exploration part = explore(rare(300, canBreak), s, budget.withShard(new Shard(i, n)).withJobs(i));
                    if (whole.coverage() instanceof Coverage.Portfolio p) {
                        // The same DFS part in every shard (up to a violation); sampling splits.
                        if (!whole.violated()) {
                            assertThat(((Coverage.Portfolio) part.coverage()).dfsExecutions())
                                    .isEqualTo(p.dfsExecutions());
                        }
                    } else {
                        assertThat(part.coverage()).isEqualTo(whole.coverage());
                    }
                    executions += part.executions();
                    if (part.violated() && (lowest < 0 || part.violationIndex() < lowest)) {
                        lowest = part.violationIndex();
                        winner = part;
                    }
                }
                assertThat(lowest).as(s.describe()).isEqualTo(whole.violationIndex());
                if (whole.violated()) {
                    assertThat(winner.firstViolation().schedule()).isEqualTo(whole.firstViolation().schedule());
                } else if (whole.coverage() instanceof Coverage.Systematic) {
                    assertThat(executions).isEqualTo(n * whole.executions());
                } else if (whole.coverage() instanceof Coverage.Portfolio p) {
                    assertThat(executions - (n - 1) * p.dfsExecutions()).isEqualTo(whole.executions());
                } else {
                    assertThat(executions).isEqualTo(whole.executions());
                }
            }
        }
    }

    @Test
    void shard_parse_acceptsIOfNOnly() {
        assertThat(Shard.parse("2/5")).isEqualTo(new Shard(2, 5));
        for (String bad : List.of("0/2", "3/2", "1/0", "x", "1/", "/2", "-1/2", "1/2/3")) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void budget_badJobs_refused() {
        assertThatThrownBy(() -> Budget.DEFAULT.withJobs(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
