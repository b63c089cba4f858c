package accelmm.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * What one {@link Shard} of a {@link Strategy.Dfs} search ran, task by task ({@link DfsTask}),
 * and the merge of every shard's part into the result one unsharded search gives.
 *
 * <p>Design note. Every shard runs the root task (the shared top of the tree). A task the root
 * hands over or requests goes to shard {@link #owner}: a hash of its key modulo the number of
 * shards; a task made by a task the shard runs otherwise (handed over or requested by it) stays
 * in that shard. A task's executions, its hand-overs and its requests depend only on its key: its
 * prefix is canonical (the copies of handed-over decisions carry what the decision held when it
 * was handed over, {@link DfsNode#copyChoosing}), and nothing another task does reaches it. So
 * two shards that both run a requested task run the same executions, and the union of the
 * shards' tasks, counted once per key, is the set of tasks of the unsharded search. The merge
 * assembles the union in key order as {@link DfsSearch} does: the executions up to the first that
 * violated or reached the step limit, complete only if every task finished its subtree.
 *
 * <p>A shard stops a task only when the tasks before it in the order hold a violation or the
 * budget's executions among its own tasks; the unsharded search has at least those before it,
 * so it would have stopped the task there too. So a shard reports its tasks in order up to its
 * first violation or the end of its budget (the task that reaches it with the executions that
 * fit), as {@link DfsSearch} counts them: what lies beyond cannot count in the merged search,
 * and what it reports does not depend on how many threads ran it. Under a budget the merge
 * counts the tasks that fit in it whole: a shard keeps no per-execution counts to cut the next
 * task where the unsharded search would, so a merged search cut by the budget may report fewer
 * executions than one run (incomplete, as that one is).
 *
 * @param maxExecutions the budget the shard ran with, which the merge cuts at
 * @param tasks the tasks the shard ran that can count, in key order
 * @param beyondBudget whether tasks lay past the shard's budget: past the merged search's too,
 *     which is then incomplete
 */
public record ShardedDfs(long maxExecutions, List<Task> tasks, boolean beyondBudget) {

    /** How a task's last execution ended the search, if it did. */
    public enum Ending {
        /** It did not: the task ran out of its subtree, or was stopped. */
        NONE,
        /** Its last execution broke an invariant. */
        VIOLATION,
        /** Its last execution reached the step limit. */
        STEP_LIMIT
    }

    /**
     * One task's results: its {@code key} (the order of the unsharded search), its executions
     * with their steps and costs, the runs it pruned, whether it explored its whole subtree
     * ({@code exhausted}) and left something out for the preemption bound, and how it ended.
     */
    public record Task(int[] key, long executions, long steps, long prunedRuns, boolean exhausted, boolean boundHit,
            Ending ending, CostSummary costs) {

        /** The results of a task that has finished running. */
        static Task of(DfsTask t) {
            RunResult v = t.violation();
            Ending ending = v == null ? Ending.NONE : v.stepLimited() ? Ending.STEP_LIMIT : Ending.VIOLATION;
            long n = t.executions();
            return new Task(t.key.clone(), n, t.stepsOf(n), t.pruned(), t.exhausted(), t.boundHit(), ending,
                    t.costsOf(n).copy());
        }

        /**
         * The first {@code n} executions of a task the shard's budget cut: it explored not all
         * of its subtree and left nothing out that counts, as {@link DfsSearch} counts a cut task.
         */
        static Task cut(DfsTask t, long n) {
            return new Task(t.key.clone(), n, t.stepsOf(n), 0, false, false, Ending.NONE, t.costsOf(n).copy());
        }

        /** Whether the same task's results from another shard can be: then they are the same. */
        boolean agrees(Task other) {
            return executions == other.executions && steps == other.steps && prunedRuns == other.prunedRuns
                    && exhausted == other.exhausted && boundHit == other.boundHit && ending == other.ending;
        }
    }

    /**
     * The merged search: its counts, whether it is complete and hit its bound, and the task whose
     * last execution ends it ({@code null} for a clean search).
     */
    public record Merged(long executions, long steps, long prunedRuns, CostSummary costs, boolean complete,
            boolean boundHit, Task end) {
    }

    public ShardedDfs {
        tasks = List.copyOf(tasks);
    }

    /**
     * The shard of {@code count} that runs a task the root hands over or requests: a hash of
     * {@code key} (the same in every JVM), so that every shard agrees without talking.
     */
    static int owner(int[] key, int count) {
        long h = 0;
        for (int k : key) {
            h = Explorer.mix(h, k);
        }
        return (int) Math.floorMod(h, (long) count) + 1;
    }

    /**
     * The union of {@code shards}' tasks, each key once, assembled in key order up to {@code
     * maxExecutions} executions. Shards that ran one task to different results, or ran with
     * different budgets, are refused (IllegalArgumentException).
     */
    public static Merged merge(Collection<ShardedDfs> shards) {
        TreeMap<int[], Task> union = new TreeMap<>(Arrays::compare);
        long max = -1;
        boolean beyondBudget = false;
        for (ShardedDfs s : shards) {
            if (max >= 0 && s.maxExecutions != max) {
                throw new IllegalArgumentException("the shards ran their DFS with different budgets (" + max + " and "
                        + s.maxExecutions + " executions)");
            }
            max = s.maxExecutions;
            beyondBudget |= s.beyondBudget;
            for (Task t : s.tasks) {
                union.merge(t.key(), t, ShardedDfs::either);
            }
        }
        Merged m = assemble(new ArrayList<>(union.values()), max);
        return beyondBudget && m.complete()
                ? new Merged(m.executions(), m.steps(), m.prunedRuns(), m.costs(), false, m.boundHit(), null) : m;
    }

    /**
     * Of one task run by two shards, the one that went further (a shard stops a task the
     * unsharded search stops too); two that both finished must agree.
     */
    private static Task either(Task a, Task b) {
        if (a.exhausted() && b.exhausted() && !a.agrees(b)) {
            throw new IllegalArgumentException("two shards ran the DFS task " + Arrays.toString(a.key())
                    + " to different results; were they run by different versions of accelmm?");
        }
        return b.executions() > a.executions() || (b.exhausted() && !a.exhausted()) ? b : a;
    }

    /**
     * The index of a shard in {@code parts} that ran {@code task} to its ending (a shard whose
     * budget cut the task holds it with no ending).
     */
    public static int shardThatRan(List<ShardedDfs> parts, Task task) {
        for (int i = 0; i < parts.size(); i++) {
            for (Task t : parts.get(i).tasks()) {
                if (Arrays.equals(t.key(), task.key()) && t.ending() == task.ending()) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no shard ran the task that ends the merged search");
    }

    /**
     * The shards' explorations of one DFS ({@code strategy}), every shard's once, merged in
     * process: the exploration one unsharded search reports, its ending taken from a shard that
     * ran the task it lies in.
     */
    public static Exploration merge(List<Exploration> shards, Strategy.Dfs strategy) {
        Merged m = merge(shards.stream().map(Exploration::shardedDfs).toList());
        RunResult ending = null;
        if (m.end() != null) {
            Exploration winner = shards.get(shardThatRan(shards.stream().map(Exploration::shardedDfs).toList(), m.end()));
            ending = winner.firstViolation() != null ? winner.firstViolation()
                    : ((Inconclusive.StepLimit) winner.inconclusive()).run();
        }
        return exploration(m, strategy.preemptionBound(), strategy.describe(), 0, ending);
    }

    /**
     * The exploration one unsharded search reports, from the merge {@code m}: {@code ending} is
     * the execution that ends it (the last of {@code m.end()}), {@code null} for a clean one.
     */
    public static Exploration exploration(Merged m, int preemptionBound, String strategy, long elapsedNanos,
            RunResult ending) {
        if ((m.end() == null) != (ending == null)) {
            throw new IllegalArgumentException("a merged DFS ends with an execution exactly when a task ended it");
        }
        Coverage.Systematic coverage = new Coverage.Systematic(preemptionBound, m.complete(), m.boundHit());
        long last = ending == null ? -1 : m.executions() - 1;
        Inconclusive why = ending != null && ending.stepLimited() ? Inconclusive.of(ending) : null;
        return new Exploration(why == null ? ending : null, m.executions(), m.steps(), strategy, elapsedNanos, coverage,
                last, why, m.costs(), m.prunedRuns());
    }

    /** {@code tasks} in key order, counted as {@link DfsSearch} counts its tasks. */
    private static Merged assemble(List<Task> tasks, long max) {
        long counted = 0;
        long steps = 0;
        long pruned = 0;
        CostSummary costs = new CostSummary();
        boolean complete = true;
        boolean boundHit = false;
        for (Task t : tasks) {
            if (counted + t.executions() > max) {
                // Its first executions would count; a shard does not keep them one by one.
                complete = false;
                break;
            }
            counted += t.executions();
            steps += t.steps();
            pruned += t.prunedRuns();
            costs.addAll(t.costs());
            if (t.ending() != Ending.NONE) {
                return new Merged(counted, steps, pruned, costs, false, boundHit, t);
            }
            boundHit |= t.boundHit();
            if (!t.exhausted()) {
                complete = false;
                if (counted == max) {
                    break;
                }
            }
        }
        return new Merged(counted, steps, pruned, costs, complete, boundHit, null);
    }
}
