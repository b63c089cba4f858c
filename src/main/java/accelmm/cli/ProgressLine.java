package accelmm.cli;

import accelmm.check.Model;
import accelmm.check.Progress;
import accelmm.report.TerminalText;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import java.io.Console;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The progress line of {@code accelmm check} on an interactive terminal: once a combination has
 * run for a second, one line on stderr, rewritten in place ({@code \r}) at most every 200 ms —
 * scenario, combination, executions, executions per second and what covered them — and
 * cleared when the combination ends. Not used when stdout is not a terminal or under CI.
 */
final class ProgressLine implements Progress {

    private static final long DELAY = 1_000_000_000L;
    private static final long REFRESH = 200_000_000L;

    private final Terminal err;
    private final LongSupplier clock;
    private final Map<Scenario, String> labels = new IdentityHashMap<>();
    private final Map<Model, Long> starts = new IdentityHashMap<>();
    private long lastShown;
    private int shownWidth;

    /** @param err where the line goes: its text escaped as any other, its carriage returns not */
    ProgressLine(Terminal err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
    }

    /** Whether stdout is an interactive terminal and not CI: only then is there a progress line. */
    static boolean interactive() {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22 and later may return a console when redirected; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** How to name {@code scenario} on the line: the path it was loaded from. */
    synchronized void label(Scenario scenario, String path) {
        labels.put(scenario, path);
    }

    @Override
    public synchronized void update(Model model, String phase, long executions) {
        long now = clock.getAsLong();
        Long start = starts.putIfAbsent(model, now);
        if (start == null) {
            return;
        }
        long elapsed = now - start;
        if (elapsed < DELAY || (shownWidth > 0 && now - lastShown < REFRESH)) {
            return;
        }
        String name = model instanceof ScenarioModel sm
                ? labels.getOrDefault(sm.scenario(), TerminalText.line(sm.scenario().title())) + " " + ScenarioChecker.describe(sm.combination())
                : "exploring";
        String line = String.format("%s: %,d executions, %,.0f/s, %s", name, executions,
                executions / (elapsed / 1e9), phase);
        err.control("\r");
        err.print(line + " ".repeat(Math.max(0, shownWidth - line.length())));
        err.flush();
        shownWidth = line.length();
        lastShown = now;
    }

    @Override
    public synchronized void finished(Model model) {
        if (shownWidth > 0) {
            err.control("\r");
            err.print(" ".repeat(shownWidth));
            err.control("\r");
        }
        shownWidth = 0;
        starts.remove(model);
    }
}
