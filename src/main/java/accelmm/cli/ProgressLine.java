package accelmm.cli;

import accelmm.check.Model;
import accelmm.check.Progress;
import accelmm.report.TerminalText;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import java.io.Console;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The progress line of {@code accelmm check} on an interactive terminal: once a combination has
 * run for a second, one line on stderr, rewritten in place ({@code \r}) at most every 200 ms —
 * scenario, combination, executions, executions per second and what covered them — and
 * cleared when the combination ends. Not used when stdout is not a terminal or under CI. For a
 * DFS it also shows the search's expected size ({@link Progress#expect}: Knuth's estimate over
 * random probes, capped at the budget) and the time left at the rate so far, or the estimate
 * the search has run past; otherwise the executions against the budget and the most time left
 * at the rate so far. The name says which of the scenario's combinations is under way ({@code
 * (2/3)}). The line keeps within the terminal's columns, shortening the name.
 */
final class ProgressLine implements Progress {

    private static final long DELAY = 1_000_000_000L;
    private static final long REFRESH = 200_000_000L;
    /** The widest the line gets: a terminal's usual width, so that it never wraps. */
    static final int WIDTH = 80;

    private final Terminal err;
    private final LongSupplier clock;
    /** The columns the line keeps within. */
    private final int width;
    /** The executions each combination may run (0: not said). */
    private final long budget;
    private final Map<Scenario, String> labels = new IdentityHashMap<>();
    /** Each scenario's combinations, in the order they run, for "(2/3)". */
    private final Map<Scenario, List<Map<DesignKey, String>>> combinations = new IdentityHashMap<>();
    private final Map<Model, Long> starts = new IdentityHashMap<>();
    /** The expected executions of the DFS of a model under way, when known. */
    private final Map<Model, Double> expected = new IdentityHashMap<>();
    /** Whether the line is shown: false off a terminal, where only estimates are printed. */
    private final boolean live;
    private long lastShown;
    private int shownWidth;

    /** @param err where the line goes: its text escaped as any other, its carriage returns not */
    ProgressLine(Terminal err, LongSupplier clock) {
        this(err, clock, true);
    }

    /** @param live false: no progress line, only the estimates before long searches */
    ProgressLine(Terminal err, LongSupplier clock, boolean live) {
        this(err, clock, live, WIDTH, 0);
    }

    /**
     * @param width  the columns of the terminal (the line never wraps)
     * @param budget the executions each combination may run, shown against the count (0: none)
     */
    ProgressLine(Terminal err, LongSupplier clock, boolean live, int width, long budget) {
        this.err = err;
        this.clock = clock;
        this.live = live;
        this.width = width;
        this.budget = budget;
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

    /** The combinations {@code scenario} runs, in order: the line then says which of them is under way. */
    synchronized void combinations(Scenario scenario, List<Map<DesignKey, String>> inOrder) {
        combinations.put(scenario, List.copyOf(inOrder));
    }

    @Override
    public synchronized void update(Model model, String phase, long executions) {
        if (!live) {
            return;
        }
        long now = clock.getAsLong();
        Long start = starts.putIfAbsent(model, now);
        if (start == null) {
            return;
        }
        long elapsed = now - start;
        if (elapsed < DELAY || (shownWidth > 0 && now - lastShown < REFRESH)) {
            return;
        }
        double rate = executions / (elapsed / 1e9);
        String counts = String.format("%,d executions, %,.0f/s, %s", executions, rate, phase);
        if (budget > 0 && executions < budget) {
            // The search may end sooner (a violation, a complete DFS): the budget's end bounds it.
            counts = String.format("%,d/%,d executions, %,.0f/s, up to %s, %s", executions, budget, rate,
                    left((budget - executions) / Math.max(rate, 1e-9)), phase);
        }
        Double total = expected.get(model);
        if (total != null && executions < total) {
            counts = String.format("%,d of %s executions, %,.0f/s, %s, %s", executions, about(total), rate,
                    left((total - executions) / rate), phase);
        } else if (total != null) {
            // The probes' mean was low: the tree is more lopsided than they saw.
            counts = String.format("%,d executions (estimate %s), %,.0f/s, %s", executions, about(total), rate, phase);
        }
        show(fitted(name(model), counts, width));
        lastShown = now;
    }

    @Override
    public boolean showsEstimates() {
        return live;
    }

    @Override
    public synchronized void expect(Model model, double executions, boolean upperBound) {
        expected.put(model, executions);
    }

    /** "NAME: COUNTS", the name shortened from its start so that the line fits in {@code width} columns. */
    static String fitted(String name, String counts, int width) {
        int room = width - counts.length() - 2;
        if (room <= 3) {
            return counts.length() > width ? counts.substring(0, width) : counts;
        }
        if (name.length() > room) {
            name = "..." + name.substring(name.length() - (room - 3));
        }
        return name + ": " + counts;
    }

    /** "~1,200" below a million, "~1.2e+07" from there. */
    private static String about(double executions) {
        return executions < 1e6 ? String.format("~%,.0f", executions) : String.format("~%.2g", executions);
    }

    /** "12s left", "3m05s left", "2h10m left", "4d03h left", at most "999d left". */
    static String left(double seconds) {
        long s = (long) Math.ceil(Math.min(seconds, 999 * 86_400.0));
        if (s < 60) {
            return s + "s left";
        }
        if (s < 3_600) {
            return String.format("%dm%02ds left", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh%02dm left", s / 3_600, s / 60 % 60);
        }
        return String.format("%dd%02dh left", s / 86_400, s / 3_600 % 24);
    }

    /** A line of its own, kept: "FILE DESIGNS: about 1.2e+06 executions (...), dfs(unbounded, dpor)". */
    @Override
    public synchronized void estimate(Model model, String phase, double executions, boolean upperBound) {
        String line = String.format("%s: about %.2g executions (Knuth's estimate over %d probes%s; often low on"
                + " lopsided trees), %s", name(model), executions, Progress.ESTIMATE_PROBES,
                upperBound ? " of the unreduced search, which the reduced one does not exceed" : "", phase);
        if (live) {
            show(line);
        } else {
            err.print(line);
        }
        err.print("\n");
        err.flush();
        shownWidth = 0;
    }

    /** "FILE DESIGNS (2/3)": the scenario, the combination, and which of the scenario's it is. */
    private String name(Model model) {
        if (!(model instanceof ScenarioModel sm)) {
            return "exploring";
        }
        String name = labels.getOrDefault(sm.scenario(), TerminalText.line(sm.scenario().title())) + " "
                + ScenarioChecker.describe(sm.combination());
        List<Map<DesignKey, String>> all = combinations.get(sm.scenario());
        int k = all == null ? -1 : all.indexOf(sm.combination());
        return k < 0 || all.size() < 2 ? name : name + " (" + (k + 1) + "/" + all.size() + ")";
    }

    private void show(String line) {
        err.control("\r");
        err.print(line + " ".repeat(Math.max(0, shownWidth - line.length())));
        err.flush();
        shownWidth = line.length();
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
        expected.remove(model);
    }
}
