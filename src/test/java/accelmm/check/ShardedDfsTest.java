package accelmm.check;

import static accelmm.check.DfsModels.Step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Strategy.Dfs} split with {@link Shard}s: the merge of every shard's part gives the
 * verdict, counts, completeness and first violation of one unsharded search; one shard alone
 * is never complete.
 */
public class ShardedDfsTest {

    /** Three actors writing and reading two cells: hundreds of executions, so many tasks. */
    private static final List<List<Step>> ACTORS = List.of(
            List.of(new Step(0, true), new Step(1, false), new Step(0, true)),
            List.of(new Step(1, true), new Step(0, false), new Step(1, true)),
            List.of(new Step(0, false), new Step(1, true), new Step(0, false)));

    private static final List<List<DfsModels.Op>> OPS = List.of(
            List.of(new DfsModels.Op(DfsModels.Kind.WRITE, 0), new DfsModels.Op(DfsModels.Kind.READ, 1),
                    new DfsModels.Op(DfsModels.Kind.COMPLETE, 0)),
            List.of(new DfsModels.Op(DfsModels.Kind.LOCKED_WRITE, 1), new DfsModels.Op(DfsModels.Kind.READ, 0),
                    new DfsModels.Op(DfsModels.Kind.CHOOSE, 1)),
            List.of(new DfsModels.Op(DfsModels.Kind.WAIT, 0), new DfsModels.Op(DfsModels.Kind.LOCKED_WRITE, 0)));

    private static final int[] BOUNDS = {2, Strategy.Dfs.UNBOUNDED};

