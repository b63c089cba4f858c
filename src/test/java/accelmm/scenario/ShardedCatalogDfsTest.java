package accelmm.scenario;

import static accelmm.check.ShardedDfsTest.assertSame;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.Shard;
import accelmm.check.ShardedDfs;
import accelmm.check.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A DFS of catalog scenarios split into 2 and 3 {@link Shard}s: merging the shards' parts gives
 * the verdict, counts, completeness and first violation of one unsharded search, under every
 * reduction; each shard alone is incomplete.
 */
class ShardedCatalogDfsTest {

    private static final List<String> ENTRIES = List.of("userptr-munmap-race", "prime-lifetime");

    @Test
    void merge_shardsOfCatalogDfs_sameAsOneRunForEveryReduction() {
        Budget budget = new Budget(100_000, null);
        long split = 0;
        for (String name : ENTRIES) {
            Scenario scenario = Catalog.find(name).scenario();
            for (Map<DesignKey, String> combination : DesignMatrix.combinations(scenario)) {
                for (Strategy.Reduction reduction : Strategy.Reduction.values()) {
                    for (int bound : new int[] {1, 2}) {
                        Strategy.Dfs s = new Strategy.Dfs(bound, reduction);
                        String what = name + " " + combination + " " + s.describe();
                        Exploration one = new Explorer().explore(new ScenarioModel(scenario, combination), s, budget);
                        for (int n : new int[] {2, 3}) {
                            List<Exploration> parts = new ArrayList<>();
                            for (int i = 1; i <= n; i++) {
                                Exploration part = new Explorer().explore(new ScenarioModel(scenario, combination), s,
                                        budget.withShard(new Shard(i, n)));
                                assertThat(part.complete()).as(what).isFalse();
                                split += one.executions() - part.executions();
                                parts.add(part);
                            }
                            assertSame(what + ", " + n + " shards", one, ShardedDfs.merge(parts, s));
                        }
                    }
                }
            }
        }
        // Some shard ran less than the whole search: the search was split.
        assertThat(split).isPositive();
    }
}
