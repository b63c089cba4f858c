package accelmm.report;

import accelmm.check.Coverage;
import accelmm.check.Exploration;
import accelmm.check.Inconclusive;
import accelmm.check.RunResult;
import accelmm.check.Shard;
import accelmm.check.Strategy;
import accelmm.check.Violation;
import accelmm.scenario.ReplayToken;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioError;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import accelmm.sim.ObjectGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code accelmm check} for a set of scenarios, rendered as text, JSON, KTAP
 * ({@link KtapReport}) or JUnit XML ({@link JunitReport}) from the same data. Text lists each scenario with one line per design combination (verdict, what was
 * expected, how much was explored), then the counterexample of every violation found — shrunk
 * when the checker shrank it — as numbered steps and as a swim-lane table, with the command that
 * replays it.
 */
public final class CheckReport {

    /** One scenario file's results. */
    public record Entry(String path, Scenario scenario, List<CombinationResult> results) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final boolean stats;
    /**
     * The width the text fits: long lines are broken at spaces ({@link Wrap}), the swim lanes
     * share it ({@link SwimLane}), wide cost tables are split ({@link CostTable}); only replay
     * commands stay whole, to be copied.
     */
    private int width = SwimLane.DEFAULT_WIDTH;
    /** The narrowest column the explored text of a verdict row is wrapped in; narrower goes below. */
    private static final int MIN_EXPLORED = 28;
    /** What JSON says of the run: accelmm's version and the options, or null. */
    private String version;
    private Map<String, Object> options;
    private String command = "check";

    /**
     * @param stats whether to print elapsed times and rates (machine-dependent), and the DFS's
     *              pruned runs; without them text, TAP and JUnit of the same run are the same byte
     *              for byte, and JSON differs only in each combination's {@code elapsedNanos}
     */
    public CheckReport(boolean stats) {
        this.stats = stats;
    }

    private Shard shard;
    private Map<String, Object> runOptions;

    /**
     * This run explored one shard: the JSON then also carries what {@link ShardMerge} needs, and
     * the options that decide which executions each shard runs ({@code "run"}: strategy, seed,
     * budget, ...), so that shards of different runs are not merged.
     */
    public void shard(Shard explored, Map<String, Object> options) {
        this.shard = explored;
        this.runOptions = new LinkedHashMap<>(options);
    }

    /** Lays the text out in {@code columns} characters (swim lanes share them; {@link SwimLane}). */
    public void width(int columns) {
        this.width = columns;
    }

    /** The JSON carries {@code version} and the {@code options} the run was given. */
    public void ran(String accelmmVersion, Map<String, Object> runOptions) {
        this.version = accelmmVersion;
        this.options = new LinkedHashMap<>(runOptions);
    }

    public void add(Entry entry) {
        entries.add(entry);
    }

    /** The problems of the files that were refused (the others ran), or null. */
    private ScenarioError refused;

    /**
     * Files named to the check that could not be read or were refused, with {@code problems}: the
     * report says so, its JSON carries them as {@code "errors"}, and nothing holds.
     */
    public void refused(ScenarioError problems) {
        this.refused = problems;
    }

    /**
     * What was not begun when the check was interrupted, or null when it was not: a file none of
     * whose combinations began ({@code FILE}), or one combination of a file ({@code FILE DESIGNS}).
     */
    private List<String> notRun;

    /**
     * The user interrupted the check: the report holds what was explored until then (the last
     * combination under way cut short), and {@code notRun} lists the files and combinations not begun. Such
     * a report holds nothing as a whole.
     */
    public void interrupted(List<String> notRun) {
        this.notRun = List.copyOf(notRun);
    }

    /** Whether some file was refused ({@link #refused}). */
    public boolean anyRefused() {
        return refused != null;
    }

    /** Whether every file ran and every combination of every scenario met its expectation. */
    public boolean allHold() {
        return refused == null && notRun == null
                && entries.stream().allMatch(e -> e.results().stream().allMatch(CombinationResult::holds));
    }

