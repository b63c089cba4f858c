package accelmm.cli;

import accelmm.check.Budget;
import accelmm.check.Progress;
import accelmm.check.SchedulerShard;
import accelmm.check.Shard;
import accelmm.check.Strategy;
import accelmm.report.CheckReport;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioError;
import accelmm.scenario.ScenarioChecker;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm check}: every design combination explored, verdicts against the expect lines. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Explore every design combination of the scenarios and compare the verdicts with their expect "
            + "lines.",
            "Exit 0 when every expectation holds, 1 when one does not, 4 when none failed but some combination "
            + "has no verdict (step limit, or out of time), 2 for bad input: a file that cannot be read or has "
            + "problems is reported (on stderr, and with --format json as an error entry: the first syntax error, "
            + "or every problem the checks after parsing find) and "
            + "the other files still run; the exit code is the worst of these (2, then 1, then 4). Interrupted "
            + "(SIGINT or SIGTERM), it prints what it explored and exits 130 or 143."},
        footer = {"", "Examples:", "  accelmm check examples/first.scn",
            "  accelmm check src/test/resources/scenarios --executions 5000 --format json",
            "  accelmm check catalog/userptr-munmap-race --strategy pct --depth 3 --time 10s",
            "  accelmm check catalog/userptr-munmap-race --strategy dfs --preemptions 2",
            "  accelmm check catalog/dontfork --strategy dfs --preemptions unbounded \\",
            "      --reduction sleep --stats",
            "  accelmm check catalog/userptr-munmap-race --strategy mixed --jobs 2",
            "  accelmm check catalog/userptr-munmap-race --design userptr=hmm \\",
            "      --design userptr=pin",
            "  accelmm check DIR --format json --shard 1/2 > a.json",
            "  accelmm check DIR --format json --shard 2/2 > b.json   (on another machine)",
            "  accelmm merge a.json b.json",
            "  accelmm check DIR --format json --shard auto > part-$SLURM_ARRAY_TASK_ID.json"})
final class CheckCommand implements Callable<Integer> {

    /** {@code --format}: the report for people, or for machines (see {@link CheckReport}). */
    enum Format {
        text, json, tap, junit;

        /** The report in this format. */
        String render(CheckReport report) {
            return switch (this) {
                case text -> report.text();
                case json -> report.json();
                case tap -> report.tap();
                case junit -> report.junit();
            };
        }
    }

