package accelmm.cli;

import accelmm.check.Budget;
import accelmm.check.RunResult;
import accelmm.report.Counterexample;
import accelmm.report.SwimLane;
import accelmm.report.TerminalText;
import accelmm.report.Wrap;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import accelmm.scenario.ScenarioModelBug;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.Outcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The scenario and design options shared by {@code run} and {@code replay}, and how they print a run. */
final class ScenarioOptions {

    @Parameters(paramLabel = "FILE", description = "a scenario file, or catalog/NAME for a built-in one")
    String file;

    @Option(names = "--design", paramLabel = "KEY=VALUE",
            description = "a design value (repeatable); keys the scenario varies default to their first value")
    List<String> designs = new ArrayList<>();

    @Mixin
    LimitOptions limits;

    @Mixin
    WidthOption width;

    @Option(names = "--trace", description = "also print the raw trace: every scheduling point the run passed, "
            + "numbered apart from the steps")
    boolean rawTrace;

    @Option(names = "--show", description = "after each step, print what of the state it changed: notifier "
            + "sequences, frames in use and their counts, open files and their references, device objects and what "
            + "holds each, mappings and the frames they point at (+ a line that appeared or changed, - one that went)")
    boolean show;

    private Scenario scenario;

    Scenario scenario() {
        if (scenario == null) {
            scenario = Scenarios.loadToRun(file);
        }
        return scenario;
    }

    Map<DesignKey, String> combination() {
        return Scenarios.combination(scenario(), designs);
    }

    /** The scenario under the chosen combination, with the step limit (and the states, with {@code --show}). */
    ScenarioModel model() {
        ScenarioModel model = new ScenarioModel(scenario(), combination(), limits.maxSteps());
        return show ? model.withStates() : model;
    }

    /**
     * One execution of {@code model} with its trace, within the time limit; a model bug names
     * the file, combination and schedule that reproduce it.
     */
    RunResult execute(ScenarioModel model, ChoiceSource choices) {
        Deadline deadline = Budget.deadline(limits.maxTime());
        return ScenarioModelBug.during(model, () -> model.execute(choices, true, deadline));
    }

    /** {@code --show}: a {@code -} line for each state line that went, a {@code +} line for each that came. */
    private void printChanges(PrintWriter out, List<String> before, List<String> after) {
        before.stream().filter(l -> !after.contains(l)).forEach(l -> println(out, "      - " + l, 8));
        after.stream().filter(l -> !before.contains(l)).forEach(l -> println(out, "      + " + l, 8));
    }

    /** {@code line} in the width asked, broken at spaces, its continuations indented by {@code hang}. */
    private void println(PrintWriter out, String line, int hang) {
        Wrap.hanging(line, width.columns(), hang).forEach(out::println);
    }

    /**
     * Prints one execution: a header, its numbered steps (the violation last, if one broke), its
     * result, and its swim lanes; with {@code --trace}, the raw trace before the steps.
     */
    void print(PrintWriter out, String how, RunResult r) {
        println(out, "scenario \"" + TerminalText.line(scenario().title()) + "\" "
                + ScenarioChecker.describe(combination()) + ", " + how, 2);
        if (rawTrace) {
            out.println("trace (every scheduling point):");
            out.print(r.trace().render());
            out.println();
        }
        List<Counterexample.Step> steps = Counterexample.of(r.trace(), r.violation());
        List<List<String>> states = show ? Counterexample.statesAfter(r.trace()) : List.of();
        List<String> before = List.of();
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i).render();
            println(out, step, step.indexOf(". ") + 2);
            if (i < states.size()) {
                printChanges(out, before, states.get(i));
                before = states.get(i);
            }
        }
        if (r.violated()) {
            println(out, "violation: " + Counterexample.headline(r.violation(), steps), 4);
        } else {
            println(out, "result: " + switch (r.outcome()) {
                case Outcome.Completed c -> "clean";
                case Outcome.StepLimitExceeded s -> "step limit: " + s.limit()
                        + " steps without finishing; not a verdict (long work, a livelock or a loop; see --max-steps)";
                case Outcome.OutOfTime t -> "out of time after " + t.steps() + " steps; not a verdict (see --time)";
                default -> r.outcome().toString();
            }, 4);
        }
        out.println();
        SwimLane.render(steps, "", width.columns()).forEach(out::println);
    }
}