    /**
     * Whether some combination reached a verdict other than the expected one; when not every
     * combination held and none did this, the ones that did not hold are inconclusive.
     */
    public boolean anyUnexpected() {
        return entries.stream().anyMatch(e -> e.results().stream()
                .anyMatch(r -> !r.holds() && r.exploration().conclusive()));
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        int combos = 0;
        int held = 0;
        int inconclusive = 0;
        for (Entry e : entries) {
            Wrap.append(out, "scenario \"" + TerminalText.line(e.scenario().title()) + "\" ("
                    + TerminalText.line(e.path()) + ")", width, 2);
            int designsWidth = e.results().stream().mapToInt(r -> r.designs().length()).max().orElse(7);
            int verdictWidth = e.results().stream().mapToInt(r -> verdictOf(r).length()).max().orElse(5);
            int expectationWidth = e.results().stream().mapToInt(r -> expectation(r).length()).max().orElse(11);
            for (CombinationResult r : e.results()) {
                combos++;
                held += r.holds() ? 1 : 0;
                inconclusive += r.exploration().conclusive() ? 0 : 1;
                Wrap.row(out, List.of(r.designs(), verdictOf(r), expectation(r)),
                        new int[] {designsWidth, verdictWidth, expectationWidth}, explored(r), width, MIN_EXPLORED);
            }
            costs(out, e, width);
            // Identical counterexamples (designs the race does not tell apart) are printed once.
            Map<List<String>, String> printed = new LinkedHashMap<>();
            for (CombinationResult r : e.results()) {
                if (r.exploration().violated()) {
                    RunResult run = r.counterexample();
                    List<Counterexample.Step> steps = steps(run);
                    String first = steps.isEmpty() ? null : printed.putIfAbsent(Counterexample.lines(steps), r.designs());
                    if (first != null) {
                        out.append('\n');
                        Wrap.append(out, "  " + r.designs() + ": " + Counterexample.headline(run.violation(), steps),
                                width, 4);
                        Wrap.append(out, "    the same counterexample as " + first + " above", width, 6);
                        out.append("    replay: ").append(replayCommand(e.path(), e.scenario(), r)).append('\n');
                    } else {
                        counterexample(out, e, r);
                    }
                } else if (r.exploration().inconclusive() instanceof Inconclusive.StepLimit limit) {
                    stepLimit(out, e, r, limit);
                }
            }
            out.append('\n');
        }
        StringBuilder summary = new StringBuilder();
        summary.append(entries.size()).append(entries.size() == 1 ? " scenario, " : " scenarios, ").append(combos)
                .append(combos == 1 ? " combination: " : " combinations: ").append(held).append(" as expected, ")
                .append(combos - held).append(" not").append(inconclusive == 0 ? "" : " (" + inconclusive
                        + " of them inconclusive)");
        if (refused != null) {
            long files = refused.problems().stream().map(ScenarioError.Problem::fileName).distinct().count();
            summary.append("; ").append(files).append(files == 1 ? " file" : " files")
                    .append(files == 1 ? " refused (its problems are on stderr)" : " refused (their problems are on stderr)");
        }
        Wrap.append(out, summary.toString(), width, 2);
        if (notRun != null) {
            StringBuilder line = new StringBuilder(
                    "interrupted: the results explored until then (a combination under way was cut short)");
            if (!notRun.isEmpty()) {
                // The first few by name; the JSON lists them all.
                int shown = Math.min(notRun.size(), 3);
                line.append("; not begun: ").append(notRun.size()).append(" (")
                        .append(TerminalText.line(String.join(", ", notRun.subList(0, shown))))
                        .append(shown < notRun.size() ? " and " + (notRun.size() - shown) + " more" : "").append(')');
            }
            Wrap.append(out, line.toString(), width, 2);
        }
        return out.toString();
    }

    /**
     * The scenario's cost table: per combination, the counters of its first execution that ran to
     * its end, with the least and most over those in parentheses where they differ; a combination
     * whose every execution was cut short shows that run, marked ({@link CostTable}).
     */
    private static void costs(StringBuilder out, Entry e, int width) {
        CostTable table = CostTable.withRanges("designs");
        for (CombinationResult r : e.results()) {
            table.add(r.exploration().costs(), r.designs());
        }
        Wrap.append(out, "  costs of the first execution that ran to its end (least..most over those, where they differ):",
                width, 4);
        for (String line : table.render("    ", width)) {
            out.append(line).append('\n');
        }
    }

