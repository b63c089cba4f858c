package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Strategy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explorer's benchmark scenarios under {@code bench/} keep saying what they were written to
 * show, so that figures measured on them before and after a change of the explorer compare the
 * same search: checked as {@link ScenarioSuiteTest} checks the suite (random walks and PCT, seed
 * 1, 2,000 executions per design combination).
 */
class BenchScenarioTest {

    private static final Budget BUDGET = new Budget(2_000, null);

    /**
     * Five actors (the owner's two threads, the process the DRM file is handed to, the process
     * that reuses the page, the GPU engine): the no-retry userptr's use-after-free is there to
     * be found, and the other two designs are clean.
     */
    @Test
    void userptrHandoff_fiveActors_verdictsHold() {
        Scenario scenario = ModelCoverage.load(Path.of("bench", "handoff", "userptr-handoff.scn"));

        List<ScenarioChecker.CombinationResult> results = ScenarioChecker.check(scenario, new Strategy.Mixed(1), BUDGET);

        assertThat(results).hasSize(3);
        for (ScenarioChecker.CombinationResult r : results) {
            assertThat(r.holds()).as("%s: expected %s", r.designs(), r.expected()).isTrue();
        }
        assertThat(results).anySatisfy(r -> assertThat(r.exploration().violated()).isTrue());
    }
}
