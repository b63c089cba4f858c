package accelmm.scenario;

import java.util.List;

/** Load-time checks of a scenario's {@code expect} lines. */
final class VerdictChecks {

    private VerdictChecks() {
    }

    static List<LoadProblem> problems(Scenario scenario) {
        return List.of();
    }
}