    /** The check's scenario files that ran, in order, each with its combinations' results. */
    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * The problems of each refused file, in the order met, each as {@code FILE:LINE:COL: message};
     * empty when none was refused.
     */
    Map<String, List<String>> refusedByFile() {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        if (refused != null) {
            for (ScenarioError.Problem p : refused.problems()) {
                byFile.computeIfAbsent(p.fileName(), f -> new ArrayList<>())
                        .add(p.fileName() + ":" + p.line() + ":" + p.column() + ": " + p.reason());
            }
        }
        return byFile;
    }

    /** The files and combinations not begun when the check was interrupted; null when it was not interrupted. */
    List<String> notBegun() {
        return notRun;
    }

    boolean stats() {
        return stats;
    }

    /** accelmm's version as {@link #ran} gave it, or null. */
    String version() {
        return version;
    }

    /** The run's options as {@link #ran} gave them (empty when not given). */
    Map<String, Object> options() {
        return options == null ? Map.of() : options;
    }

    /** The command that replays {@code r}'s counterexample. */
    String replay(Entry e, CombinationResult r) {
        return replayCommand(e.path(), e.scenario(), r);
    }

    /** The report as one self-contained HTML file (see {@link HtmlReport}). */
    public String html() {
        return HtmlReport.render(this);
    }

    /** The command whose report this is, as the HTML page names it: {@code check} unless {@link #command(String)} said. */
    String command() {
        return command;
    }

    /** Names the command whose report this is ({@code demo}), for the HTML page's title. */
    public void command(String name) {
        this.command = name;
    }

    /**
     * What a reader of one combination's result needs beyond its line, as the text report prints
     * it: the counterexample of a violation, or the replay of an execution that passed the step
     * limit; empty otherwise.
     */
    String details(Entry e, CombinationResult r) {
        StringBuilder out = new StringBuilder();
        if (r.exploration().violated()) {
            counterexample(out, e, r);
        } else if (r.exploration().inconclusive() instanceof Inconclusive.StepLimit limit) {
            stepLimit(out, e, r, limit);
        }
        return out.toString().strip();
    }

    /** One combination's line without its designs: verdict, expectation, what was explored. */
    String summary(CombinationResult r) {
        return verdictOf(r) + ", " + expectation(r) + "; " + explored(r);
    }

    /** The report in KTAP, as kselftest prints it (see {@link KtapReport}). */
    public String tap() {
        return KtapReport.render(this);
    }

    /** The report as JUnit XML (see {@link JunitReport}). */
    public String junit() {
        return JunitReport.render(this);
    }

    static String expectation(CombinationResult r) {
        if (r.holds()) {
            return "as expected";
        }
        return (r.exploration().conclusive() ? "UNEXPECTED" : "INCONCLUSIVE") + " (expected " + r.expected() + ")";
    }

    /** {@code violation NAME}, {@code clean}, or why there is no verdict: {@code step limit}, {@code out of time}. */
    static String verdict(Exploration e) {
        if (!e.conclusive()) {
            return e.inconclusive().verdict();
        }
        return e.violated() ? "violation " + e.firstViolation().violation().invariant() : "clean";
    }

    /**
     * {@link #verdict}, except that a combination the user's interrupt ended before any
     * execution finished is {@code interrupted}, not out of time.
     */
    static String verdictOf(CombinationResult r) {
        return r.interrupted() && !r.exploration().conclusive() ? "interrupted" : verdict(r.exploration());
    }

    /**
     * How the verdict was reached, or why there is none (see {@link #search}); a search the user
     * interrupted says so, with how far it got.
     */
    static String noVerdict(CombinationResult r) {
        if (!r.interrupted()) {
            return search(r.exploration());
        }
        return r.exploration().conclusive() ? "incomplete: interrupted after " + executions(r.exploration().executions())
                : "interrupted before an execution finished";
    }

    String explored(CombinationResult r) {
        Exploration e = r.exploration();
        String what = noVerdict(r);
        if (!stats) {
            return what;
        }
        double ms = e.elapsedNanos() / 1e6;
        double seconds = Math.max(ms / 1000, 1e-9);
        String pruned = !searchedDepthFirst(e) ? "" : e.prunedRuns() == 1 ? ", 1 pruned run" : ", " + e.prunedRuns()
                + " pruned runs";
        if (e.statesStored() > 0) {
            pruned += ", " + e.statesStored() + " states stored, " + e.cacheHits() + " cache hits";
        }
        return String.format("%s, %.0f ms, %.0f executions/s, %.0f steps/s%s", what, ms, e.executions() / seconds,
                e.steps() / seconds, pruned);
    }