    /** Every shard of {@code n}, each on a model of its own. */
    static List<Exploration> shards(Supplier<Model> model, Strategy.Dfs s, Budget budget, int n) {
        List<Exploration> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parts.add(new Explorer().explore(model.get(), s, budget.withShard(new Shard(i, n))));
        }
        return parts;
    }

    /** The merge of a DFS's shards reports what one run does: verdict, counts, coverage, costs, violation. */
    public static void assertSame(String what, Exploration one, Exploration merged) {
        assertThat(merged.violated()).as(what).isEqualTo(one.violated());
        assertThat(merged.conclusive()).as(what).isEqualTo(one.conclusive());
        assertThat(merged.executions()).as(what).isEqualTo(one.executions());
        assertThat(merged.steps()).as(what).isEqualTo(one.steps());
        assertThat(merged.prunedRuns()).as(what).isEqualTo(one.prunedRuns());
        assertThat(merged.coverage()).as(what).isEqualTo(one.coverage());
        assertThat(merged.violationIndex()).as(what).isEqualTo(one.violationIndex());
        assertThat(merged.costs().toString()).as(what).isEqualTo(one.costs().toString());
        if (one.violated()) {
            assertThat(merged.firstViolation().schedule()).as(what).isEqualTo(one.firstViolation().schedule());
            assertThat(merged.firstViolation().trace().render()).as(what)
                    .isEqualTo(one.firstViolation().trace().render());
        }
    }

    private static void assertMergeIsOneRun(Supplier<Model> model, Strategy.Dfs s, Budget budget) {
        Exploration one = new Explorer().explore(model.get(), s, budget);
        for (int n : new int[] {2, 3}) {
            assertSame(s.describe() + ", " + n + " shards", one, ShardedDfs.merge(shards(model, s, budget, n), s));
        }
    }

    @Test
    void merge_everyShardOfACleanSearch_sameAsOneRun() {
        for (Strategy.Reduction reduction : Strategy.Reduction.values()) {
            for (int bound : BOUNDS) {
                Strategy.Dfs s = new Strategy.Dfs(bound, reduction);
                assertMergeIsOneRun(() -> DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null));
                if (bound != Strategy.Dfs.UNBOUNDED) {
                    // Unbounded, it has tens of thousands of executions: the cells cover that.
                    assertMergeIsOneRun(() -> DfsModels.ops(OPS, 2, true, new TreeSet<>(), null), s,
                            new Budget(1_000_000, null));
                }
            }
        }
    }

    @Test
    void merge_shardsOfAViolatingSearch_sameFirstViolationAsOneRun() {
        // The end state the search reaches last: every task before it must be counted.
        for (Strategy.Reduction reduction : Strategy.Reduction.values()) {
            for (int bound : BOUNDS) {
                Strategy.Dfs s = new Strategy.Dfs(bound, reduction);
                List<String> order = new ArrayList<>();
                TreeSet<String> ends = new TreeSet<>();
                new Explorer().explore(DfsModels.cells(ACTORS, 2, true, ends, null), s, new Budget(1_000_000, null));
                order.addAll(ends);
                for (String target : List.of(order.get(order.size() / 2), order.get(order.size() - 1))) {
                    assertMergeIsOneRun(() -> DfsModels.cells(ACTORS, 2, true, new TreeSet<>(), target), s,
                            new Budget(1_000_000, null));
                }
            }
        }
    }

    @Test
    void explore_oneShardAlone_isNeverComplete() {
        Strategy.Dfs s = new Strategy.Dfs(2);
        Exploration one = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null));
        List<Exploration> parts = shards(() -> DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null), 2);
        assertThat(one.complete()).isTrue();
        for (Exploration part : parts) {
            assertThat(part.complete()).isFalse();
            assertThat(part.executions()).isLessThan(one.executions());
        }
        assertThat(ShardedDfs.merge(parts, s).complete()).isTrue();
    }

    @Test
    void merge_withAShardMissing_isIncompleteOrShort() {
        Strategy.Dfs s = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE);
        Exploration one = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null));
        List<Exploration> parts = shards(() -> DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null), 3);
        Exploration two = ShardedDfs.merge(parts.subList(0, 2), s);
        assertThat(two.executions()).isLessThan(one.executions());
    }

    @Test
    void merge_budgetCutsTheSearch_countsATaskOnlyWhole() {
        Strategy.Dfs s = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE);
        long space = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s, new Budget(1_000_000, null))
                .executions();
        for (long max : new long[] {1, DfsTask.DONATE_EVERY + 1, space / 2, space - 1, space}) {
            Budget budget = new Budget(max, null);
            Exploration one = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s, budget);
            for (int n : new int[] {2, 3}) {
                Exploration m = ShardedDfs.merge(shards(() -> DfsModels.cells(ACTORS, 2, true), s, budget, n), s);
                assertThat(m.complete()).as("budget %d, %d shards", max, n).isEqualTo(one.complete());
                assertThat(m.executions()).as("budget %d, %d shards", max, n).isLessThanOrEqualTo(one.executions());
                if (one.complete()) {
                    assertSame("budget " + max, one, m);
                }
            }
        }
    }

    @Test
    void explore_shardOnSeveralThreads_reportsTheSameTasksAsOnOne() {
        Strategy.Dfs s = new Strategy.Dfs(Strategy.Dfs.UNBOUNDED);
        TreeSet<String> ends = new TreeSet<>();
        new Explorer().explore(DfsModels.cells(ACTORS, 2, true, ends, null), s, new Budget(1_000_000, null));
        String target = new ArrayList<>(ends).get(ends.size() / 2);
        for (Budget budget : List.of(new Budget(1_000_000, null), new Budget(500, null))) {
            for (int i = 1; i <= 2; i++) {
                Budget part = budget.withShard(new Shard(i, 2));
                Exploration one = new Explorer().explore(DfsModels.cells(ACTORS, 2, true, new TreeSet<>(), target), s,
                        part);
                Exploration three = new Explorer().explore(DfsModels.cells(ACTORS, 2, true,
                        java.util.Collections.synchronizedSet(new TreeSet<>()), target), s, part.withJobs(3));
                assertThat(describe(three.shardedDfs())).isEqualTo(describe(one.shardedDfs()));
            }
        }
    }

    private static List<String> describe(ShardedDfs part) {
        return part.tasks().stream().map(t -> Arrays.toString(t.key()) + " " + t.executions() + " " + t.steps() + " "
                + t.prunedRuns() + " " + t.exhausted() + " " + t.boundHit() + " " + t.ending() + " " + t.costs()).toList();
    }

    @Test
    void merge_shardsOfDifferentBudgets_refused() {
        Strategy.Dfs s = new Strategy.Dfs(2);
        Exploration a = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s,
                new Budget(1_000, null).withShard(new Shard(1, 2)));
        Exploration b = new Explorer().explore(DfsModels.cells(ACTORS, 2, true), s,
                new Budget(2_000, null).withShard(new Shard(2, 2)));
        assertThatThrownBy(() -> ShardedDfs.merge(List.of(a.shardedDfs(), b.shardedDfs())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different budgets");
    }

    @Test
    void owner_dependsOnlyOnTheKey_andSpreadsTasks() {
        int[] counts = new int[3];
        for (int h = 0; h < 30; h++) {
            for (int k = 0; k < 3; k++) {
                int owner = ShardedDfs.owner(new int[] {-h, k}, 3);
                assertThat(owner).isEqualTo(ShardedDfs.owner(new int[] {-h, k}, 3)).isBetween(1, 3);
                counts[owner - 1]++;
            }
        }
        assertThat(Arrays.stream(counts).min().orElseThrow()).isGreaterThan(10);
    }
}
