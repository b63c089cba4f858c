package accelmm.check;

/**
 * The result of exploring one design combination: the first violating execution found (with
 * its schedule), or none; how many executions and steps were explored, with which strategy;
 * and what that covered ({@link Coverage}): a sample, or a systematic search that did or did
 * not exhaust its space.
 *
 * <p>{@code violationIndex}: the 0-based index of the execution that ended the search — the
 * violating one, or the one that reached the step limit — in the order an unsharded run explores
 * them (-1 without one). It is {@code executions - 1} except for a {@link Shard} of a sampling
 * search, which runs only some indices.
 *
 * <p>{@code inconclusive}: why there is no verdict (an execution reached the step limit, or no
 * execution finished in time), or {@code null}: then a violation was found or none was.
 *
 * <p>{@code costs}: the cost counters of the first execution and their least and most over the
 * executions counted in {@code executions} ({@link CostSummary}).
 *
 * <p>{@code prunedRuns}: of a DFS (alone or in {@link Strategy.Auto}), the runs it stopped at a
 * decision where every option was asleep ({@link DfsSearch#prunedRuns()}): redundant, so not
 * counted in {@code executions}; 0 for sampling.
 *
 * <p>{@code statesStored}, {@code cacheHits}: of a DFS that cached states ({@link
 * Strategy.Dfs#stateCaching()}), the states it stored and the runs it stopped at a state
 * explored already (not counted in {@code executions} either); 0 otherwise.
 *
 * <p>{@code shardedDfs}: of a DFS run as one {@link Shard} of several, what each of its tasks
 * ran, for {@link ShardedDfs#merge}; {@code null} otherwise. The shard's own counts and coverage
 * are of its tasks only (never complete), its violation the first among them.
 */
public record Exploration(RunResult firstViolation, long executions, long steps, String strategy,
        long elapsedNanos, Coverage coverage, long violationIndex, Inconclusive inconclusive, CostSummary costs,
        long prunedRuns, long statesStored, long cacheHits, ShardedDfs shardedDfs) {

    /** An exploration that cached no states and is not a shard's part of a DFS. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage, long violationIndex, Inconclusive inconclusive, CostSummary costs, long prunedRuns) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex, inconclusive, costs,
                prunedRuns, 0, 0, null);
    }

    /** An exploration without pruned runs (sampling, or a DFS that pruned none). */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage, long violationIndex, Inconclusive inconclusive, CostSummary costs) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex, inconclusive, costs,
                0);
    }

    /** An exploration whose costs were not kept: every count zero. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage, long violationIndex, Inconclusive inconclusive) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex, inconclusive,
                new CostSummary());
    }

    /** A conclusive exploration. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage, long violationIndex) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex, null);
    }

    /** A sampling exploration (random walks, PCT): no claim of completeness. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, new Coverage.Sampled());
    }

    /** An unsharded exploration: the violation, if any, is the last execution. */
    public Exploration(RunResult firstViolation, long executions, long steps, String strategy, long elapsedNanos,
            Coverage coverage) {
        this(firstViolation, executions, steps, strategy, elapsedNanos, coverage,
                firstViolation == null ? -1 : executions - 1);
    }

    public Exploration {
        if (coverage == null) {
            throw new IllegalArgumentException("coverage is required");
        }
        if (costs == null) {
            throw new IllegalArgumentException("costs are required");
        }
        if (firstViolation != null && inconclusive != null) {
            throw new IllegalArgumentException("a violation is a verdict: the exploration is conclusive");
        }
        if (prunedRuns < 0 || statesStored < 0 || cacheHits < 0) {
            throw new IllegalArgumentException("pruned runs, states stored and cache hits are at least 0");
        }
    }

    /** Whether the exploration reached a verdict: a violation, or none within what it covered. */
    public boolean conclusive() {
        return inconclusive == null;
    }

    /** This exploration, found inconclusive for {@code why}. */
    Exploration inconclusive(Inconclusive why) {
        return new Exploration(null, executions, steps, strategy, elapsedNanos, coverage, violationIndex, why, costs,
                prunedRuns, statesStored, cacheHits, shardedDfs);
    }

    /** This exploration with the costs of its executions. */
    public Exploration withCosts(CostSummary summary) {
        return new Exploration(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex,
                inconclusive, summary, prunedRuns, statesStored, cacheHits, shardedDfs);
    }

    /** This exploration with {@code runs} pruned runs of its DFS. */
    Exploration withPrunedRuns(long runs) {
        return new Exploration(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex,
                inconclusive, costs, runs, statesStored, cacheHits, shardedDfs);
    }

    /** This exploration with the state cache's counts of its DFS. */
    Exploration withStateCache(long states, long hits) {
        return new Exploration(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex,
                inconclusive, costs, prunedRuns, states, hits, shardedDfs);
    }

    /** This exploration with what a shard's part of a DFS ran, task by task. */
    Exploration withShardedDfs(ShardedDfs part) {
        return new Exploration(firstViolation, executions, steps, strategy, elapsedNanos, coverage, violationIndex,
                inconclusive, costs, prunedRuns, statesStored, cacheHits, part);
    }

    public boolean violated() {
        return firstViolation != null;
    }

    /** Whether a systematic search exhausted its space: no violation exists within its bound. */
    public boolean complete() {
        return coverage instanceof Coverage.Systematic s && s.complete();
    }
}