    /**
     * Whether a DFS explored the combination, alone or in {@code auto}: then {@code --stats} also
     * shows its pruned runs (stopped asleep at every option, not counted as executions).
     */
    private static boolean searchedDepthFirst(Exploration e) {
        return !(e.coverage() instanceof Coverage.Sampled);
    }

    /** How the verdict was reached: "found in execution 549", the coverage of a clean result, or why there is none. */
    static String search(Exploration e) {
        return switch (e.inconclusive()) {
            case Inconclusive.StepLimit s -> "execution " + e.executions() + " passed " + s.limit() + " steps";
            case Inconclusive.OutOfTime o -> "no execution finished within the time budget";
            case null -> e.violated() ? "found in execution " + e.executions() + foundBy(e) : coverage(e);
        };
    }

    /** How much a clean exploration covered: "500 executions", "complete for 2 preemptions, 143 executions". */
    static String coverage(Exploration e) {
        return switch (e.coverage()) {
            case Coverage.Sampled s -> executions(e.executions());
            case Coverage.Systematic s -> s.complete() ? s.describe() + ", " + executions(e.executions())
                    : "incomplete: the budget (--executions or --time) ran out after " + executions(e.executions());
            case Coverage.Portfolio p -> p.describe();
        };
    }

    /** {@code auto}'s parts: what its DFS covered, what sampling ran, which part found the violation. */
    private static Map<String, Object> parts(Coverage.Portfolio p) {
        Map<String, Object> dfs = new LinkedHashMap<>();
        dfs.put("executions", p.dfsExecutions());
        int bound = p.dfs().preemptionBound();
        dfs.put("preemptions", bound == Strategy.Dfs.UNBOUNDED ? "unbounded" : (Object) (long) bound);
        dfs.put("completeFor", !p.complete() ? null : p.dfs().boundHit() ? (Object) (long) bound : "every interleaving");
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("dfs", dfs);
        parts.put("sampling", Map.of("executions", p.samplingExecutions()));
        if (p.foundBy() != null) {
            Map<String, Object> found = new LinkedHashMap<>();
            found.put("part", p.foundBy());
            found.put("execution", p.foundAt());
            parts.put("foundBy", found);
        }
        return parts;
    }

    /** For {@code auto}: " of auto, by pct(depth 2) in its 6th execution; dfs(preemptions 2) ran 7 executions, incomplete". */
    private static String foundBy(Exploration e) {
        return e.coverage() instanceof Coverage.Portfolio p && p.foundBy() != null ? " of auto, " + p.describe() : "";
    }

    private static String executions(long n) {
        return n == 1 ? "1 execution" : n + " executions";
    }

    /**
     * A violating execution: its headline, how far it was shrunk, its numbered steps and its
     * swim lanes (one numbering for all three), and the command that replays it.
     */
    private void counterexample(StringBuilder out, Entry e, CombinationResult r) {
        RunResult run = r.counterexample();
        Violation v = run.violation();
        List<Counterexample.Step> steps = steps(run);
        out.append('\n');
        Wrap.append(out, "  " + r.designs() + ": " + (steps.isEmpty() ? v.toString() : Counterexample.headline(v, steps)),
                width, 4);
        if (r.shrunk() != null && !steps.isEmpty()) {
            Wrap.append(out, "    " + shrunkNote(r, steps), width, 5);
        }
        if (!steps.isEmpty()) {
            for (String step : Counterexample.lines(steps)) {
                // A step's continuation lines start under its text, after "12. ".
                Wrap.append(out, "    " + step, width, 4 + step.indexOf(". ") + 2);
            }
            out.append('\n');
            for (String line : SwimLane.render(steps, "    ", width)) {
                out.append(line).append('\n');
            }
        }
        out.append("    replay: ").append(replayCommand(e.path(), e.scenario(), r)).append('\n');
    }

    /** The numbered steps of a violating run, the violation last; empty when it has no trace. */
    private static List<Counterexample.Step> steps(RunResult run) {
        return run.trace() == null ? List.of() : Counterexample.of(run.trace(), run.violation());
    }

