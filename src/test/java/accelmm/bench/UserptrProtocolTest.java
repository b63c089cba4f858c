package accelmm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.InvariantKind;
import accelmm.check.Strategy;
import accelmm.check.Strategy.Reduction;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link UserptrProtocol}, the benchmark's protocol model: it behaves as the Promela model does
 * (clean with the retry, a use-after-free without), and neither sleep sets, DPOR nor state
 * caching lose what the unreduced search reaches: sleep sets every state, DPOR every end state
 * and every violation. The reference is the unreduced search, stateless within a preemption
 * bound for one copy; unbounded, or for two copies, it caches states and does nothing else (the
 * classic stateful search, which reaches every state by construction): every interleaving of
 * one copy is about a million executions for a stateless search, tens of seconds.
 */
class UserptrProtocolTest {

    private static final int BOUND = 3;

    private static Exploration dfs(UserptrProtocol model, Strategy.Dfs strategy) {
        return new Explorer().explore(model, strategy, new Budget(10_000_000, null));
    }

    @Test
    void retry_threePreemptions_cleanAndComplete() {
        Exploration e = dfs(new UserptrProtocol(1, true, null), new Strategy.Dfs(BOUND));

        assertThat(e.violated()).isFalse();
        assertThat(e.complete()).isTrue();
    }

    @Test
    void noRetry_dfs_findsTheUseAfterFree() {
        Exploration e = dfs(new UserptrProtocol(1, false, null), new Strategy.Dfs(BOUND, Reduction.DPOR, false));

        assertThat(e.violated()).isTrue();
        assertThat(e.firstViolation().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }

    @Test
    void noRetry_cachingUnbounded_findsTheUseAfterFree() {
        Exploration e = dfs(new UserptrProtocol(1, false, null), new Strategy.Dfs(Strategy.Dfs.UNBOUNDED));

        assertThat(e.violated()).isTrue();
        assertThat(e.firstViolation().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }

    @Test
    void sleepSets_reachEveryStateThePlainSearchReaches() {
        Set<UserptrProtocol.State> plain = new HashSet<>();
        Set<UserptrProtocol.State> sleep = new HashSet<>();

        long plainRuns = dfs(new UserptrProtocol(1, true, plain), new Strategy.Dfs(BOUND, Reduction.NONE, false))
                .executions();
        long sleepRuns = dfs(new UserptrProtocol(1, true, sleep), new Strategy.Dfs(BOUND, Reduction.SLEEP, false))
                .executions();

        assertThat(sleep).isEqualTo(plain);
        assertThat(sleepRuns).isLessThan(plainRuns);
    }

    /**
     * Every reduction with state caching against a reference that reaches every state: the
     * unreduced search, without caching within a bound of 3 for one copy, else with nothing but
     * caching (the classic stateful search); for two copies unbounded, sleep sets with caching
     * (the unreduced one takes half a minute there, and the one-copy cases check sleep sets with
     * caching against it). The same verdict; sleep sets keep every state, DPOR every end state
     * (it visits one order of steps that commute, so not every state on the way); and the cache
     * is used.
     */
    @ParameterizedTest(name = "{0} copies, retry {1}, bound {2}, {3} against {4}")
    @CsvSource({
        "1, true, 3, NONE, NONE", "1, true, 3, SLEEP, NONE", "1, true, 3, DPOR, NONE",
        "1, false, 3, NONE, NONE", "1, false, 3, SLEEP, NONE", "1, false, 3, DPOR, NONE",
        "1, true, -1, SLEEP, NONE", "1, true, -1, DPOR, NONE",
        "1, false, -1, SLEEP, NONE", "1, false, -1, DPOR, NONE",
        "2, true, 1, SLEEP, NONE", "2, true, 1, DPOR, NONE", "2, false, 1, DPOR, NONE",
        "2, true, -1, DPOR, SLEEP", "2, false, -1, DPOR, SLEEP",
    })
    void stateCaching_anyReduction_sameVerdictAndStatesAsTheReference(int copies, boolean retry, int bound,
            Reduction reduction, Reduction referenceReduction) {
        int k = bound < 0 ? Strategy.Dfs.UNBOUNDED : bound;
        Set<UserptrProtocol.State> reference = new HashSet<>();
        Set<UserptrProtocol.State> cached = new HashSet<>();

        Exploration ref = dfs(new UserptrProtocol(copies, retry, reference),
                new Strategy.Dfs(k, referenceReduction, copies > 1 || bound < 0));
        Exploration e = dfs(new UserptrProtocol(copies, retry, cached), new Strategy.Dfs(k, reduction, true));

        assertThat(e.violated()).isEqualTo(ref.violated()).isEqualTo(!retry);
        if (retry) {
            assertThat(e.complete()).isTrue();
            if (reduction == Reduction.DPOR) {
                assertThat(ends(cached, copies)).isEqualTo(ends(reference, copies)).isNotEmpty();
            } else {
                assertThat(cached).isEqualTo(reference);
            }
        }
        assertThat(e.cacheHits()).isPositive();
        assertThat(e.statesStored()).isPositive();
    }

    @Test
    void stateCaching_noReductionOneCopy_reachesEveryStateOfTheStatelessSearch() {
        Set<UserptrProtocol.State> stateless = new HashSet<>();
        Set<UserptrProtocol.State> cached = new HashSet<>();

        long statelessRuns = dfs(new UserptrProtocol(1, true, stateless),
                new Strategy.Dfs(BOUND, Reduction.NONE, false)).executions();
        Exploration e = dfs(new UserptrProtocol(1, true, cached), new Strategy.Dfs(BOUND, Reduction.NONE, true));

        assertThat(cached).isEqualTo(stateless);
        assertThat(e.executions()).isLessThan(statelessRuns);
    }

    private static Set<UserptrProtocol.State> ends(Set<UserptrProtocol.State> states, int copies) {
        Set<UserptrProtocol.State> out = new HashSet<>();
        for (UserptrProtocol.State s : states) {
            if (UserptrProtocol.finished(s, copies)) {
                out.add(s);
            }
        }
        return out;
    }
}
