package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.sim.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The net under observed footprints: a reduced search (footprints observed, partial-order
 * reduction) reaches every outcome the unreduced search reaches within the same preemption
 * bound. An outcome is what the actors saw — each actor's operations and their results, in its
 * own order — and the verdict; executions that only reorder steps that commute give the same
 * outcome, so a footprint that misses shared state shows up as an outcome the reduced search
 * never reached, named here with the executions that reach it.
 */
class FootprintSoundnessTest {

    /** Rows whose unreduced search at the bound needs more executions are left to bin/fuzz. */
    private static final int MAX_UNREDUCED = 20_000;
    private static final int BOUND = 2;
    private static final Strategy REDUCTION_NONE = new Strategy.Dfs(BOUND, Strategy.Reduction.NONE);
    private static final Strategy REDUCTION_DEFAULT = new Strategy.Dfs(BOUND);

    static Stream<String> entryNames() {
        return Catalog.entries().stream().map(Catalog.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void reducedSearch_catalogEntry_reachesEveryOutcomeOfTheUnreducedOne(String name) {
        Scenario scenario = Catalog.find(name).scenario();
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            Map<String, String> plain = new TreeMap<>();
            Exploration all = explore(new ScenarioModel(scenario, combination).withObservedFootprints(false),
                    REDUCTION_NONE, plain);
            if (!all.complete()) {
                continue;
            }
            Map<String, String> reduced = new TreeMap<>();
            Exploration dpor = explore(new ScenarioModel(scenario, combination).withObservedFootprints(true),
                    REDUCTION_DEFAULT, reduced);

            assertThat(dpor.complete()).isTrue();
            assertThat(dpor.violated()).isEqualTo(all.violated());
            if (all.violated()) {
                assertThat(dpor.firstViolation().violation().invariant()).isEqualTo(all.firstViolation().violation().invariant());
                continue;
            }
            Set<String> missing = new TreeSet<>(plain.keySet());
            missing.removeAll(reduced.keySet());
            assertThat(missing).as("%s %s: outcomes only the unreduced search reached (%d of %d executions);"
                    + " first reached by %s", name, ScenarioChecker.describe(combination), dpor.executions(),
                    all.executions(), missing.isEmpty() ? "" : plain.get(missing.iterator().next())).isEmpty();
        }
    }

    /** Explores with traces on, keeping each outcome's first schedule. */
    private static Exploration explore(Model model, Strategy strategy, Map<String, String> outcomes) {
        Model recording = Recording.of(model, true,
                r -> outcomes.putIfAbsent(outcome(r), r.schedule().toString()));
        return new Explorer().explore(recording, strategy, new Budget(MAX_UNREDUCED, null).withJobs(1));
    }

    /** Per actor its operations and results in order, and the verdict. */
    static String outcome(RunResult r) {
        Map<String, List<String>> perActor = new TreeMap<>();
        for (TraceEvent e : r.trace().events()) {
            if (e instanceof TraceEvent.Op op) {
                perActor.computeIfAbsent(op.actor(), a -> new ArrayList<>()).add(op.operation() + " -> " + op.result());
            }
        }
        return (r.violated() ? r.violation().invariant() : r.outcome().getClass().getSimpleName()) + " " + perActor;
    }
}