    /**
     * An execution that passed the step limit: no trace (it would be as long as the limit),
     * the command that replays it.
     */
    private void stepLimit(StringBuilder out, Entry e, CombinationResult r, Inconclusive.StepLimit limit) {
        out.append('\n');
        Wrap.append(out, "  " + r.designs() + ": step limit: " + limit.limit()
                + " steps without finishing; not a verdict (long work, a livelock or a loop; see --max-steps)", width, 4);
        out.append("    replay: ").append(ReplayLine.command(e.path(), r.combination(), token(e.scenario(), r, limit.run())))
                .append(" --max-steps ").append(limit.limit()).append('\n');
    }

    /**
     * How the shrinker shortened the counterexample, in the steps of {@code shrunk}: {@code
     * (shrunk from 20 steps and 5 context switches to 14 and 2)}, or only the result when the
     * execution found first has no trace.
     */
    static String shrunkNote(CombinationResult r, List<Counterexample.Step> shrunk) {
        RunResult found = r.exploration().firstViolation();
        int k = r.counterexample().trace().contextSwitches();
        String switches = k + (k == 1 ? " context switch" : " context switches");
        if (found == null || found.trace() == null) {
            return "(shrunk to " + shrunk.size() + " steps, " + switches + ")";
        }
        // The steps of the trace and the one that broke the invariant, as the list numbers them.
        int n0 = found.trace().steps() + 1;
        int k0 = found.trace().contextSwitches();
        if (n0 == shrunk.size() && k0 == k) {
            return "(" + shrunk.size() + " steps, " + switches + ": the shrinker found none shorter)";
        }
        return "(shrunk from " + n0 + " steps and " + k0 + " context " + (k0 == 1 ? "switch" : "switches")
                + " to " + shrunk.size() + " and " + k + ")";
    }

    private static String replayCommand(String path, Scenario scenario, CombinationResult r) {
        return ReplayLine.command(path, r.combination(), token(scenario, r, r.counterexample()));
    }

    /** The replay token of {@code run}, one of {@code r}'s executions. */
    private static String token(Scenario scenario, CombinationResult r, RunResult run) {
        return ReplayToken.of(scenario, r.combination(), run.schedule());
    }

