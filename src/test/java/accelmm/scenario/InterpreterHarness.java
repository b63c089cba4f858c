package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.check.Violation;
import accelmm.sim.CostCounters;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios written inline in the interpreter tests: parsed and checked for running as a
 * file called {@value #FILE}, executed under the scenario's first design combination (the
 * only one unless the scenario has {@code design} lines).
 */
final class InterpreterHarness {

    /** The file name inline scenarios are parsed under; messages start with it. */
    static final String FILE = "inline.scn";

    /** Executions per exploration: small scenarios reach their interesting schedules well before. */
    static final Budget BUDGET = new Budget(400, null);

    private InterpreterHarness() {
    }

    /** {@code text} parsed and checked for running, as the command line does. */
    static Scenario parse(String text) {
        return ModelCoverage.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    static ScenarioModel model(String text) {
        Scenario scenario = parse(text);
        return new ScenarioModel(scenario, DesignMatrix.combinations(scenario).get(0));
    }

    /** One execution under a random walk with {@code seed}, trace recorded. */
    static RunResult run(String text, long seed) {
        return model(text).execute(new RandomChoiceSource(seed), true);
    }

    /**
     * What a clean run of {@code text} costs, checked to be the same under six seeds: the figures
     * are the scenario's, not one schedule's.
     */
    static CostCounters costsOfEverySchedule(String text) {
        RunResult first = run(text, 0);
        assertThat(first.violated()).as("%s", first.violation()).isFalse();
        for (long seed = 1; seed < 6; seed++) {
            assertThat(run(text, seed).costs()).as("seed %d", seed).hasToString(first.costs().toString());
        }
        return first.costs();
    }

    /** One execution under each seed {@code 0 .. seeds-1}, traces recorded. */
    static List<RunResult> runSeeds(String text, int seeds) {
        ScenarioModel model = model(text);
        List<RunResult> out = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            out.add(model.execute(new RandomChoiceSource(seed), true));
        }
        return out;
    }

    /** The execution that {@code schedule} determines, trace recorded. */
    static RunResult replay(ScenarioModel model, Schedule schedule) {
        return model.execute(new ReplayChoiceSource(schedule), true);
    }

    /** The default exploration (random walks and PCT, seed 1) of the first combination. */
    static Exploration explore(String text) {
        return new Explorer().explore(model(text), new Strategy.Mixed(1), BUDGET);
    }

    /** The first violation the default exploration finds, or null when every execution was clean. */
    static Violation firstViolation(String text) {
        Exploration e = explore(text);
        return e.violated() ? e.firstViolation().violation() : null;
    }

    /** The rendered lines of a run's trace, without their numbers. */
    static List<String> traceLines(RunResult r) {
        return r.trace().events().stream().map(TraceEvent::render).toList();
    }

    /** The index of the first trace line equal to {@code line}, or -1. */
    static int indexOf(RunResult r, String line) {
        return traceLines(r).indexOf(line);
    }
}
