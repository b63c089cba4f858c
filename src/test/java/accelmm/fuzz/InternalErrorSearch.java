package accelmm.fuzz;

import accelmm.check.Budget;
import accelmm.check.Explorer;
import accelmm.check.InvariantKind;
import accelmm.check.Model;
import accelmm.check.ModelBugException;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.scenario.DesignKey;
import accelmm.scenario.ModelCoverage;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioError;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.ChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.SchedulingPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Explores a scenario under every design combination, looking only for internal errors: an
 * execution that ends in an exception of the model (a {@link ModelBugException} from judging
 * the run, or anything else that escapes) instead of a verdict. Broken invariants, deadlocks
 * and failed expectations are results of the model like a clean run, so the search goes on
 * past them (the explorer itself would stop at the first).
 *
 * <p>Every execution's decisions are recorded as the simulation records them, so an internal
 * error comes with the schedule that {@code accelmm replay} reproduces it with.
 */
public final class InternalErrorSearch {

    /** The file name scenarios are loaded under; a report's replay command names it too. */
    public static final String FILE_NAME = "generated.scn";

    private final Strategy strategy;
    private final long executionsPerCombination;

    /** Explores each combination with {@code strategy} for at most {@code executionsPerCombination} executions. */
    public InternalErrorSearch(Strategy strategy, long executionsPerCombination) {
        this.strategy = strategy;
        this.executionsPerCombination = executionsPerCombination;
    }

    /**
     * What the search of one scenario did: executions and steps run, how the executions ended
     * (clean, or the invariant they broke), internal errors found.
     */
    public record Outcome(long executions, long steps, Map<String, Long> ends, List<Failure> errors) {
    }

