package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Simulation;
import java.util.List;
import java.util.TreeSet;
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

    /** t1 reads the cell between t0's two writes: one preemption of t0. */
    private static Model readBetweenWrites() {
        return DfsModels.cells(List.of(
                List.of(new DfsModels.Step(0, true), new DfsModels.Step(0, true)),
                List.of(new DfsModels.Step(0, false))), 1, false, new TreeSet<>(), "[8][[], [1]]");
    }

    @Test
    void auto_bugWithinTheBound_foundByTheDfsPartInItsFirstSlice() {
        Exploration e = new Explorer().explore(readBetweenWrites(), new Strategy.Auto(1, 2), Budget.DEFAULT);

        Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
        assertThat(e.violated()).isTrue();
        assertThat(p.foundBy()).isEqualTo("dfs(preemptions 2)");
        assertThat(p.foundAt()).isEqualTo(e.executions()).isLessThanOrEqualTo(AutoPortfolio.FIRST_SLICE);
        assertThat(p.samplingExecutions()).isZero();
        assertThat(e.violationIndex()).isEqualTo(e.executions() - 1);
    }

    @Test
    void auto_bugTheDfsMeetsLate_foundBySamplingAtItsPlaceInSliceOrder() {
        Exploration e = new Explorer().explore(ParallelExplorerTest.rare(50), new Strategy.Auto(1, 0),
                new Budget(5_000, null));

        Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
        assertThat(e.violated()).isTrue();
        assertThat(p.foundBy()).doesNotStartWith("dfs");
        // Sampling execution k (from 1) of a slice comes after every DFS execution before it.
        assertThat(p.foundAt()).isEqualTo(p.samplingExecutions());
        assertThat(e.executions()).isEqualTo(p.dfsExecutions() + p.samplingExecutions());
        assertThat(e.violationIndex()).isEqualTo(e.executions() - 1);
        RunResult replayed = ParallelExplorerTest.rare(50).execute(new ReplayChoiceSource(e.firstViolation().schedule()),
                false);
        assertThat(replayed.violated()).isTrue();
    }

    @Test
    void auto_jobsOneAndTwo_sameExecutionsViolationAndCoverage() {
        for (Model model : List.of(readBetweenWrites(), ParallelExplorerTest.rare(50), DfsModels.points(3, 3, 3))) {
            Budget budget = new Budget(2_000, null);
            Exploration one = new Explorer().explore(model, new Strategy.Auto(3, 1), budget);
            Exploration two = new Explorer().explore(model, new Strategy.Auto(3, 1), budget.withJobs(2));

            ParallelExplorerTest.assertSame(one, two);
        }
    }

    @Test
    void auto_anyBudget_totalExecutionsNeverExceedIt() {
        for (long max : new long[] {1, 15, 16, 17, 33, 100, 1_000}) {
            // 4050 executions within 3 preemptions: the DFS never completes within these budgets.
            Exploration e = new Explorer().explore(DfsModels.points(4, 4, 4), new Strategy.Auto(1, 3),
                    new Budget(max, null));

            Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
            assertThat(e.executions()).as("budget %d", max).isEqualTo(max);
            assertThat(p.dfsExecutions() + p.samplingExecutions()).isEqualTo(max);
        }
    }

    @Test
    void auto_dfsCompleteForTheBound_endsCleanWithTheBudgetLeftUnused() {
        Exploration e = new Explorer().explore(DfsModels.points(4, 4), new Strategy.Auto(1, 2), Budget.DEFAULT);

        Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
        assertThat(e.violated()).isFalse();
        assertThat(p.complete()).isTrue();
        assertThat(p.dfs().preemptionBound()).as("no higher bound tried").isEqualTo(2);
        assertThat(p.dfs().boundHit()).as("executions beyond the bound exist and were left out").isTrue();
        assertThat(p.dfsExecutions()).isEqualTo(DfsModels.interleavings(2, 4, 4))
                .isGreaterThan(AutoPortfolio.FIRST_SLICE);
        // The DFS completed in its second slice: sampling ran its first slice only.
        assertThat(p.samplingExecutions()).isEqualTo(AutoPortfolio.FIRST_SLICE);
        assertThat(e.executions()).isEqualTo(p.dfsExecutions() + p.samplingExecutions())
                .isLessThan(Budget.DEFAULT.maxExecutions());
        assertThat(p.describe()).isEqualTo("dfs complete for 2 preemptions (" + p.dfsExecutions()
                + " executions); sampling ran 16 executions, found none");
    }

    @Test
    void auto_preemptionsUnbounded_runsEveryInterleavingThenEndsClean() {
        Exploration e = new Explorer().explore(DfsModels.points(2, 2, 1),
                new Strategy.Auto(1, Strategy.Dfs.UNBOUNDED), Budget.DEFAULT);

        Coverage.Portfolio p = (Coverage.Portfolio) e.coverage();
        assertThat(e.violated()).isFalse();
        assertThat(p.complete()).isTrue();
        assertThat(p.dfs().boundHit()).isFalse();
        assertThat(p.dfsExecutions()).isEqualTo(DfsModels.interleavings(Strategy.Dfs.UNBOUNDED, 2, 2, 1))
                .isGreaterThan(DfsModels.interleavings(2, 2, 2, 1));
        assertThat(e.executions()).isEqualTo(p.dfsExecutions() + p.samplingExecutions())
                .isLessThan(Budget.DEFAULT.maxExecutions());
        assertThat(p.describe()).startsWith("dfs complete for every interleaving (" + p.dfsExecutions()
                + " executions); sampling ran ");
    }

    @Test
    void auto_reduction_isTheDfsPartsAndNamedInTheStrategy() {
        Strategy.Auto auto = new Strategy.Auto(1, 2, Strategy.Reduction.SLEEP);

        assertThat(auto.dfs()).isEqualTo(new Strategy.Dfs(2, Strategy.Reduction.SLEEP));
        assertThat(auto.describe()).isEqualTo("auto(dfs(preemptions 2, sleep sets), random+pct(seed 1))");
        assertThat(new Strategy.Auto(1, 2).describe()).isEqualTo("auto(dfs(preemptions 2, dpor), random+pct(seed 1))");
    }

    /** Two writers of different cells and a reader of both: unbounded, sleep sets prune a few runs. */
    private static Model writersAndReader() {
        return DfsModels.cells(List.of(List.of(new DfsModels.Step(0, true)), List.of(new DfsModels.Step(1, true)),
                List.of(new DfsModels.Step(0, false), new DfsModels.Step(1, false))), 2, true);
    }

    @Test
    void explore_dfsThatPrunesRuns_explorationCarriesThemApartFromExecutions() {
        DfsSearch search = new DfsSearch(writersAndReader(), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED));
        long executions = search.explore(Budget.DEFAULT).executions();

        Exploration dpor = new Explorer().explore(writersAndReader(), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED),
                Budget.DEFAULT);
        Exploration none = new Explorer().explore(writersAndReader(),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE), Budget.DEFAULT);

        assertThat(dpor.prunedRuns()).isEqualTo(search.prunedRuns()).isPositive();
        assertThat(dpor.executions()).isEqualTo(executions);
        assertThat(none.prunedRuns()).as("nothing sleeps without reduction").isZero();
    }

    @Test
    void auto_dfsThatPrunesRuns_explorationCarriesThoseOfTheWholeSearch() {
        DfsSearch search = new DfsSearch(writersAndReader(), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED));
        search.explore(Budget.DEFAULT);

        // The DFS completes in a later slice: its last search ran the earlier slices' again.
        Exploration e = new Explorer().explore(writersAndReader(), new Strategy.Auto(1, Strategy.Dfs.UNBOUNDED),
                Budget.DEFAULT);

        assertThat(((Coverage.Portfolio) e.coverage()).complete()).isTrue();
        assertThat(e.prunedRuns()).isEqualTo(search.prunedRuns());
    }

    @Test
    void portfolio_describe_saysWhichPartFoundWhatAndWhatWasComplete() {
        Coverage.Systematic incomplete = new Coverage.Systematic(2, false, true);
        assertThat(new Coverage.Portfolio(incomplete, 7, 6, "pct(depth 2)", 6).describe())
                .isEqualTo("by pct(depth 2) in its 6th execution; dfs(preemptions 2) ran 7 executions, incomplete");
        assertThat(new Coverage.Portfolio(new Coverage.Systematic(3, true, true), 412, 400, null, 0).describe())
                .isEqualTo("dfs complete for 3 preemptions (412 executions); sampling ran 400 executions, found none");
        assertThat(new Coverage.Portfolio(new Coverage.Systematic(2, true, false), 30, 16, null, 0).describe())
                .isEqualTo("dfs complete for every interleaving (30 executions); sampling ran 16 executions, found none");
        assertThat(new Coverage.Portfolio(new Coverage.Systematic(4, false, true), 500, 400, null, 0).describe())
                .isEqualTo("dfs(preemptions 4) ran 500 executions, incomplete; sampling ran 400 executions, found none");
        assertThat(new Coverage.Portfolio(incomplete, 23, 16, "dfs(preemptions 2)", 23).describe())
                .isEqualTo("by dfs(preemptions 2) in its 23rd execution; sampling ran 16 executions");
        assertThat(Coverage.Portfolio.ordinal(11)).isEqualTo("11th");
        assertThat(Coverage.Portfolio.ordinal(112)).isEqualTo("112th");
        assertThat(Coverage.Portfolio.ordinal(21)).isEqualTo("21st");
    }
}
