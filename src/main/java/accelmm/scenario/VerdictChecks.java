package accelmm.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Load-time checks that a scenario's {@code expect} lines say something true of the runs it
 * asks for ({@link DesignMatrix#combinations}). A {@code when} value that no combination the
 * scenario runs has checks nothing (a key without a {@code design} line runs its default value
 * only), and an {@code expect clean} and an {@code expect violation} that both apply to one
 * combination cannot both hold. Several {@code expect violation} lines may apply to one
 * combination: their invariants are united ({@link ScenarioChecker#expected}).
 */
final class VerdictChecks {

    private final Scenario scenario;
    private final List<Map<DesignKey, String>> combinations;

    private VerdictChecks(Scenario scenario) {
        this.scenario = scenario;
        this.combinations = DesignMatrix.combinations(scenario);
    }

    /**
     * Every {@code when} value that never runs, at its token, and every line that contradicts
     * earlier ones, once, naming each of them.
     */
    static List<LoadProblem> problems(Scenario scenario) {
        VerdictChecks checks = new VerdictChecks(scenario);
        List<LoadProblem> problems = new ArrayList<>();
        List<Verdict> verdicts = scenario.verdicts();
        for (int i = 0; i < verdicts.size(); i++) {
            verdicts.get(i).when().forEach(c -> problems.addAll(checks.deadValues(c)));
            checks.contradiction(verdicts.get(i), verdicts.subList(0, i)).ifPresent(problems::add);
        }
        return problems;
    }

    /** The values of {@code c} that no combination has, each at its token. */
    private List<LoadProblem> deadValues(Verdict.Condition c) {
        List<LoadProblem> dead = new ArrayList<>();
        for (int i = 0; i < c.values().size(); i++) {
            String value = c.values().get(i);
            if (combinations.stream().noneMatch(m -> DesignMatrix.value(m, c.key()).equals(value))) {
                String which = c.values().size() == 1 ? "'" + c.describe() + "'"
                        : "'" + value + "' of '" + c.describe() + "'";
                dead.add(new LoadProblem(c.valuePositions().get(i), which + " matches no design combination: "
                        + runs(c.key())));
            }
        }
        return dead;
    }

    /** Which values of {@code key} the scenario runs, and why. */
    private String runs(DesignKey key) {
        String word = key.word();
        return scenario.designs().stream().filter(d -> d.key() == key).findFirst()
                .map(d -> "the scenario runs " + word + "=" + String.join(",", d.values()) + " (design line "
                        + d.position().line() + ")")
                .orElse("without a 'design " + word + "=' line only the default, " + word + "="
                        + key.defaultValue() + ", runs");
    }

    /**
     * {@code later} against the earlier lines of the other kind (clean against violation) that
     * apply to a combination it applies to: one problem at {@code later} naming each of them.
     */
    private Optional<LoadProblem> contradiction(Verdict later, List<Verdict> earlier) {
        List<String> conflicts = new ArrayList<>();
        for (Verdict e : earlier) {
            if (e instanceof Verdict.Clean != later instanceof Verdict.Clean) {
                List<Map<DesignKey, String>> both = combinations.stream()
                        .filter(c -> e.appliesTo(c) && later.appliesTo(c)).toList();
                if (!both.isEmpty()) {
                    conflicts.add("'" + e.describe() + "' at line " + e.position().line() + " (both apply to "
                            + describe(both) + ")");
                }
            }
        }
        if (conflicts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LoadProblem(later.position(), "'" + later.describe() + "' contradicts "
                + Suggest.allOf(conflicts)
                + ": a combination is either clean or breaks an invariant"));
    }

    /** The first combination, and how many more. */
    private static String describe(List<Map<DesignKey, String>> combinations) {
        Map<DesignKey, String> first = combinations.get(0);
        String which = first.isEmpty() ? "the default design" : DesignMatrix.describe(first);
        return which + (combinations.size() == 1 ? "" : " and " + (combinations.size() - 1) + " more");
    }
}
