package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.AdjacentSwaps;
import accelmm.check.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6};
    /** Swapped pairs per execution, spread over it: the catalog in about half a minute. */
    private static final int PAIRS_PER_RUN = 6;

    static Stream<String> entryNames() {
        return Catalog.entries().stream().map(Catalog.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void swapIndependentStretches_catalogEntry_sameDecisionsEndAndVerdict(String name) {
        Scenario scenario = Catalog.find(name).scenario();
        List<String> problems = new ArrayList<>();
        int swapped = 0;
        int skipped = 0;
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            AdjacentSwaps swaps = new AdjacentSwaps(new ScenarioModel(scenario, combination),
                    FootprintSwapTest::perActor);
            for (long seed : SEEDS) {
                for (String p : swaps.check(seed, PAIRS_PER_RUN)) {
                    problems.add(name + " " + ScenarioChecker.describe(combination) + " " + p);
                }
            }
            swapped += swaps.swapped();
            skipped += swaps.skipped();
        }
        System.out.println(name + " swapped " + swapped + " skipped " + skipped);
        assertThat(problems).as("swaps of stretches declared independent that did not commute").isEmpty();
    }

    /** Each actor's operations and results in its own order (the verdict is compared apart). */
    private static String perActor(RunResult r) {
        return FootprintSoundnessTest.outcome(r);
    }
}
