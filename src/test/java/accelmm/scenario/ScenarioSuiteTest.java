package accelmm.scenario;

import accelmm.check.InvariantKind;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The project's own scenario suite, {@code src/test/resources/scenarios/*.scn}: small scenarios
 * in the language, each stating its verdicts with {@code expect} lines, checked as {@code
 * accelmm check src/test/resources/scenarios} checks them (random walks and PCT, seed 1,
 * 2,000 executions per design combination). One dynamic test per file.
 */
class ScenarioSuiteTest {

    private static final Budget BUDGET = new Budget(2_000, null);

    @TestFactory
    Stream<DynamicTest> everyScenario_checked_verdictsHold() {
        return suite().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(),
                () -> assertVerdictsHold(file)));
    }

    @Test
    void suite_holdsEnoughScenarios() {
        assertThat(suite()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void violationScenarios_namedAfterAnInvariant_expectThatInvariant() {
        // use-after-free-userptr-no-retry.scn must expect a use-after-free somewhere, and
        // expectation-*.scn a failed inline expectation; so must catalog entries named so.
        Set<InvariantKind> named = EnumSet.noneOf(InvariantKind.class);
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        suite().forEach(file -> scenarios.put(file.getFileName().toString(), ModelCoverage.load(file)));
        Catalog.entries().forEach(e -> scenarios.put(e.fileName(), e.scenario()));
        scenarios.forEach((name, s) -> {
            String base = name.substring(name.lastIndexOf('/') + 1);
            for (InvariantKind invariant : InvariantKind.values()) {
                if (base.startsWith(invariant.scenarioName() + "-")) {
                    named.add(invariant);
                    assertThat(s.verdicts()).as(name)
                            .anyMatch(v -> v instanceof Verdict.Violation violation
                                    && violation.invariants().contains(invariant));
                }
            }
        });
        assertThat(named).contains(InvariantKind.USE_AFTER_FREE, InvariantKind.EXPECTATION, InvariantKind.DEADLOCK);
    }

    private static void assertVerdictsHold(Path file) {
        Scenario scenario = ModelCoverage.load(file);
        assertThat(scenario.verdicts()).as("expect lines").isNotEmpty();

        List<ScenarioChecker.CombinationResult> results = ScenarioChecker.check(scenario, new Strategy.Mixed(1), BUDGET);

        for (ScenarioChecker.CombinationResult r : results) {
            assertThat(r.holds()).as("%s: expected %s, found %s", r.designs(), r.expected(),
                    r.exploration().violated() ? r.exploration().firstViolation().violation() + "\n"
                            + r.exploration().firstViolation().trace().render() : "none").isTrue();
        }
    }

    /** The suite's files, sorted by name. */
    private static List<Path> suite() {
        try (Stream<Path> files = Files.list(Path.of(ScenarioSuiteTest.class.getResource("/scenarios").toURI()))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".scn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
