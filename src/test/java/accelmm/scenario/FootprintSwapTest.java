package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.AdjacentSwaps;
import accelmm.check.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Observed footprints commute where they say they do: in random executions of every catalog
 * scenario under every design combination, two adjacent stretches of two actors whose
 * footprints do not conflict, run the other way round, give the same decisions, the same
 * footprints, the same operations and results per actor and the same verdict (leaks,
 * refcounts, deadlock and every other end-of-run check). DPOR and sleep sets explore only one
 * order of such stretches; a footprint that misses shared state would make them lose the
 * other order's outcome, and fails here with the two stretches named ({@link AdjacentSwaps}).
 */
class FootprintSwapTest {

    /** Seeds 1 to this of every combination: some 4,500 swaps over the catalog, about 15 s. */
    private static final int SEEDS = 32;
    /** Swapped pairs per execution at most, spread over it. */
    private static final int PAIRS_PER_RUN = 12;

    /** Entries whose runs make no scheduling decision (one actor at a time): nothing to swap. */
    private static final java.util.Set<String> NO_DECISIONS = java.util.Set.of("exec-cloexec", "munmap-split",
            "self-join-deadlock", "accel-revoke-refuses-pinned-mr", "guest-wc-export", "guest-wc-export-forced-wb",
            "guest-vmm-remap");

    static Stream<String> entryNames() {
        return Catalog.entries().stream().map(Catalog.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void swapIndependentStretches_catalogEntry_sameDecisionsEndAndVerdict(String name) {
        Scenario scenario = Catalog.find(name).scenario();
        List<String> problems = new ArrayList<>();
        int swapped = 0;
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            AdjacentSwaps swaps = new AdjacentSwaps(new ScenarioModel(scenario, combination),
                    FootprintSwapTest::perActor);
            for (long seed = 1; seed <= SEEDS; seed++) {
                for (String p : swaps.check(seed, PAIRS_PER_RUN)) {
                    problems.add(name + " " + ScenarioChecker.describe(combination) + " " + p);
                }
            }
            swapped += swaps.swapped();
        }
        assertThat(problems).as("swaps of stretches declared independent that did not commute").isEmpty();
        if (!NO_DECISIONS.contains(name)) {
            assertThat(swapped).as("swaps replayed for %s", name).isPositive();
        }
    }

    /**
     * The swap the replay must adapt to: the timeout handler's {@code devcoredump gpu0}, which
     * queues the dump worker, then A's {@code await dumped}, which blocks. The other way round,
     * A blocks first and leaves the handler the only runnable actor, so it continues without
     * the decision that chose it, and the worker becomes runnable only after.
     */
    @Test
    void swapIndependentStretches_secondStretchBlocksBeforeTheFirstWakesAnyone_skipsTheDecisionAndCommutes() {
        Scenario scenario = Catalog.find("devcoredump-userptr").scenario();
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            AdjacentSwaps swaps = new AdjacentSwaps(new ScenarioModel(scenario, combination),
                    FootprintSwapTest::perActor);

            List<String> problems = swaps.check(2, Integer.MAX_VALUE);

            assertThat(problems).isEmpty();
            assertThat(swaps.skipped()).as(ScenarioChecker.describe(combination)).isPositive();
        }
    }

    /** Each actor's operations and results in its own order (the verdict is compared apart). */
    private static String perActor(RunResult r) {
        return FootprintSoundnessTest.outcome(r);
    }
}