    /**
     * Loads {@code text} as a user's file is loaded (parser and model coverage) and explores
     * every combination, up to the first internal error of each.
     *
     * @throws IllegalArgumentException when the text does not load
     */
    public Outcome search(String text) {
        Scenario scenario = load(text);
        long executions = 0;
        long steps = 0;
        Map<String, Long> ends = new TreeMap<>();
        List<Failure> errors = new ArrayList<>();
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            Observed model = new Observed(new ScenarioModel(scenario, combination));
            try {
                new Explorer().explore(model, strategy, new Budget(executionsPerCombination, null));
            } catch (FailedExecution e) {
                errors.add(new Failure(text, combination, e.schedule, e.getCause(), strategy.describe(),
                        reproduces(scenario, combination, e.schedule, e.getCause())));
            } catch (RuntimeException | Error e) {
                errors.add(new Failure(text, combination, null, e, strategy.describe(), false));
            }
            executions += model.executions;
            steps += model.steps;
            model.ends.forEach((end, n) -> ends.merge(end, n, Long::sum));
        }
        return new Outcome(executions, steps, ends, errors);
    }

    /** Parses and checks the text for running, as {@code accelmm check} does with a file. */
    public static Scenario load(String text) {
        try {
            return ModelCoverage.parse(FILE_NAME, text.getBytes(StandardCharsets.UTF_8));
        } catch (ScenarioError e) {
            throw new IllegalArgumentException("the scenario does not load:\n" + e.render() + "\n" + text, e);
        }
    }

    /** Whether replaying {@code schedule} ends in the same internal error. */
    private static boolean reproduces(Scenario scenario, Map<DesignKey, String> combination, Schedule schedule,
            Throwable error) {
        try {
            new ScenarioModel(scenario, combination).execute(new ReplayChoiceSource(schedule), false);
            return false;
        } catch (RuntimeException | Error e) {
            return Failure.kind(e).equals(Failure.kind(error));
        }
    }

    /**
     * One internal error: the scenario, the combination, the schedule of the failing execution
     * (null when the error escaped the explorer outside an execution) and the exception.
     */
    public record Failure(String text, Map<DesignKey, String> combination, Schedule schedule, Throwable error,
            String strategy, boolean reproduced) {

        /** The exception the model threw: the cause of a {@link ModelBugException}. */
        public Throwable rootCause() {
            return error instanceof ModelBugException && error.getCause() != null ? error.getCause() : error;
        }

        /** Where the model threw it: the first frame in accelmm's own code. */
        public StackTraceElement thrownAt() {
            return thrownAt(rootCause());
        }

        /** The class of error: the exception's type and the method that threw it. */
        public String kind() {
            return kind(error);
        }

        static String kind(Throwable error) {
            Throwable root = error instanceof ModelBugException && error.getCause() != null ? error.getCause() : error;
            StackTraceElement at = thrownAt(root);
            return root.getClass().getSimpleName() + " in "
                    + (at == null ? "?" : at.getClassName() + "." + at.getMethodName());
        }

        private static StackTraceElement thrownAt(Throwable t) {
            return Arrays.stream(t.getStackTrace()).filter(f -> f.getClassName().startsWith("accelmm.")).findFirst()
                    .orElse(t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null);
        }

        /** {@code --design k=v} options selecting the combination. */
        public String designOptions() {
            return combination.entrySet().stream().map(e -> " --design " + e.getKey().word() + "=" + e.getValue())
                    .collect(Collectors.joining());
        }

        /** The first line of the exception. */
        public String firstLine() {
            return String.valueOf(error).lines().findFirst().orElse("");
        }

        /** Everything needed to reproduce it: the error, where, the commands, and the scenario. */
        public String report(String file) {
            StringBuilder s = new StringBuilder();
            s.append("internal error under ").append(ScenarioChecker.describe(combination)).append(": ")
                    .append(firstLine()).append('\n');
            s.append("  thrown at ").append(thrownAt()).append('\n');
            s.append("  found by ").append(strategy).append('\n');
            if (schedule != null) {
                s.append("  replay: bin/accelmm replay ").append(file).append(designOptions()).append(" --schedule ")
                        .append(schedule.token()).append(reproduced ? "" : "   (did not reproduce)").append('\n');
            }
            s.append("  check:  bin/accelmm check ").append(file).append('\n');
            s.append("---- ").append(file).append(" (the scenario, to save under that name)\n").append(text);
            return s.toString();
        }
    }

    /**
     * The scenario model as the search runs it: counts executions, records each one's decisions,
     * wraps an exception with the schedule so far, and hands verdicts back as plain ends so the
     * explorer goes on.
     */
    private static final class Observed implements Model {
        private final Model model;
        long executions;
        long steps;
        final Map<String, Long> ends = new TreeMap<>();

        Observed(Model model) {
            this.model = model;
        }

        @Override
        public RunResult execute(ChoiceSource choices, boolean recordTrace) {
            Recorded recorded = new Recorded(choices);
            RunResult r;
            try {
                r = model.execute(recorded, recordTrace);
            } catch (RuntimeException | Error e) {
                executions++;
                throw new FailedExecution(recorded.schedule(), e);
            }
            executions++;
            steps += r.steps();
            ends.merge(end(r), 1L, Long::sum);
            return r.violated() ? new RunResult(r.outcome(), null, r.schedule(), r.trace(), r.steps()) : r;
        }
    }

    /** How an execution ended: clean, or the invariant it broke (an expectation failure by its kind). */
    private static String end(RunResult r) {
        if (!r.violated()) {
            return r.outcome() instanceof accelmm.sim.Outcome.Completed ? "clean"
                    : r.outcome().getClass().getSimpleName();
        }
        String name = r.violation().invariant().scenarioName();
        if (r.violation().invariant() != InvariantKind.EXPECTATION) {
            return name;
        }
        String message = r.violation().message();
        return name + (message.contains("its statement failed") ? " (a name bound to an error)"
                : message.contains("does not hold") ? " (expect)" : " (other)");
    }

    /** An execution that ended in an exception, with the decisions it made up to there. */
    private static final class FailedExecution extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Schedule schedule;

        FailedExecution(Schedule schedule, Throwable cause) {
            super(cause);
            this.schedule = schedule;
        }
    }

    /** Passes every decision on and records it as the simulation does: actor ids and values. */
    private static final class Recorded implements ChoiceSource {
        private final ChoiceSource choices;
        private int[] decisions = new int[64];
        private int size;

        Recorded(ChoiceSource choices) {
            this.choices = choices;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            int index = choices.pickActor(point);
            add(point.candidate(index).id());
            return index;
        }

        @Override
        public int pickValue(String label, int bound) {
            int value = choices.pickValue(label, bound);
            add(value);
            return value;
        }

        private void add(int decision) {
            if (size == decisions.length) {
                decisions = Arrays.copyOf(decisions, size * 2);
            }
            decisions[size++] = decision;
        }

        Schedule schedule() {
            return Schedule.of(Arrays.copyOf(decisions, size));
        }
    }
}
