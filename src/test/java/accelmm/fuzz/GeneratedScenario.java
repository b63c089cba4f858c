package accelmm.fuzz;

import net.jqwik.api.Arbitrary;

/**
 * The text of a generated scenario; jqwik shows it as it is, so a failing property prints a
 * file that {@code bin/accelmm} runs.
 */
public record GeneratedScenario(String text) {

    /** Scenarios of at most {@code maxThreads} thread blocks of at most {@code maxStatements} statements. */
    public static Arbitrary<GeneratedScenario> arbitrary(int maxThreads, int maxStatements) {
        return ScenarioPlan.plans(maxThreads, maxStatements).map(p -> new GeneratedScenario(ScenarioWriter.write(p)));
    }

    @Override
    public String toString() {
        return "\n" + text;
    }
}
