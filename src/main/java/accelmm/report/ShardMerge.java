package accelmm.report;

import accelmm.check.CostSummary;
import accelmm.check.Coverage;
import accelmm.check.Exploration;
import accelmm.check.Inconclusive;
import accelmm.check.RunResult;
import accelmm.check.ShardedDfs;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Shard results in the JSON of {@code accelmm check --shard I/N}, and merging them: per
 * combination, the shard's own counts, the index of its first violation and its coverage
 * ({@link #details}); merged, the lowest violating index wins and counts add ({@link #merge}).
 * A DFS split among the shards records each task it ran ({@link ShardedDfsJson}), and its merge
 * is {@link ShardedDfs#merge}'s: the union of the tasks in the search's order. The merged
 * exploration is what one unsharded run reports. Counts below 0, and shards that disagree on the
 * preemption bound of their systematic search or on what {@link accelmm.check.Strategy.Auto}'s
 * DFS part ran (every shard runs it whole), are refused.
 *
 * <p>Costs ({@link CostSummary}): the merged first execution that ran to its end is that of the
 * first shard in order that has one (shard I runs execution I first; every shard runs the same
 * DFS part of a portfolio), the least and most are over the shards' executions that ran to their end. A run cut
 * short counts only if it is the one that ends the merged search (the winner's). When a violation
 * ends the search, a sampling shard whose first execution lies past it is left out; but a shard
 * that began before it may have run executions past it that an unsharded run would not: their
 * costs count in the least and most (a shard keeps no per-execution costs to leave them out, and
 * cannot know where another shard's violation will end the search).
 */
public final class ShardMerge {

    /** Why shards of one run can differ in what their DFS ran, and what to do instead. */
    private static final String DFS_RAN_DIFFERENTLY = ": the shards' DFS ran differently; each shard runs the"
            + " whole DFS, so only a --time budget makes them differ: merge shards run with --executions alone";

    private ShardMerge() {
    }

    /**
     * What a shard's JSON records of one combination's exploration, beyond the usual fields.
     */
    static Map<String, Object> details(Exploration e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("executions", e.executions());
        d.put("violationIndex", e.violationIndex());
        d.put("steps", e.steps());
        if (e.inconclusive() instanceof Inconclusive.StepLimit limit) {
            d.put("maxSteps", limit.limit());
        }
        switch (e.coverage()) {
            case Coverage.Sampled s -> d.put("coverage", "sampled");
            case Coverage.Systematic s -> {
                d.put("coverage", "systematic");
                d.put("preemptionBound", s.preemptionBound());
                d.put("complete", s.complete());
                d.put("boundHit", s.boundHit());
                d.put("prunedRuns", e.prunedRuns());
                if (e.shardedDfs() != null) {
                    d.put("dfsMaxExecutions", e.shardedDfs().maxExecutions());
                    d.put("dfsBeyondBudget", e.shardedDfs().beyondBudget());
                    d.put("dfsTasks", ShardedDfsJson.json(e.shardedDfs()));
                }
            }
            case Coverage.Portfolio p -> {
                d.put("coverage", "portfolio");
                d.put("preemptionBound", p.dfs().preemptionBound());
                d.put("complete", p.dfs().complete());
                d.put("boundHit", p.dfs().boundHit());
                d.put("dfsExecutions", p.dfsExecutions());
                d.put("prunedRuns", e.prunedRuns());
                if (p.foundBy() != null) {
                    d.put("foundBy", p.foundBy());
                    d.put("foundAt", p.foundAt());
                }
            }
        }
        return d;
    }

    /** The costs recorded in one shard's JSON object of a combination; bad input: an IllegalArgumentException. */
    public static CostSummary costs(Map<String, Object> combination) {
        return CostTable.read(combination);
    }

    /**
     * The costs of the shards' executions that the unsharded run counts, as far as the shards
     * tell: those that ran to their end, of every shard but one whose first execution comes
     * after {@code end} (the index that ends a sampling search, or -1), and the winner's run cut
     * short. Shard {@code k} (from 0) of a sampling search runs execution {@code k} first.
     */
    private static CostSummary counted(List<Map<String, Object>> combinations, List<CostSummary> shardCosts,
            Map<String, Object> winner, long end) {
        CostSummary costs = new CostSummary();
        for (int k = 0; k < shardCosts.size(); k++) {
            CostSummary s = shardCosts.get(k);
            boolean pastTheEnd = end >= 0 && k > end;
            if (!pastTheEnd && (s.ranToEnd() || combinations.get(k) == winner)) {
                costs.addAll(s);
            }
        }
        return costs;
    }

    /**
     * Merges one combination's JSON objects, one per shard, in shard order. {@code replay} re-runs
     * the winning schedule token with its trace. Bad or inconsistent input: an
     * IllegalArgumentException.
     */
    public static Exploration merge(List<Map<String, Object>> combinations, Function<String, RunResult> replay) {
        Map<String, Object> first = combinations.get(0);
        String kind = text(shard(first), "coverage");
        if (kind.equals("systematic") && shard(first).containsKey("dfsTasks")) {
            return mergeDfs(combinations, replay);
        }
        long best = -1;
        Map<String, Object> winner = null;
        long executions = 0;
        long steps = 0;
        long elapsed = 0;
        boolean complete = true;
        boolean boundHit = false;
        List<CostSummary> shardCosts = new ArrayList<>();
        for (Map<String, Object> c : combinations) {
            shardCosts.add(CostTable.read(c));
            Map<String, Object> d = shard(c);
            validate(first, c, kind);
            long v = number(d, "violationIndex");
            if (v >= 0 && (best < 0 || v < best)) {
                best = v;
                winner = c;
            }
            executions = add(executions, count(d, "executions"));
            steps = add(steps, count(d, "steps"));
            // The combination's own time (an older shard may lack it): not part of the result.
            elapsed = Math.max(elapsed, c.containsKey("elapsedNanos") ? count(c, "elapsedNanos") : 0);
            if (kind.equals("systematic")) {
                complete &= Boolean.TRUE.equals(d.get("complete"));
                boundHit |= Boolean.TRUE.equals(d.get("boundHit"));
            }
        }
        if (kind.equals("portfolio") && winner == null) {
            // Without a violation every shard ran the portfolio's whole DFS part.
            for (Map<String, Object> c : combinations) {
                sameInEveryShard(first, c, "dfsExecutions", DFS_RAN_DIFFERENTLY);
            }
        }
        CostSummary costs = counted(combinations, shardCosts, winner, kind.equals("sampled") ? best : -1);
        Map<String, Object> d0 = shard(first);
        Coverage coverage;
        long pruned = 0;
        switch (kind) {
            case "sampled" -> coverage = new Coverage.Sampled();
            case "systematic" -> {
                // Every shard ran the same whole search.
                coverage = new Coverage.Systematic(bound(d0), complete, boundHit);
                executions = count(d0, "executions");
                steps = count(d0, "steps");
                pruned = prunedRuns(d0);
            }
            case "portfolio" -> {
                // Every shard ran the same DFS part and its own sampling indices, up to where a
                // violation ended it: the winner's DFS part is the one the unsharded run has.
                Map<String, Object> w = winner == null ? d0 : shard(winner);
                long dfs = count(w, "dfsExecutions");
                long all = winner == null ? dfs + executions - dfs * combinations.size() : best + 1;
                coverage = new Coverage.Portfolio(new Coverage.Systematic(bound(w),
                        Boolean.TRUE.equals(w.get("complete")), Boolean.TRUE.equals(w.get("boundHit"))),
                        dfs, all - dfs,
                        w.get("foundBy") instanceof String s ? s : null, w.containsKey("foundAt") ? count(w, "foundAt") : 0);
                executions = all;
                pruned = prunedRuns(w);
            }
            default -> throw new IllegalArgumentException("unknown coverage '" + kind + "'");
        }
        RunResult violation = null;
        if (winner != null) {
            executions = best + 1;
            // The execution the search found (not its shrunk form): the merge shrinks it again,
            // as a single run does.
            Object shrunk = winner.get("shrunk");
            violation = replay.apply(shrunk instanceof Map<?, ?> m && m.get("originalSchedule") instanceof String original
                    ? original : text(winner, "schedule"));
        }
        if (violation != null && violation.stepLimited()) {
            return new Exploration(null, executions, steps, text(first, "strategy"), elapsed, coverage, best,
                    Inconclusive.of(violation), costs, pruned);
        }
        Inconclusive none = winner == null && executions == 0 ? new Inconclusive.OutOfTime() : null;
        return new Exploration(violation, executions, steps, text(first, "strategy"), elapsed, coverage,
                violation == null ? -1 : executions - 1, none, costs, pruned);
    }

    /**
     * A DFS split among the shards ({@link ShardedDfs}): the union of their tasks in key order;
     * the execution that ends it is replayed from a shard that ran its task.
     */
    private static Exploration mergeDfs(List<Map<String, Object>> combinations, Function<String, RunResult> replay) {
        Map<String, Object> first = combinations.get(0);
        List<ShardedDfs> parts = new ArrayList<>();
        long elapsed = 0;
        for (Map<String, Object> c : combinations) {
            Map<String, Object> d = shard(c);
            if (!"systematic".equals(d.get("coverage")) || !d.containsKey("dfsTasks")) {
                throw new IllegalArgumentException("the shards explored a combination differently");
            }
            sameInEveryShard(first, c, "preemptionBound");
            parts.add(ShardedDfsJson.read(d));
            elapsed = Math.max(elapsed, c.containsKey("elapsedNanos") ? count(c, "elapsedNanos") : 0);
        }
        ShardedDfs.Merged merged = ShardedDfs.merge(parts);
        RunResult ending = null;
        if (merged.end() != null) {
            Map<String, Object> winner = combinations.get(ShardedDfs.shardThatRan(parts, merged.end()));
            Object shrunk = winner.get("shrunk");
            ending = replay.apply(shrunk instanceof Map<?, ?> m && m.get("originalSchedule") instanceof String original
                    ? original : text(winner, "schedule"));
            if (ending.stepLimited() != (merged.end().ending() == ShardedDfs.Ending.STEP_LIMIT)) {
                throw new IllegalArgumentException("the schedule that ended a shard's DFS ends differently here");
            }
        }
        return ShardedDfs.exploration(merged, bound(shard(first)), text(first, "strategy"), elapsed, ending);
    }

    /** The pruned runs of a shard's DFS; 0 from a shard that did not record them. */
    private static long prunedRuns(Map<String, Object> details) {
        return details.containsKey("prunedRuns") ? count(details, "prunedRuns") : 0;
    }

    /**
     * The step limit the shards' executions had: the one recorded where an execution reached it,
     * else the default (a shard whose executions all finished says nothing about it).
     */
    public static long maxSteps(List<Map<String, Object>> combinations) {
        for (Map<String, Object> c : combinations) {
            if (shard(c).get("maxSteps") instanceof Long n && n > 0) {
                return n;
            }
        }
        return Simulation.DEFAULT_MAX_STEPS;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shard(Map<String, Object> combination) {
        if (!(combination.get("shard") instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a combination without shard results");
        }
        return (Map<String, Object>) m;
    }

    /**
     * Refuses one shard's results of a combination when they cannot be: another kind of
     * coverage than the first shard's, a count below 0, a violation index below -1, a portfolio
     * whose DFS ran more executions than the whole, a DFS of another preemption bound.
     */
    private static void validate(Map<String, Object> first, Map<String, Object> combination, String kind) {
        Map<String, Object> d = shard(combination);
        if (!kind.equals(text(d, "coverage"))) {
            throw new IllegalArgumentException("the shards explored a combination differently");
        }
        long v = number(d, "violationIndex");
        if (v < -1) {
            throw new IllegalArgumentException("\"violationIndex\" is " + v + ", below -1");
        }
        count(d, "executions");
        count(d, "steps");
        if (kind.equals("systematic")) {
            sameInEveryShard(first, combination, "preemptionBound");
        }
        // Every shard runs the whole DFS; only a --time budget stops them at different points,
        // and then no order-independent merge exists (the random phase's indices start after it).
        if (kind.equals("systematic")) {
            sameInEveryShard(first, combination, "executions", DFS_RAN_DIFFERENTLY);
            sameInEveryShard(first, combination, "steps", DFS_RAN_DIFFERENTLY);
        }
        if (kind.equals("portfolio")) {
            if (count(d, "dfsExecutions") > count(d, "executions")) {
                throw new IllegalArgumentException("\"dfsExecutions\" exceeds \"executions\"");
            }
        }
    }

    /**
     * Refuses shards that disagree on what every shard of one run has alike (mixed preemption
     * bounds would make the merged result depend on the order of the files).
     */
    private static void sameInEveryShard(Map<String, Object> first, Map<String, Object> other, String key) {
        sameInEveryShard(first, other, key, "");
    }

    /** {@link #sameInEveryShard}, the message ending with {@code why}. */
    private static void sameInEveryShard(Map<String, Object> first, Map<String, Object> other, String key,
            String why) {
        long a = count(shard(first), key);
        long b = count(shard(other), key);
        if (a != b) {
            throw new IllegalArgumentException("the shards disagree on \"" + key + "\" (" + a + " and " + b + ")" + why);
        }
    }

    private static int bound(Map<String, Object> shard) {
        long bound = count(shard, "preemptionBound");
        if (bound > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("\"preemptionBound\" is out of range");
        }
        return (int) bound;
    }

    private static long add(long a, long b) {
        if (a > Long.MAX_VALUE - b) {
            throw new IllegalArgumentException("the shards' counts add up past " + Long.MAX_VALUE);
        }
        return a + b;
    }

    /** A number that counts something: at least 0. */
    private static long count(Map<String, Object> m, String key) {
        long n = number(m, key);
        if (n < 0) {
            throw new IllegalArgumentException("\"" + key + "\" is " + n + ", a count below 0");
        }
        return n;
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return s;
    }

    private static long number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Long n)) {
            throw new IllegalArgumentException("missing number \"" + key + "\"");
        }
        return n;
    }
}
