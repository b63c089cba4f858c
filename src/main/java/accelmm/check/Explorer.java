package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.RandomChoiceSource;

/**
 * Runs a {@link Model} under many schedules until an invariant breaks or the {@link Budget} is
 * spent. Sampling strategies are driven here; {@link Strategy.Dfs} by a {@link DfsSearch}. Execution {@code i} of a strategy with seed {@code s} uses its own seed derived from
 * {@code (s, i)}, so a result does not depend on what ran before it, and the violating
 * execution's recorded schedule replays it exactly.
 */
public final class Explorer {

    /**
     * Explores until the first violation (the combination's verdict is then settled) or the
     * budget ends.
     */
    public Exploration explore(Model model, Strategy strategy, Budget budget) {
        if (strategy instanceof Strategy.Dfs dfs) {
            return new DfsSearch(model, dfs).explore(budget);
        }
        if (strategy instanceof Strategy.Auto auto) {
            return auto(model, auto, budget);
        }
        long started = System.nanoTime();
        long deadline = budget.maxTime() == null ? Long.MAX_VALUE : started + budget.maxTime().toNanos();
        long steps = 0;
        long expectedSteps = 0;
        long i = 0;
        while (i < budget.maxExecutions() && (i == 0 || System.nanoTime() < deadline)) {
            RunResult r = model.execute(choicesFor(strategy, i, expectedSteps), false);
            i++;
            steps += r.steps();
            expectedSteps = Math.max(expectedSteps, r.steps());
            if (r.violated()) {
                RunResult traced = model.execute(new accelmm.sim.ReplayChoiceSource(r.schedule()), true);
                return new Exploration(traced.violated() ? traced : r, i, steps, strategy.describe(),
                        System.nanoTime() - started);
            }
        }
        return new Exploration(null, i, steps, strategy.describe(), System.nanoTime() - started);
    }

    /** {@link Strategy.Auto}: the bounded DFS, then, if it settled nothing, random walks and PCT. */
    private Exploration auto(Model model, Strategy.Auto auto, Budget budget) {
        Exploration dfs = new DfsSearch(model, new Strategy.Dfs(auto.preemptionBound())).explore(budget);
        if (dfs.violated() || dfs.complete()) {
            return dfs;
        }
        Exploration sample = explore(model, new Strategy.Mixed(auto.seed()), budget);
        return new Exploration(sample.firstViolation(), dfs.executions() + sample.executions(),
                dfs.steps() + sample.steps(), dfs.strategy() + " incomplete, then " + sample.strategy(),
                dfs.elapsedNanos() + sample.elapsedNanos(),
                new Coverage.Fallback(auto.preemptionBound(), dfs.executions()));
    }

    /** The choice source of execution {@code index}. */
    static ChoiceSource choicesFor(Strategy strategy, long index, long expectedSteps) {
        long seed = mix(strategy.seed(), index);
        return switch (strategy) {
            case Strategy.RandomWalk r -> new RandomChoiceSource(seed);
            case Strategy.Pct p -> new PctChoiceSource(seed, p.depth(), expectedSteps);
            case Strategy.Mixed m -> index % 4 == 0 ? new RandomChoiceSource(seed)
                    : new PctChoiceSource(seed, (int) (index % 4), expectedSteps);
            case Strategy.Dfs d -> throw new IllegalArgumentException("dfs decides across executions: use explore");
            case Strategy.Auto a -> throw new IllegalArgumentException("auto decides across executions: use explore");
        };
    }

    /** A seed for execution {@code index} that differs well from its neighbours (SplitMix64 finaliser). */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
