package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Hears the expected sizes; shows them as a live progress line would. */
    private static final class Expecting implements Progress {
        final List<Double> expected = new ArrayList<>();

        @Override
        public void update(Model model, String phase, long executions) {
        }

        @Override
        public boolean showsEstimates() {
            return true;
        }

        @Override
        public void expect(Model model, double executions, boolean upperBound) {
            expected.add(executions);
        }

        @Override
        public void finished(Model model) {
        }
    }

    @Test
    void explore_progressShowsEstimates_expectsEveryUnshardedDfsCappedAtTheBudgetAndFindsTheSame() {
        Strategy.Dfs s = new Strategy.Dfs(0);
        long size = DfsModels.interleavings(0, 2, 2, 2);
        Expecting progress = new Expecting();
        Exploration plain = new Explorer().explore(DfsModels.points(2, 2, 2), s, new Budget(1_000, null));
        Exploration shown = new Explorer().explore(DfsModels.points(2, 2, 2), s,
                new Budget(1_000, null).withProgress(progress));
        new Explorer().explore(DfsModels.points(2, 2, 2), s, new Budget(2, null).withProgress(progress));
        new Explorer().explore(DfsModels.points(2, 2, 2), s,
                new Budget(1_000, null).withProgress(progress).withShard(new Shard(1, 2)));

        assertThat(progress.expected).containsExactly((double) size, 2.0);
        assertThat(shown.executions()).isEqualTo(plain.executions()).isEqualTo(size);
        assertThat(shown.steps()).isEqualTo(plain.steps());
    }

    @Test
    void executions_stopPassed_probesNoMoreAndSaysSo() {
        AtomicInteger runs = new AtomicInteger();
        Model counted = (choices, trace) -> {
            runs.incrementAndGet();
            return DfsModels.points(2, 2).execute(choices, trace);
        };

        // Stopped after the third probe has begun.
        double e = SearchEstimate.executions(counted, new Strategy.Dfs(2), 32, 1, () -> runs.get() >= 3);
        double none = SearchEstimate.executions(counted, new Strategy.Dfs(2), 32, 1, () -> true);

        assertThat(runs.get()).isEqualTo(3);
        assertThat(e).isPositive();
        assertThat(none).isNaN();
    }
}
