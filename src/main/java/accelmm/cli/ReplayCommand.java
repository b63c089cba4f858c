package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm replay}: reproduces a reported execution exactly, with its trace. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay one execution from the schedule token that check or run printed.",
        footer = {"", "Example:",
            "  accelmm replay catalog/userptr-munmap-race --design userptr=hmm-no-retry --schedule 0*9.1.0*4"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "a scenario file, or catalog/NAME for a built-in one")
    String file;

    @Option(names = "--design", paramLabel = "KEY=VALUE", description = "a design value (repeatable)")
    List<String> designs = new ArrayList<>();

    @Option(names = "--schedule", required = true, paramLabel = "TOKEN", description = "the schedule to replay")
    String schedule;

    @Override
    public Integer call() {
        Scenario scenario = Scenarios.load(file);
        Map<DesignKey, String> combination = Scenarios.combination(scenario, designs);
        Schedule parsed;
        try {
            parsed = Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new CliError("--schedule: " + e.getMessage());
        }
        ReplayChoiceSource source = new ReplayChoiceSource(parsed);
        RunResult r = new ScenarioModel(scenario, combination).execute(source, true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("scenario \"" + scenario.title() + "\" " + ScenarioChecker.describe(combination) + ", replay");
        out.print(r.trace().render());
        Output.result(out, r);
        if (!source.exhausted()) {
            out.println("note: the run ended before the schedule did; it does not fit this scenario or design");
        }
        return r.violated() ? Main.EXIT_FAILED : Main.EXIT_OK;
    }
}
