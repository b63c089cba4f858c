package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.scenario.ReplayToken;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.RandomChoiceSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm run}: one execution under one design combination, with its whole trace. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a scenario once (one schedule, chosen by --seed) and print its trace.",
            "Exit 0 when no invariant broke, 1 when one did, 4 when the run had no verdict (step limit or --time)."},
        footer = {"", "Examples:", "  accelmm run examples/first.scn",
            "  accelmm run catalog/userptr-munmap-race --design userptr=hmm-no-retry --seed 7"})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions options;

    @Option(names = "--seed", description = "seed of the random schedule (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() {
        ScenarioModel model = options.model();
        RunResult r = options.execute(model, new RandomChoiceSource(seed));
        PrintWriter out = spec.commandLine().getOut();
        options.print(out, "seed " + seed, r);
        out.println("schedule: " + ReplayToken.of(model, r.schedule()));
        out.flush();
        return Main.exitOf(r);
    }
}
