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
 * <p>An internal error comes with the schedule that {@code accelmm replay} reproduces it with:
 * the decisions its simulation recorded, which the {@link ModelBugException} carries. Every
 * {@value #REPLAY_EVERY}th execution is also executed again from its schedule, and the two
 * traces compared byte for byte: a model that is not deterministic is an internal error of its
 * own class ({@link NotDeterministic}).
 */
public final class InternalErrorSearch {

    /** The file name scenarios are loaded under; a report's replay command names it too. */
    public static final String FILE_NAME = "generated.scn";

    /** Every how-many-th execution of a combination (the first among them) is replayed and compared. */
    static final int REPLAY_EVERY = 8;

    /** The model of one design combination: the scenario's own, or one a test plants a bug in. */
    @FunctionalInterface
    public interface Models {
        Model of(Scenario scenario, Map<DesignKey, String> combination);
    }

    private final Strategy strategy;
    private final long executionsPerCombination;
    private final Models models;

    /** Explores each combination with {@code strategy} for at most {@code executionsPerCombination} executions. */
    public InternalErrorSearch(Strategy strategy, long executionsPerCombination) {
        this(strategy, executionsPerCombination, ScenarioModel::new);
    }

    /** The same search over the models {@code models} builds. */
    public InternalErrorSearch(Strategy strategy, long executionsPerCombination, Models models) {
        this.strategy = strategy;
        this.executionsPerCombination = executionsPerCombination;
        this.models = models;
    }

    /**
     * What the search of one scenario did: executions and steps run, how many of them were
     * replayed and compared, how the executions ended (clean, or the invariant they broke),
     * internal errors found.
     */
    public record Outcome(long executions, long steps, long replayed, Map<String, Long> ends, List<Failure> errors) {
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
        long replayed = 0;
        Map<String, Long> ends = new TreeMap<>();
        List<Failure> errors = new ArrayList<>();
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            Observed model = new Observed(models.of(scenario, combination));
            try {
                new Explorer().explore(model, strategy, new Budget(executionsPerCombination, null));
            } catch (FailedExecution e) {
                errors.add(new Failure(text, combination, e.schedule, e.getCause(), strategy.describe(),
                        e.schedule != null && reproduces(models.of(scenario, combination), e.schedule, e.getCause())));
            } catch (RuntimeException | Error e) {
                errors.add(new Failure(text, combination, null, e, strategy.describe(), false));
            }
            executions += model.executions;
            steps += model.steps;
            replayed += model.replayed;
            model.ends.forEach((end, n) -> ends.merge(end, n, Long::sum));
        }
        return new Outcome(executions, steps, replayed, ends, errors);
    }

    /** Parses and checks the text for running, as {@code accelmm check} does with a file. */
    public static Scenario load(String text) {
        try {
            return ModelCoverage.parse(FILE_NAME, text.getBytes(StandardCharsets.UTF_8));
        } catch (ScenarioError e) {
            throw new IllegalArgumentException("the scenario does not load:\n" + e.render() + "\n" + text, e);
        }
    }

    /**
     * Whether replaying {@code schedule} ends in the same internal error: the same exception
     * thrown at the same place, or — for a model that is not deterministic — two replays that
     * differ again.
     */
    private static boolean reproduces(Model model, Schedule schedule, Throwable error) {
        try {
            RunResult first = model.execute(new ReplayChoiceSource(schedule), true);
            if (error instanceof NotDeterministic) {
                RunResult second = model.execute(new ReplayChoiceSource(schedule), true);
                return NotDeterministic.difference(first, second) != null;
            }
            return false;
        } catch (RuntimeException | Error e) {
            return Failure.kind(e).equals(Failure.kind(error));
        }
    }

    /**
     * One internal error: the scenario, the combination, the schedule of the failing execution
     * (null when the exception came from outside a simulated run, or escaped the explorer
     * between executions) and the exception.
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
            } else {
                s.append("  (no schedule: the exception came from outside a simulated run)\n");
            }
            s.append("  check:  bin/accelmm check ").append(file).append('\n');
            s.append("---- ").append(file).append(" (the scenario, to save under that name)\n").append(text);
            return s.toString();
        }
    }

    /**
     * The model as the search runs it: counts executions, replays every {@value #REPLAY_EVERY}th
     * and compares the traces, wraps an exception with the schedule of its execution, and hands
     * verdicts back as plain ends so the explorer goes on.
     */
    private static final class Observed implements Model {
        private final Model model;
        long executions;
        long steps;
        long replayed;
        final Map<String, Long> ends = new TreeMap<>();

        Observed(Model model) {
            this.model = model;
        }

        @Override
        public RunResult execute(ChoiceSource choices, boolean recordTrace) {
            boolean replay = executions % REPLAY_EVERY == 0;
            RunResult r;
            try {
                // A trace changes no decision: the executions to compare record one.
                r = model.execute(choices, recordTrace || replay);
            } catch (RuntimeException | Error e) {
                executions++;
                throw new FailedExecution(e instanceof ModelBugException m ? m.schedule().orElse(null) : null, e);
            }
            executions++;
            steps += r.steps();
            ends.merge(end(r), 1L, Long::sum);
            if (replay) {
                replayed++;
                checkDeterministic(r);
            }
            return r.violated() ? r.withViolation(null) : r;
        }

        /** Executes {@code r}'s schedule again: the same trace, byte for byte, and the same end. */
        private void checkDeterministic(RunResult r) {
            RunResult again;
            try {
                again = model.execute(new ReplayChoiceSource(r.schedule()), true);
            } catch (RuntimeException | Error e) {
                throw new FailedExecution(r.schedule(), new NotDeterministic(r.schedule(),
                        "the replay threw " + e + " where the execution ended " + end(r)));
            }
            String difference = NotDeterministic.difference(r, again);
            if (difference != null) {
                throw new FailedExecution(r.schedule(), new NotDeterministic(r.schedule(), difference));
            }
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

    /** An execution that ended in an exception, with its schedule (null when it has none). */
    private static final class FailedExecution extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Schedule schedule;

        FailedExecution(Schedule schedule, Throwable cause) {
            super(cause);
            this.schedule = schedule;
        }
    }

    /** Executing a schedule again gave another execution: the model depends on something besides it. */
    static final class NotDeterministic extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotDeterministic(Schedule schedule, String difference) {
            super("the model is not deterministic: schedule " + schedule.token() + " executed twice: " + difference);
        }

        /** How two executions of one schedule differ, or null when their traces and ends are the same. */
        static String difference(RunResult first, RunResult second) {
            String a = first.trace().render();
            String b = second.trace().render();
            if (!a.equals(b)) {
                List<String> as = a.lines().toList();
                List<String> bs = b.lines().toList();
                int i = 0;
                while (i < Math.min(as.size(), bs.size()) && as.get(i).equals(bs.get(i))) {
                    i++;
                }
                return "the traces differ at line " + (i + 1) + ": '" + (i < as.size() ? as.get(i) : "(end)")
                        + "' then '" + (i < bs.size() ? bs.get(i) : "(end)") + "'";
            }
            if (!String.valueOf(first.violation()).equals(String.valueOf(second.violation()))
                    || !first.schedule().equals(second.schedule())) {
                return "the same trace ended " + first.violation() + " then " + second.violation();
            }
            return null;
        }
    }
}
