package accelmm.scenario;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Shrinker;
import accelmm.check.Strategy;
import accelmm.sim.Deadline;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a scenario: explores every design combination and compares what it found with the
 * scenario's {@code expect} lines. A combination no {@code expect violation} line applies to
 * must be clean; one that such lines apply to must break one of their invariants (the union of
 * every applicable line's).
 */
public final class ScenarioChecker {

    /** What the scenario says about one combination: clean, or one of these invariants breaks. */
    public record Expected(Set<InvariantKind> violations) {
        public boolean clean() {
            return violations.isEmpty();
        }

        @Override
        public String toString() {
            if (clean()) {
                return "clean";
            }
            List<String> names = new ArrayList<>();
            violations.forEach(v -> names.add(v.scenarioName()));
            return "violation " + String.join("|", names);
        }
    }

    /**
     * One combination's exploration and whether it met the expectation. {@code shrunk} is the
     * exploration's violation made as small as the {@link Shrinker} could, or {@code null} when
     * there is no violation or it was not shrunk; {@code interrupted}, that the user's interrupt
     * ended the search before its verdict or the end of its budget.
     */
    public record CombinationResult(Map<DesignKey, String> combination, Exploration exploration, Expected expected,
            Shrinker.Shrunk shrunk, boolean interrupted) {

        /** A result whose violation, if any, is not shrunk. */
        public CombinationResult(Map<DesignKey, String> combination, Exploration exploration, Expected expected) {
            this(combination, exploration, expected, null, false);
        }

        /** A result the user did not interrupt. */
        public CombinationResult(Map<DesignKey, String> combination, Exploration exploration, Expected expected,
                Shrinker.Shrunk shrunk) {
            this(combination, exploration, expected, shrunk, false);
        }

        /** The violating execution to show: the shrunk one if there is one, else the one found. */
        public RunResult counterexample() {
            return shrunk != null ? shrunk.result() : exploration.firstViolation();
        }

        /** Whether the exploration met the expectation; one without a verdict meets none. */
        public boolean holds() {
            if (!exploration.conclusive()) {
                return false;
            }
            if (expected.clean()) {
                return !exploration.violated();
            }
            return exploration.violated()
                    && expected.violations().contains(exploration.firstViolation().violation().invariant());
        }

        public String designs() {
            return DesignMatrix.describe(combination);
        }

        /** {@code --design k=v} options that select this combination. */
        public String designOptions() {
            List<String> parts = new ArrayList<>();
            combination.forEach((k, v) -> parts.add("--design " + k.word() + "=" + v));
            return String.join(" ", parts);
        }
    }

    private ScenarioChecker() {
    }

    /**
     * Explores every combination of {@code scenario} with {@code strategy} within {@code budget},
     * and shrinks each violation found (the exploration's counts are those of the search alone).
     * Once the budget's stop has passed no further combination begins: the list then holds those
     * explored, the last perhaps cut short.
     *
     * @throws ScenarioModelBug when the model fails, with what reproduces the failure
     */
    public static List<CombinationResult> check(Scenario scenario, Strategy strategy, Budget budget) {
        return check(scenario, Map.of(), strategy, budget);
    }

    /**
     * As {@link #check(Scenario, Strategy, Budget)}, with the design keys of {@code fixed} taking
     * the values given there rather than those the scenario lists ({@code check --design}).
     */
    public static List<CombinationResult> check(Scenario scenario, Map<DesignKey, List<String>> fixed,
            Strategy strategy, Budget budget) {
        List<CombinationResult> results = new ArrayList<>();
        for (Map<DesignKey, String> combination : DesignMatrix.combinations(scenario, fixed)) {
            if (budget.stop().passed()) {
                // Stopped from outside: the combinations not begun are not reported.
                break;
            }
            ScenarioModel model = new ScenarioModel(scenario, combination, budget.maxSteps());
            // The budget's time covers the search and the shrink together.
            Deadline deadline = budget.deadline();
            results.add(ScenarioModelBug.during(model, () -> {
                Exploration e = new Explorer().explore(model, strategy, budget, deadline);
                // Cut by the user's interrupt: it came before the search had its verdict or its
                // whole budget (a search that ended by itself first is not interrupted).
                boolean interrupted = budget.stop().passed() && !e.violated() && !e.complete()
                        && e.executions() < budget.maxExecutions();
                return new CombinationResult(combination, e, expected(scenario, combination),
                        shrink(model, e, deadline), interrupted);
            }));
        }
        return results;
    }

    /** The exploration's violation shrunk, or {@code null} when it found none. */
    public static Shrinker.Shrunk shrink(ScenarioModel model, Exploration e) {
        return shrink(model, e, Deadline.NONE);
    }

    /**
     * As {@link #shrink(ScenarioModel, Exploration)}, stopping at {@code deadline} with the
     * smallest execution found so far ({@code null}: not shrunk, when it had already passed).
     */
    public static Shrinker.Shrunk shrink(ScenarioModel model, Exploration e, Deadline deadline) {
        if (!e.violated() || deadline.passed()) {
            return null;
        }
        return new Shrinker(model, Shrinker.DEFAULT_BUDGET, deadline).shrink(e.firstViolation());
    }

    static Expected expected(Scenario scenario, Map<DesignKey, String> combination) {
        Set<InvariantKind> kinds = EnumSet.noneOf(InvariantKind.class);
        for (Verdict v : scenario.verdicts()) {
            if (v instanceof Verdict.Violation violation && v.appliesTo(combination)) {
                kinds.addAll(violation.invariants());
            }
        }
        return new Expected(kinds);
    }

    /** The combinations of a scenario, for {@code run} and {@code replay}. */
    public static List<Map<DesignKey, String>> combinations(Scenario scenario) {
        return DesignMatrix.combinations(scenario);
    }

    /** The combinations {@link #check(Scenario, Map, Strategy, Budget)} runs, in its order. */
    public static List<Map<DesignKey, String>> combinations(Scenario scenario, Map<DesignKey, List<String>> fixed) {
        return DesignMatrix.combinations(scenario, fixed);
    }

    public static String describe(Map<DesignKey, String> combination) {
        return DesignMatrix.describe(combination);
    }
}
