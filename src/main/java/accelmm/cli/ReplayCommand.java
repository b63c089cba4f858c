package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.scenario.ReplayToken;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.ReplayChoiceSource.ReplayDivergence;
import accelmm.sim.Schedule;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code accelmm replay}: reproduces a reported execution exactly, with its trace and its swim
 * lanes. A schedule that does not fit the scenario and design — recorded on another text or
 * combination (its fingerprint says so), naming an actor that cannot run, or longer than the run
 * — is bad input, never a model bug.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay one execution from the schedule token that check or run printed "
            + "(FINGERPRINT:SCHEDULE; a "
            + "bare SCHEDULE is replayed without the fingerprint's check).",
            "Exit 0 when no invariant broke, 1 when one did, 2 when the schedule does not fit the scenario, 4 "
            + "when the run had no verdict (step limit or --time)."},
        footer = {"", "Example:",
            "  accelmm replay catalog/userptr-munmap-race --design userptr=hmm-no-retry --schedule 'c2ccd6:0*18.1*5.2'"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions options;

    @Option(names = "--schedule", required = true, paramLabel = "TOKEN", description = "the schedule to replay")
    String schedule;

    @Override
    public Integer call() {
        ReplayToken token;
        try {
            token = ReplayToken.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new CliError("--schedule: " + e.getMessage());
        }
        ScenarioModel model = options.model();
        Schedule parsed;
        try {
            parsed = token.scheduleFor(model);
        } catch (IllegalArgumentException e) {
            throw new CliError("--schedule: " + e.getMessage());
        }
        ReplayChoiceSource source = new ReplayChoiceSource(parsed);
        RunResult r;
        try {
            r = options.execute(model, source);
        } catch (RuntimeException e) {
            // A run cut short by the divergence may fail in any way.
            throw source.divergence().map(ReplayCommand::mismatch).orElseThrow(() -> e);
        }
        if (source.divergence().isPresent()) {
            throw mismatch(source.divergence().get());
        }
        // A run cut by --time or --max-steps stopped early by design; it says nothing about the fit.
        if (!source.exhausted() && !r.outOfTime() && !r.stepLimited()) {
            throw mismatch(source.used(), "the run ended there, " + (parsed.length() - source.used())
                    + " of its decisions unused");
        }
        PrintWriter out = spec.commandLine().getOut();
        options.print(out, "replay", r);
        out.flush();
        return Main.exitOf(r);
    }

    private static CliError mismatch(ReplayDivergence d) {
        return mismatch(d.decision(), d.why());
    }

    private static CliError mismatch(long decision, String why) {
        return new CliError("--schedule: the schedule does not match this scenario at decision " + decision + ": "
                + why + "; was it recorded on another scenario, design or version of accelmm?");
    }
}
