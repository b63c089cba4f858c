package accelmm.cli;

import accelmm.sim.Simulation;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --max-steps} and {@code --time}, shared by {@code check}, {@code run} and {@code
 * replay}: how long one execution may go on, and how much wall-clock time the command may spend
 * on a design combination (check: its search and shrink together; run and replay: their one
 * execution). A run stopped by either has no verdict: exit {@value Main#EXIT_INCONCLUSIVE}.
 */
final class LimitOptions {

    @Option(names = "--max-steps", paramLabel = "N", description =
            "preemption points one execution may pass; one that passes them ends without a verdict, as 'step "
        + "limit' (default: ${DEFAULT-VALUE})")
    long maxSteps = Simulation.DEFAULT_MAX_STEPS;

    @Option(names = "--time", paramLabel = "DURATION", description =
            "wall-clock budget, e.g. 10s, 500ms, 2m: for check per design combination (search and shrink "
        + "together), for run and replay their execution (default: none)")
    String time;

    /** The step limit, at least 1. */
    long maxSteps() {
        if (maxSteps < 1) {
            throw new CliError("--max-steps must be at least 1, got " + maxSteps);
        }
        return maxSteps;
    }

    /** The time budget, or {@code null} for none. */
    Duration maxTime() {
        return time == null ? null : parseDuration(time);
    }

    static Duration parseDuration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new CliError("--time takes a duration like 500ms, 10s or 2m, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
