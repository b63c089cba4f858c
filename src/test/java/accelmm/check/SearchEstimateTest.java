package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Knuth's estimate of a DFS's executions on trees of known size ({@link
 * DfsModels#interleavings}): exact where every path has the same branching, close to the size
 * on average elsewhere (the estimator is unbiased).
 */
class SearchEstimateTest {

    @Test
    void estimate_noPreemptions_exactOnEveryProbe() {
        // Without preemptions an actor runs to its end: every path branches 3, 2, 1.
        double e = SearchEstimate.executions(DfsModels.points(2, 2, 2), new Strategy.Dfs(0), 1, 7);

        assertThat(e).isEqualTo((double) DfsModels.interleavings(0, 2, 2, 2));
    }

    @Test
    void estimate_unboundedManyProbes_nearTheNumberOfInterleavings() {
        double e = SearchEstimate.executions(DfsModels.points(2, 3), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED),
                4_000, 1);

        long size = DfsModels.interleavings(Integer.MAX_VALUE, 2, 3);
        assertThat(e).isCloseTo(size, within(size * 0.1));
    }

    @Test
    void estimate_boundedManyProbes_nearTheBoundedTreeNotTheWholeOne() {
        double e = SearchEstimate.executions(DfsModels.points(3, 3, 3), new Strategy.Dfs(1), 4_000, 1);

        long size = DfsModels.interleavings(1, 3, 3, 3);
        assertThat(size).isLessThan(DfsModels.interleavings(Integer.MAX_VALUE, 3, 3, 3) / 10);
        assertThat(e).isCloseTo(size, within(size * 0.1));
    }

    @Test
    void worthIt_unboundedOrOverAHundredThousand() {
        assertThat(SearchEstimate.worthIt(new Strategy.Dfs(Strategy.Dfs.UNBOUNDED), new Budget(10, null))).isTrue();
        assertThat(SearchEstimate.worthIt(new Strategy.Dfs(2), new Budget(100_001, null))).isTrue();
        assertThat(SearchEstimate.worthIt(new Strategy.Dfs(2), new Budget(100_000, null))).isFalse();
    }
}
