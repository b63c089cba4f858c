package accelmm.check;

import accelmm.sim.Deadline;

/**
 * One {@link Strategy.Auto} exploration: a bounded DFS and {@link Strategy.Mixed} sampling in
 * alternating slices of one budget, until the first violation or the DFS's completion.
 *
 * <p>Design note. The executions of the portfolio are numbered in slice order: DFS slice 0
 * ({@value #FIRST_SLICE} executions), sampling slice 0 (as many), DFS slice 1 (twice as many),
 * sampling slice 1, and so on; the budget's executions end the sequence, and the first violation
 * in it ends the search. Both parts are deterministic sequences whatever the number of jobs (the
 * DFS in its sequential order, {@link DfsSearch}; sampling by index, {@link Explorer}), so the
 * portfolio's executions, its first violation and its counts are too. The DFS part is the one
 * DFS of the requested bound ({@link Strategy.Auto#dfs()}); once it completes clean, the
 * portfolio ends clean, complete for that bound (for every interleaving when the DFS cut nothing
 * for it, or was unbounded), and leaves the rest of the budget unused: sampling more could only
 * find a violation that needs more preemptions, and a user who wants those asks for a higher
 * bound, or none. Sampling execution {@code i} is {@link Strategy.Mixed}'s execution {@code i},
 * the indices continuing across slices, and a {@link Shard} runs only its own indices of each
 * slice (every shard runs the whole DFS part: a {@link DfsSearch} without a shard).
 *
 * <p>A DFS slice restarts its search from the root with a budget that reaches to the end of the
 * slice, so it runs again the executions of its earlier slices before the new ones (they are
 * counted once). Slices double, so this at most doubles the DFS part's work, and the search
 * stays the one {@link DfsSearch} runs whole: no state is kept between slices.
 */
final class AutoPortfolio {

    /** The executions of each part's first slice; every round doubles them. */
    static final long FIRST_SLICE = 16;

    private final Model model;
    private final Strategy.Auto auto;
    private final Budget budget;
    private final Deadline deadline;
    private final long started = System.nanoTime();
    private final Explorer.Sampling sampling;
    /** The DFS as its last slice left it; null before its first. */
    private Exploration dfs;
    /** Executions in the portfolio's order so far (those of every shard). */
    private long position;
    /** The next sampling index. */
    private long sampled;

    AutoPortfolio(Model model, Strategy.Auto auto, Budget budget, Deadline deadline) {
        this.model = model;
        this.auto = auto;
        this.budget = budget;
        this.deadline = deadline;
        this.sampling = new Explorer.Sampling(model, new Strategy.Mixed(auto.seed()), budget, deadline, 0);
    }

    Exploration run() {
        long max = budget.maxExecutions();
        for (long slice = FIRST_SLICE; position < max; slice = Math.min(slice * 2, max)) {
            Exploration end = dfsSlice(Math.min(slice, max - position));
            if (end != null) {
                return end;
            }
            if (position >= max || deadline.passed()) {
                break;
            }
            end = samplingSlice(Math.min(slice, max - position));
            if (end != null) {
                return end;
            }
            if (sampling.outOfTime || deadline.passed()) {
                break;
            }
        }
        return result(null, -1, null, null, 0);
    }

    /**
     * Runs up to {@code allowed} more executions of the DFS. Returns the exploration that ends
     * the portfolio (a violation, no verdict, or the DFS complete), or {@code null}.
     */
    private Exploration dfsSlice(long allowed) {
        Strategy.Dfs strategy = auto.dfs();
        long before = dfsExecutions();
        budget.progress().update(model, "auto: " + strategy.describe(), position);
        dfs = new DfsSearch(model, strategy).explore(budget.withMaxExecutions(before + allowed), deadline);
        position += dfs.executions() - before;
        if (dfs.violated() || !dfs.conclusive()) {
            String part = "dfs(" + Strategy.Dfs.describeBound(strategy.preemptionBound()) + ")";
            return result(dfs.firstViolation(), position - 1, dfs.inconclusive(), part, dfs.executions());
        }
        // Complete for the bound: nothing within it is left for either part to find.
        return dfs.complete() ? result(null, -1, null, null, 0) : null;
    }

    /** Runs the next {@code allowed} sampling indices; the exploration that ends the portfolio, or {@code null}. */
    private Exploration samplingSlice(long allowed) {
        long sliceStart = position;
        long first = sampled;
        long doneBefore = sampling.done;
        sampling.before = position;
        sampling.phase = "auto: random+pct";
        Exploration end = sampling.advance(first + allowed);
        sampled = first + allowed;
        if (end != null) {
            long index = end.violationIndex();
            return result(end.firstViolation(), sliceStart + index - first, end.inconclusive(),
                    Strategy.Mixed.part(index), index + 1);
        }
        position += sampling.outOfTime ? sampling.done - doneBefore : allowed;
        return null;
    }

    private long dfsExecutions() {
        return dfs == null ? 0 : dfs.executions();
    }

    /**
     * The portfolio's exploration: ended by {@code violation} or {@code inconclusive} at {@code
     * index} in the portfolio's order, found by {@code part} in its execution {@code foundAt};
     * or clean ({@code index} -1).
     */
    private Exploration result(RunResult violation, long index, Inconclusive inconclusive, String part, long foundAt) {
        Coverage.Systematic covered = dfs != null ? (Coverage.Systematic) dfs.coverage()
                : new Coverage.Systematic(auto.preemptionBound(), false, false);
        CostSummary costs = new CostSummary();
        long steps = sampling.steps;
        long pruned = 0;
        if (dfs != null) {
            costs.addAll(dfs.costs());
            steps += dfs.steps();
            pruned = dfs.prunedRuns();
        }
        costs.addAll(sampling.costs);
        Coverage.Portfolio coverage = new Coverage.Portfolio(covered, dfsExecutions(), sampling.done, part, foundAt);
        return new Exploration(violation, dfsExecutions() + sampling.done, steps, auto.describe(),
                System.nanoTime() - started, coverage, index, inconclusive, costs, pruned);
    }
}
