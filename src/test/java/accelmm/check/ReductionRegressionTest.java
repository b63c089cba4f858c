package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.DfsModels.Kind;
import accelmm.check.DfsModels.Op;
import accelmm.sim.Outcome;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Models on which a reduction once reported itself complete while missing end states the
 * unreduced search reaches: each reduction and bound must reach every one of them.
 */
class ReductionRegressionTest {

    private static final Budget LARGE = new Budget(1_000_000, null);
    private static final int[] BOUNDS = {0, 1, 2, 3, Strategy.Dfs.UNBOUNDED};

    /**
     * A chooses which cell to read, so what its last step touches depends on the value; B and C
     * each write cell 0.
     */
    static Model choiceModel(Set<String> outcomes) {
        return (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 10_000);
            sim.observeFootprints(true);
            Shared memory = sim.shared("cells");
            long[] cells = new long[2];
            StringBuilder seen = new StringBuilder();
            sim.spawn("A", () -> {
                sim.preemptionPoint("a0");
                sim.preemptionPoint("a1");
                int v = sim.choose("which", 2);
                memory.read(v, v + 1);
                seen.append("v").append(v).append("=").append(cells[v]);
            });
            sim.spawn("B", () -> {
                sim.preemptionPoint("b0");
                sim.preemptionPoint("b1");
                memory.write(0, 1);
                cells[0] = 1;
            });
            sim.spawn("C", () -> {
                sim.preemptionPoint("c0");
                sim.preemptionPoint("c1");
                memory.write(0, 1);
                cells[0] = 2;
            });
            Outcome outcome = sim.run();
            if (!(outcome instanceof Outcome.Pruned)) {
                synchronized (outcomes) {
                    outcomes.add(seen.toString() + " final " + cells[0]);
                }
            }
            return new RunResult(outcome, null, sim.schedule(), sim.trace(), sim.steps());
        };
    }

    /**
     * S1, S2 and S3 sleep with a timeout on queues of their own and, once it expires, append their
     * names to a log; X runs alone. The timeouts expire in the order the sleeps began.
     */
    static Model timeoutModel(Set<String> outcomes) {
        return (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 10_000);
            sim.observeFootprints(true);
            Shared log = sim.shared("log");
            StringBuilder seen = new StringBuilder();
            for (String n : new String[] {"S1", "S2", "S3"}) {
                accelmm.sim.WaitQueue q = new accelmm.sim.WaitQueue(sim, n);
                sim.spawn(n, () -> {
                    sim.preemptionPoint(n + " p");
                    q.waitEventTimeout(() -> false);
                    log.write();
                    seen.append(n);
                });
            }
            sim.spawn("X", () -> {
                sim.preemptionPoint("x0");
                sim.preemptionPoint("x1");
            });
            Outcome outcome = sim.run();
            if (!(outcome instanceof Outcome.Pruned)) {
                synchronized (outcomes) {
                    outcomes.add(seen + " " + outcome.getClass().getSimpleName());
                }
            }
            return new RunResult(outcome, null, sim.schedule(), sim.trace(), sim.steps());
        };
    }

    @Test
    void dataChoiceInsideAStep_sleeperStandsForEveryValue() {
        assertEveryReductionReachesEveryEndState(ReductionRegressionTest::choiceModel);
    }

    @Test
    void timedSleepsOnDifferentQueues_theirOrderIsExploredAsTheOrderOfExpiry() {
        assertEveryReductionReachesEveryEndState(ReductionRegressionTest::timeoutModel);
        Set<String> ends = new TreeSet<>();
        new DfsSearch(timeoutModel(ends), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED)).explore(LARGE);
        assertThat(ends).hasSize(6);
    }

    @Test
    void boundedDpor_threeActorsReadAndWrite_sleepSetsDoNotHideAStateWithinTheBound() {
        List<List<Op>> actors = List.of(List.of(new Op(Kind.WRITE, 0)),
                List.of(new Op(Kind.READ, 0), new Op(Kind.READ, 1)),
                List.of(new Op(Kind.READ, 0), new Op(Kind.WRITE, 1)));
        assertEveryReductionReachesEveryEndState(ends -> DfsModels.ops(actors, 2, true, ends, null));
    }

    @Test
    void boundedDpor_completionAndTwoPreemptions_sleepSetsDoNotHideAStateWithinTheBound() {
        List<List<Op>> actors = List.of(
                List.of(new Op(Kind.WAIT, 0), new Op(Kind.READ, 1), new Op(Kind.READ, 1)),
                List.of(new Op(Kind.COMPLETE, 0), new Op(Kind.WRITE, 1)),
                List.of(new Op(Kind.WRITE, 0), new Op(Kind.READ, 1), new Op(Kind.COMPLETE, 0)));
        assertEveryReductionReachesEveryEndState(ends -> DfsModels.ops(actors, 2, true, ends, null));
    }

    /**
     * Two waiters of one completion, one woken by {@code complete()} before the other first waits:
     * whichever runs first takes the completion. The woken waiter re-checks the count in a stretch
     * of its own, which once read it without saying so, so the first waiter's taking it seemed to
     * commute with the re-check and the woken waiter never went first.
     */
    @Test
    void completion_wokenWaiterRechecksTheCount_eitherWaiterMayTakeIt() {
        List<List<Op>> actors = List.of(List.of(new Op(Kind.WAIT, 0)),
                List.of(new Op(Kind.READ, 0), new Op(Kind.WAIT, 0)),
                List.of(new Op(Kind.WRITE, 0), new Op(Kind.COMPLETE, 0)));
        assertEveryReductionReachesEveryEndState(ends -> DfsModels.ops(actors, 2, true, ends, null));
    }

    /**
     * Two wakers of one completion, the second reading what the woken waiter writes: with wake
     * races left alone, the order in which the second waker wakes the waiter first must come
     * from the wakers' own race, within the bound too.
     */
    @Test
    void completion_twoWakers_theSecondReadsWhatTheWokenWaiterWrites() {
        List<List<Op>> actors = List.of(List.of(new Op(Kind.WAIT, 1), new Op(Kind.WRITE, 0)),
                List.of(new Op(Kind.WRITE, 1), new Op(Kind.COMPLETE, 0)),
                List.of(new Op(Kind.READ, 0), new Op(Kind.COMPLETE, 0)));
        assertEveryReductionReachesEveryEndState(ends -> DfsModels.ops(actors, 2, true, ends, null));
    }

    private static void assertEveryReductionReachesEveryEndState(Function<Set<String>, Model> model) {
        for (int bound : BOUNDS) {
            Set<String> all = new TreeSet<>();
            new DfsSearch(model.apply(all), new Strategy.Dfs(bound, Strategy.Reduction.NONE)).explore(LARGE);
            for (Strategy.Reduction reduction : List.of(Strategy.Reduction.SLEEP, Strategy.Reduction.DPOR)) {
                Set<String> reduced = new TreeSet<>();
                Exploration e = new DfsSearch(model.apply(reduced), new Strategy.Dfs(bound, reduction)).explore(LARGE);
                assertThat(e.complete()).isTrue();
                assertThat(reduced).as("%s at bound %d", reduction, bound).containsAll(all);
            }
        }
    }
}
