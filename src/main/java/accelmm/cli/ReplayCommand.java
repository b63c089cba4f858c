package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.report.CheckReport;
import accelmm.report.Counterexample;
import accelmm.report.SwimLane;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm replay}: reproduces a reported execution exactly, with its trace and its swim lanes. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay one execution from the schedule token that check or run printed. "
                + "Exit 0 when no invariant broke, 1 when one did, 4 when the run had no verdict (step limit or --time).",
        footer = {"", "Example:",
            "  accelmm replay catalog/userptr-munmap-race --design userptr=hmm-no-retry --schedule 0*15.1*5.2*2"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions options;

    @Option(names = "--schedule", required = true, paramLabel = "TOKEN", description = "the schedule to replay")
    String schedule;

    @Override
    public Integer call() {
        Schedule parsed;
        try {
            parsed = Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new CliError("--schedule: " + e.getMessage());
        }
        ReplayChoiceSource source = new ReplayChoiceSource(parsed);
        RunResult r = options.execute(source);
        PrintWriter out = spec.commandLine().getOut();
        options.print(out, "replay", r);
        out.println();
        SwimLane.render(Counterexample.structured(r.trace()),
                r.violated() ? CheckReport.broken(r.violation()) : null, "").forEach(out::println);
        // A run cut by --time stopped early by design; it says nothing about the fit.
        if (!source.exhausted() && !r.outOfTime()) {
            out.println("note: the run ended before the schedule did; it does not fit this scenario or design");
        }
        out.flush();
        return Main.exitOf(r);
    }
}