    enum StrategyName { auto, mixed, random, pct, dfs }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*",
            description = "scenario files, directories of .scn files, or catalog/NAME")
    List<String> paths;

    @Option(names = "--design", paramLabel = "KEY=VALUE", description =
            "run KEY with VALUE only, in every scenario named (repeatable; repeat a key for several of its "
        + "values): the combinations are those of the scenario's other design lines, and a key the scenario "
        + "does not vary is added")
    List<String> designs = new ArrayList<>();

    @Option(names = "--executions", paramLabel = "N",
            description = "executions per design combination at most (default: ${DEFAULT-VALUE})")
    long executions = Budget.DEFAULT.maxExecutions();

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LimitOptions limits;

    @Mixin
    WidthOption width;

    @Mixin
    HtmlOption html;

    @Option(names = "--seed", description = "seed of the exploration (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--strategy", description =
            "auto (dfs and random walks + PCT in alternating slices of the budget, ending clean once the DFS "
        + "completes), dfs (exhaustive within --preemptions; says whether it was complete), mixed (random "
        + "walks and PCT), random or pct (default: ${DEFAULT-VALUE})")
    StrategyName strategy = StrategyName.auto;

    @Option(names = "--depth", paramLabel = "D",
            description = "PCT depth, with --strategy pct (default: ${DEFAULT-VALUE})")
    int depth = 3;

    @Option(names = "--preemptions", paramLabel = "K|unbounded", converter = PreemptionBound.class,
            description = "preemptions per execution at most, for dfs and auto's DFS (auto ends clean once its DFS "
                + "completes for them); unbounded: every interleaving (default: 2)")
    int preemptions = 2;

    @Option(names = "--reduction", paramLabel = "none|sleep|dpor", converter = ReductionName.class,
            description = "how dfs and auto's DFS skip executions equivalent to ones they run: dpor (dynamic "
                + "partial-order "
                + "reduction over the footprints the steps report, with sleep sets), sleep (sleep sets only) or "
                + "none; every one keeps 'complete for K preemptions' true (default: dpor)")
    Strategy.Reduction reduction = Strategy.Reduction.DPOR;

    @Option(names = "--state-caching", paramLabel = "auto|on|off",
            description = "whether dfs stops a run at a state it explored already (scenarios are fingerprinted "
                + "where every "
                + "thread is between statements); such a search runs on one thread and --shard splits nothing of "
                + "it; auto caches unbounded searches only (default: auto)")
    Caching stateCaching = Caching.auto;

    /** {@code --state-caching}. */
    enum Caching {
        auto,
        on,
        off
    }

    /** {@code --reduction}: a {@link Strategy.Reduction} by its {@link Strategy.Reduction#label() label}. */
    static final class ReductionName implements picocli.CommandLine.ITypeConverter<Strategy.Reduction> {
        @Override
        public Strategy.Reduction convert(String value) {
            for (Strategy.Reduction r : Strategy.Reduction.values()) {
                if (r.label().equals(value)) {
                    return r;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a reduction: none, sleep or dpor");
        }
    }

    /** {@code --preemptions}: a count, or {@code unbounded} ({@link Strategy.Dfs#UNBOUNDED}). */
    static final class PreemptionBound implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equals("unbounded")) {
                return Strategy.Dfs.UNBOUNDED;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a number of preemptions or 'unbounded'");
            }
        }
    }

    @Option(names = "--format", description = "text, json, tap (TAP 13 as kselftest writes it: a test per design "
            + "combination, XFAIL for an expected violation found, SKIP with the reason for no verdict) or junit "
            + "(a testsuite per scenario, a testcase per combination, the counterexample in the failure) "
            + "(default: ${DEFAULT-VALUE})")
    Format format = Format.text;

    @Option(names = "--stats", description =
            "also print elapsed time, executions per second, scheduler steps (preemption points passed) per "
        + "second and, for dfs and auto, the DFS's pruned runs (stopped where every option was asleep: "
        + "redundant, not counted as executions)")
    boolean stats;

    @Option(names = "--jobs", paramLabel = "N", description =
            "worker threads: with several scenarios, one scenario each; with one, its executions (a DFS in "
        + "parts of its search tree, random walks and PCT in batches). The results do not depend on N "
        + "(default: ${DEFAULT-VALUE})")
    int jobs = 1;

    @Option(names = "--shard", paramLabel = "I/N|auto", description =
            "explore only shard I of N: the sampling executions whose index is I-1 modulo N, or a part of a "
        + "dfs's search tree (auto's DFS runs whole in every shard); with --format json, accelmm merge "
        + "combines the N results into the report of one unsharded run. auto takes I and N from the batch "
        + "scheduler that runs this task: in a Slurm job array from SLURM_ARRAY_TASK_ID, counted from "
        + "SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT (an array with a step or gaps is refused); in a "
        + "Kubernetes Indexed Job from JOB_COMPLETION_INDEX, counted from 0, of --shard-count")
    String shard;

    @Option(names = "--shard-count", paramLabel = "N", description =
            "with --shard auto, the number of shards: in a Kubernetes Indexed Job, whose pods are not told it, "
        + "the Job's completions (required there); in a Slurm job array it may be given too, and must then "
        + "equal SLURM_ARRAY_TASK_COUNT")
    Integer shardCount;

    /** Where {@code --shard auto} reads the batch scheduler's variables; tests give their own. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        if (executions < 1) {
            throw new CliError("--executions must be at least 1");
        }
        if (depth < 1 || depth > Strategy.Pct.MAX_DEPTH) {
            throw new CliError("--depth must be between 1 and " + Strategy.Pct.MAX_DEPTH + ", got " + depth);
        }
        if (preemptions < 0) {
            throw new CliError("--preemptions must be at least 0");
        }
        if (jobs < 1 || jobs > Budget.MAX_JOBS) {
            throw new CliError("--jobs must be between 1 and " + Budget.MAX_JOBS + ", got " + jobs);
        }
        if (cluster.given() && shard != null) {
            throw new CliError("--cluster shares the work out itself: run it without --shard");
        }
        Shard part = part();
        Map<DesignKey, List<String>> fixed = Scenarios.designValues(designs);
        // Off a terminal the line prints only the estimates before long searches.
        // The line fits the terminal itself, whatever --width asks of the report.
        ProgressLine progress = new ProgressLine(Terminal.err(spec), System::nanoTime, ProgressLine.interactive(),
                WidthOption.columns(System.getenv(WidthOption.COLUMNS_VARIABLE)), executions);
        Budget budget = new Budget(executions, limits.maxTime(), jobs, part, progress, limits.maxSteps());
        Strategy chosen = switch (strategy) {
            case auto -> new Strategy.Auto(seed, preemptions, reduction);
            case mixed -> new Strategy.Mixed(seed);
            case random -> new Strategy.RandomWalk(seed);
            case pct -> new Strategy.Pct(seed, depth);
            case dfs -> stateCaching == Caching.auto ? new Strategy.Dfs(preemptions, reduction)
                    : new Strategy.Dfs(preemptions, reduction, stateCaching == Caching.on);
        };
        CheckReport report = new CheckReport(stats);
        report.width(width.columns());
        report.ran(Main.version(), runOptions());
        if (shard != null) {
            report.shard(part, runOptions());
        }
        List<String> files = paths.stream().flatMap(p -> p.startsWith("catalog/") ? List.of(p).stream()
                : Scenarios.expand(List.of(p)).stream()).toList();
        // From here an interrupt gets a report: one while the files load leaves them all not begun.
        try (Interrupt interrupt = Interrupt.onSignal()) {
            List<ScenarioError> problems = new ArrayList<>();
            List<String> loaded = new ArrayList<>();
            List<Scenario> scenarios = load(files, progress, loaded, problems);
            scenarios.forEach(sc -> progress.combinations(sc, ScenarioChecker.combinations(sc, fixed)));
            if (!problems.isEmpty()) {
                // The others still run; the problems go first, to stderr, and into the report.
                ScenarioError all = ScenarioError.of(problems);
                Terminal.err(spec).println(all.render());
                report.refused(all);
            }
            // Several scenarios: one per worker, each exploring on its own thread; one: its
            // executions on the workers. Either way the report is the one a single thread gives.
            // With a cluster, the DFS tasks of each run on its members instead.
            Budget each = (scenarios.size() > 1 ? budget.withJobs(1) : budget).withStop(interrupt);
            List<List<ScenarioChecker.CombinationResult>> results;
            try (ClusterSupport.Member member = cluster.given() ? joinAndShare(loaded, scenarios) : null) {
                Budget run = member == null ? each : each.withRemote(member.tasks());
                results = InOrder.map(scenarios, scenarios.size() > 1 ? jobs : 1,
                        scenario -> ScenarioChecker.check(scenario, fixed, chosen, run));
            }
            // Interrupted: a file none of whose combinations began, or the combinations of a
            // file that did not begin ("FILE DESIGNS").
            List<String> notRun = new ArrayList<>();
            for (int i = 0; i < loaded.size(); i++) {
                List<ScenarioChecker.CombinationResult> ran = results.get(i);
                if (interrupt.passed() && ran.isEmpty()) {
                    notRun.add(loaded.get(i));
                    continue;
                }
                report.add(new CheckReport.Entry(loaded.get(i), scenarios.get(i), ran));
                if (interrupt.passed()) {
                    List<Map<DesignKey, String>> all = ScenarioChecker.combinations(scenarios.get(i), fixed);
                    for (Map<DesignKey, String> c : all.subList(ran.size(), all.size())) {
                        notRun.add(loaded.get(i) + " " + ScenarioChecker.describe(c));
                    }
                }
            }
            if (interrupt.passed()) {
                report.interrupted(notRun);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.render(report));
            out.flush();
            html.write(report);
            if (interrupt.passed()) {
                return Main.EXIT_INTERRUPTED;
            }
            return report.anyRefused() ? Main.EXIT_USAGE : Main.exitOf(report);
        }
    }

    /** {@code --shard} with {@code --shard-count}: the part of the search to explore. */
    private Shard part() {
        if (shardCount != null && shardCount < 1) {
            throw new CliError("--shard-count must be at least 1, got " + shardCount);
        }
        boolean auto = "auto".equals(shard);
        if (shardCount != null && !auto) {
            throw new CliError("--shard-count goes with --shard auto"
                    + (shard == null ? "" : ", not with --shard " + shard + ", which names its count"));
        }
        if (shard == null) {
            return Shard.WHOLE;
        }
        try {
            return auto ? SchedulerShard.read(environment,
                    shardCount == null ? OptionalInt.empty() : OptionalInt.of(shardCount)) : Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw new CliError((auto ? "--shard auto: " : "--shard: ") + e.getMessage());
        }
    }

    /**
     * Joins the cluster {@code --cluster} names and gives its members the text of each scenario
     * to check, which they build the models of the tasks they run from.
     */
    private ClusterSupport.Member joinAndShare(List<String> paths, List<Scenario> scenarios) {
        ClusterSupport.Member member = cluster.join(cluster.name);
        try {
            for (int i = 0; i < paths.size(); i++) {
                member.share(scenarios.get(i).fingerprint(), scenarios.get(i).fileName(), Scenarios.text(paths.get(i)));
            }
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
        Terminal.err(spec).println("accelmm: cluster '" + cluster.name + "': " + member.size()
                + (member.size() == 1 ? " member" : " members") + ", this one " + member.address()
                + (cluster.members.isEmpty() && member.size() == 1
                        ? " (no --member given: only workers that list this address can join)" : ""));
        return member;
    }

    /** The options that decide which executions a shard runs, those the strategy reads. */
    private Map<String, Object> runOptions() {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("strategy", strategy.name());
        if (strategy != StrategyName.dfs) {
            run.put("seed", seed);
        }
        if (strategy == StrategyName.pct) {
            run.put("depth", (long) depth);
        }
        if (strategy == StrategyName.auto || strategy == StrategyName.dfs) {
            run.put("preemptions", preemptions == Strategy.Dfs.UNBOUNDED ? "unbounded" : (Object) (long) preemptions);
            run.put("reduction", reduction.label());
        }
        if (!designs.isEmpty()) {
            List<String> given = new ArrayList<>();
            Scenarios.designValues(designs)
                    .forEach((key, values) -> values.forEach(v -> given.add(key.word() + "=" + v)));
            run.put("designs", String.join(" ", given));
        }
        run.put("executions", executions);
        run.put("maxSteps", limits.maxSteps());
        return run;
    }

    /**
     * Every scenario named that loads and is fit to run, its path added to {@code loaded}; the
     * problems of the others go to {@code errors}. When no file loads, the problems are reported
     * together (with a format for machines, also as its report on stdout) and nothing runs.
     */
    private List<Scenario> load(List<String> files, ProgressLine progress, List<String> loaded,
            List<ScenarioError> errors) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String path : files) {
            try {
                Scenario scenario = Scenarios.load(path);
                if (progress != null) {
                    progress.label(scenario, path);
                }
                scenarios.add(scenario);
                loaded.add(path);
            } catch (ScenarioError e) {
                errors.add(e);
            }
        }
        if (errors.isEmpty() || !scenarios.isEmpty()) {
            return scenarios;
        }
        ScenarioError all = ScenarioError.of(errors);
        if (format != Format.text) {
            // For a machine, a report of the refused files alone; for a person, the problems.
            CheckReport refused = new CheckReport(stats);
            refused.ran(Main.version(), runOptions());
            refused.refused(all);
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.render(refused));
            out.flush();
        }
        throw all;
    }
}
