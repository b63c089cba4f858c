package accelmm.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Load-time checks that a scenario's {@code expect} lines say something true of the runs it
 * asks for. A {@code when} that matches none of the design combinations the scenario runs
 * checks nothing (a key without a {@code design} line runs its default value only), and an
 * {@code expect clean} and an {@code expect violation} that both apply to one combination
 * cannot both hold. Several {@code expect violation} lines may apply to one combination: their
 * invariants are united ({@link ScenarioChecker#expected}).
 */
final class VerdictChecks {

    private VerdictChecks() {
    }

    /** Every {@code when} condition that matches nothing, and every contradicting pair of lines. */
    static List<LoadProblem> problems(Scenario scenario) {
        List<LoadProblem> problems = new ArrayList<>();
        List<Verdict> live = new ArrayList<>();
        for (Verdict v : scenario.verdicts()) {
            List<LoadProblem> dead = v.when().stream().filter(c -> !runs(scenario, c)).map(c -> deadCondition(scenario, c))
                    .toList();
            problems.addAll(dead);
            if (dead.isEmpty()) {
                live.add(v);
            }
        }
        List<Map<DesignKey, String>> combinations = DesignMatrix.combinations(scenario);
        for (int later = 0; later < live.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                contradiction(live.get(earlier), live.get(later), combinations).ifPresent(problems::add);
            }
        }
        return problems;
    }

    /** The values of {@code key} the scenario runs: those of its design line, or the default. */
    private static List<String> values(Scenario scenario, DesignKey key) {
        return scenario.designs().stream().filter(d -> d.key() == key).findFirst().map(DesignLine::values)
                .orElse(List.of(key.defaultValue()));
    }

    /** Whether some combination the scenario runs meets {@code c} (combinations are a full product). */
    private static boolean runs(Scenario scenario, Verdict.Condition c) {
        return values(scenario, c.key()).stream().anyMatch(c.values()::contains);
    }

    private static LoadProblem deadCondition(Scenario scenario, Verdict.Condition c) {
        String key = c.key().word();
        String written = "'when " + key + "=" + String.join(",", c.values()) + "'";
        String runs = scenario.designs().stream().filter(d -> d.key() == c.key()).findFirst()
                .map(d -> "the scenario runs " + key + "=" + String.join(",", d.values()) + " (design line "
                        + d.position().line() + ")")
                .orElse("without a 'design " + key + "=' line only the default, " + key + "="
                        + c.key().defaultValue() + ", runs");
        return new LoadProblem(c.position(), written + " matches no design combination: " + runs);
    }

    /** An {@code expect clean} and an {@code expect violation} that apply to one combination, reported at the later. */
    private static Optional<LoadProblem> contradiction(Verdict earlier, Verdict later,
            List<Map<DesignKey, String>> combinations) {
        if (earlier instanceof Verdict.Clean == later instanceof Verdict.Clean) {
            return Optional.empty();
        }
        List<Map<DesignKey, String>> both = combinations.stream()
                .filter(c -> earlier.appliesTo(c) && later.appliesTo(c)).toList();
        if (both.isEmpty()) {
            return Optional.empty();
        }
        String which = both.get(0).isEmpty() ? "the default design" : DesignMatrix.describe(both.get(0));
        String more = both.size() == 1 ? "" : " (and " + (both.size() - 1) + " more)";
        return Optional.of(new LoadProblem(later.position(), "'" + later.describe() + "' contradicts '"
                + earlier.describe() + "' at line " + earlier.position().line() + ": both apply to " + which + more
                + ", which is either clean or breaks an invariant"));
    }
}