    public String json() {
        List<Object> scenarios = new ArrayList<>();
        for (Entry e : entries) {
            List<Object> combos = new ArrayList<>();
            for (CombinationResult r : e.results()) {
                Map<String, Object> c = combination(e.path(), e.scenario(), r);
                if (stats) {
                    // The scheduling steps of every execution: with elapsedNanos, the text's steps/s.
                    c.put("schedulingSteps", r.exploration().steps());
                    if (searchedDepthFirst(r.exploration())) {
                        c.put("prunedRuns", r.exploration().prunedRuns());
                        if (r.exploration().statesStored() > 0) {
                            c.put("statesStored", r.exploration().statesStored());
                            c.put("cacheHits", r.exploration().cacheHits());
                        }
                    }
                }
                if (shard != null) {
                    c.put("shard", ShardMerge.details(r.exploration()));
                }
                combos.add(c);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("file", e.path());
            s.put("title", e.scenario().title());
            s.put("fingerprint", e.scenario().fingerprint());
            s.put("combinations", combos);
            scenarios.add(s);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        if (version != null) {
            root.put("accelmm", version);
            root.put("options", options);
        }
        if (refused != null) {
            root.put("errors", problems(refused));
        }
        root.put("scenarios", scenarios);
        root.put("allHold", allHold());
        if (notRun != null) {
            Map<String, Object> interrupted = new LinkedHashMap<>();
            interrupted.put("notBegun", notRun);
            root.put("interrupted", interrupted);
        }
        if (shard != null) {
            root.put("shard", shard.toString());
            root.put("run", runOptions);
        }
        return Json.write(root);
    }

    /** Each problem of {@code error} with its file, line, column, message and source line. */
    private static List<Object> problems(ScenarioError error) {
        List<Object> problems = new ArrayList<>();
        for (ScenarioError.Problem p : error.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.fileName());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", p.reason());
            if (p.sourceLine() != null) {
                m.put("source", p.sourceLine());
            }
            problems.add(m);
        }
        return problems;
    }

    private static Map<String, Object> combination(String path, Scenario scenario, CombinationResult r) {
        Map<String, Object> c = new LinkedHashMap<>();
        Map<String, Object> designs = new LinkedHashMap<>();
        r.combination().forEach((k, v) -> designs.put(k.word(), v));
        c.put("designs", designs);
        c.put("verdict", verdictOf(r));
        c.put("expected", r.expected().toString());
        c.put("holds", r.holds());
        c.put("executions", r.exploration().executions());
        // The one field in which two runs of the same search differ.
        c.put("elapsedNanos", r.exploration().elapsedNanos());
        c.put("strategy", r.exploration().strategy());
        c.put("costs", CostTable.json(r.exploration().costs()));
        if (!(r.exploration().coverage() instanceof Coverage.Sampled)) {
            c.put("complete", r.exploration().complete());
            c.put("coverage", r.exploration().violated() ? "violation found" : noVerdict(r));
        }
        if (r.exploration().coverage() instanceof Coverage.Portfolio p) {
            c.put("parts", parts(p));
        }
        if (r.interrupted()) {
            c.put("interrupted", true);
        }
        if (r.exploration().inconclusive() instanceof Inconclusive.StepLimit limit) {
            c.put("stepLimit", limit.limit());
            c.put("schedule", token(scenario, r, limit.run()));
        }
        if (r.exploration().violated()) {
            RunResult run = r.counterexample();
            List<Counterexample.Step> steps = steps(run);
            c.put("invariant", run.violation().invariant().scenarioName());
            // The number of the step that broke it, the last of "steps" (none without a trace).
            if (!steps.isEmpty()) {
                c.put("step", (long) steps.size());
            }
            c.put("actor", run.violation().actor());
            c.put("message", run.violation().message());
            if (!run.violation().details().isEmpty()) {
                c.put("details", run.violation().details());
            }
            c.put("schedule", token(scenario, r, run));
            if (r.shrunk() != null) {
                Map<String, Object> shrunk = new LinkedHashMap<>();
                RunResult found = r.exploration().firstViolation();
                if (found.trace() != null) {
                    shrunk.put("originalSteps", (long) found.trace().steps() + 1);
                    shrunk.put("originalContextSwitches", (long) found.trace().contextSwitches());
                }
                shrunk.put("originalSchedule", token(scenario, r, found));
                shrunk.put("steps", (long) steps.size());
                shrunk.put("contextSwitches", (long) run.trace().contextSwitches());
                c.put("shrunk", shrunk);
            }
            c.put("replay", replayCommand(path, scenario, r));
            List<Object> rows = new ArrayList<>();
            for (Counterexample.Step s : steps) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", (long) s.index());
                row.put("actor", s.actor());
                row.put("kind", s.kind().label());
                row.put("operation", s.operation());
                row.put("result", s.result());
                if (s.line() > 0) {
                    row.put("line", (long) s.line());
                }
                row.put("text", s.text());
                rows.add(row);
            }
            c.put("steps", rows);
            if (run.trace() != null && run.trace().objectsAtEnd() != null) {
                c.put("objectsAtEnd", objects(run.trace().objectsAtEnd()));
            }
        }
        return c;
    }

    /**
     * Who held whom when the violating run ended, as the HTML report draws it: the objects
     * (processes, mms, files, VMs, GEM objects, dma-bufs, regions, queues, frame ranges) by id,
     * and each reference from its holder to what it holds, how it is held, and whether it points
     * at a frame freed or reused since it was taken.
     */
    private static Map<String, Object> objects(ObjectGraph graph) {
        List<Object> nodes = new ArrayList<>();
        for (ObjectGraph.Node n : graph.nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", (long) n.id());
            node.put("kind", n.kind());
            node.put("label", n.label());
            if (!n.detail().isEmpty()) {
                node.put("detail", n.detail());
            }
            nodes.add(node);
        }
        List<Object> references = new ArrayList<>();
        for (ObjectGraph.Edge e : graph.edges()) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("holder", (long) e.holder());
            ref.put("held", (long) e.held());
            ref.put("via", e.via());
            if (e.stale()) {
                ref.put("stale", true);
            }
            references.add(ref);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("objects", nodes);
        out.put("references", references);
        return out;
    }
}
