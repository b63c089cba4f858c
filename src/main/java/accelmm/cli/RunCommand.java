package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.RandomChoiceSource;
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

/** {@code accelmm run}: one execution under one design combination, with its whole trace. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario once (one schedule, chosen by --seed) and print its trace.",
        footer = {"", "Examples:", "  accelmm run examples/first.scn",
            "  accelmm run catalog/userptr-munmap-race --design userptr=hmm-no-retry --seed 7"})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "a scenario file, or catalog/NAME for a built-in one")
    String file;

    @Option(names = "--design", paramLabel = "KEY=VALUE",
            description = "a design value (repeatable); keys the scenario varies default to their first value")
    List<String> designs = new ArrayList<>();

    @Option(names = "--seed", description = "seed of the random schedule (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() {
        Scenario scenario = Scenarios.load(file);
        Map<DesignKey, String> combination = Scenarios.combination(scenario, designs);
        RunResult r = new ScenarioModel(scenario, combination).execute(new RandomChoiceSource(seed), true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("scenario \"" + scenario.title() + "\" " + ScenarioChecker.describe(combination) + ", seed " + seed);
        out.print(r.trace().render());
        Output.result(out, r);
        out.println("schedule: " + r.schedule().token());
        return r.violated() ? Main.EXIT_FAILED : Main.EXIT_OK;
    }
}
