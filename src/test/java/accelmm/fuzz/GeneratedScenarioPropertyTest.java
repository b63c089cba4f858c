package accelmm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Strategy;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random valid scenarios end every execution in a verdict of the model (clean, a broken
 * invariant, a deadlock, a failed expectation), never in an internal error, and executing a
 * schedule again gives the same trace. The scenarios come from {@link ScenarioPlan} and {@link
 * ScenarioWriter}: up to three processes, their forked children and grandchildren, one or two
 * small-VRAM GPUs and kernel threads, racing over the operations the model runs. Each is
 * explored under every design combination by a few random walks and PCT runs ({@link
 * InternalErrorSearch}); on scenarios like these they found more kinds of internal error per
 * second than a DFS bounded to one or two preemptions.
 *
 * <p>The seeds are fixed, so a run is reproducible; a failure prints the scenario, the
 * combination and the {@code bin/accelmm replay} command of the failing execution. Longer
 * searches: {@code bin/fuzz} (README, Development).
 */
class GeneratedScenarioPropertyTest {

    private static final InternalErrorSearch SEARCH = new InternalErrorSearch(new Strategy.Mixed(1), 24);

    @Property(tries = 300, seed = "20260301", edgeCases = EdgeCasesMode.NONE)
    void generatedScenario_loadsForRunning(@ForAll("scenarios") GeneratedScenario s) {
        assertThat(InternalErrorSearch.load(s.text()).threads()).isNotEmpty();
    }

    @Property(tries = 250, seed = "20260302", edgeCases = EdgeCasesMode.NONE)
    void generatedScenario_everyExecution_endsInAVerdictNotAnInternalError(@ForAll("scenarios") GeneratedScenario s) {
        InternalErrorSearch.Outcome o = SEARCH.search(s.text());
        assertThat(o.errors()).withFailMessage(() -> o.errors().stream()
                .map(e -> e.report(InternalErrorSearch.FILE_NAME)).collect(Collectors.joining("\n\n"))).isEmpty();
    }

    @Provide
    Arbitrary<GeneratedScenario> scenarios() {
        return GeneratedScenario.arbitrary(5, 8);
    }
}
