package accelmm.cli;

import accelmm.check.Model;
import accelmm.check.Progress;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import java.io.Console;
import java.io.PrintWriter;
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

    private final PrintWriter err;
    private final LongSupplier clock;
    private String scenario = "";
    private Model current;
    private long start;
    private long lastShown;
    private int shownWidth;

    ProgressLine(PrintWriter err, LongSupplier clock) {
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

    /** The scenario whose combinations come next. */
    void scenario(String name) {
        scenario = name;
    }

    @Override
    public synchronized void update(Model model, String phase, long executions) {
        long now = clock.getAsLong();
        if (model != current) {
            current = model;
            start = now;
            return;
        }
        long elapsed = now - start;
        if (elapsed < DELAY || (shownWidth > 0 && now - lastShown < REFRESH)) {
            return;
        }
        String combination = model instanceof ScenarioModel sm ? " " + ScenarioChecker.describe(sm.combination()) : "";
        String line = String.format("%s%s: %,d executions, %,.0f/s, %s", scenario, combination, executions,
                executions / (elapsed / 1e9), phase);
        err.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
        err.flush();
        shownWidth = line.length();
        lastShown = now;
    }

    @Override
    public synchronized void finished(Model model) {
        if (shownWidth > 0) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
        }
        shownWidth = 0;
        current = null;
    }
}
