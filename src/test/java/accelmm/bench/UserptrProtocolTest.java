package accelmm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.InvariantKind;
import accelmm.check.Strategy;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link UserptrProtocol}, the benchmark's protocol model: it behaves as the Promela model does
 * (clean with the retry, a use-after-free without), and sleep sets lose none of its states.
 * (Every interleaving of one copy is about a million executions for a stateless search, tens of
 * seconds: the tests bound the preemptions.)
 */
class UserptrProtocolTest {

    private static final Strategy.Dfs BOUNDED = new Strategy.Dfs(3);

    private static Exploration dfs(UserptrProtocol model, Strategy.Dfs strategy) {
        return new Explorer().explore(model, strategy, new Budget(10_000_000, null));
    }

    @Test
    void retry_threePreemptions_cleanAndComplete() {
        Exploration e = dfs(new UserptrProtocol(1, true, null), BOUNDED);

        assertThat(e.violated()).isFalse();
        assertThat(e.complete()).isTrue();
    }

    @Test
    void noRetry_dfs_findsTheUseAfterFree() {
        Exploration e = dfs(new UserptrProtocol(1, false, null), BOUNDED);

        assertThat(e.violated()).isTrue();
        assertThat(e.firstViolation().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }

    @Test
    void sleepSets_reachEveryStateThePlainSearchReaches() {
        Set<UserptrProtocol.State> plain = new HashSet<>();
        Set<UserptrProtocol.State> sleep = new HashSet<>();

        long plainRuns = dfs(new UserptrProtocol(1, true, plain), new Strategy.Dfs(3, false))
                .executions();
        long sleepRuns = dfs(new UserptrProtocol(1, true, sleep), BOUNDED).executions();

        assertThat(sleep).isEqualTo(plain);
        assertThat(sleepRuns).isLessThan(plainRuns);
    }
}
