package accelmm.cli;

import accelmm.check.Budget;
import accelmm.check.Strategy;
import accelmm.report.CheckReport;
import accelmm.report.CostTable;
import accelmm.report.VerdictTable;
import accelmm.report.Wrap;
import accelmm.scenario.Catalog;
import accelmm.scenario.ScenarioChecker;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm demo}: the main job — the whole catalog against every design, as a table. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Check every built-in scenario against every design and print a table of verdicts.",
            "Exit 0 when every verdict is the one the scenario expects."},
        footer = {"", "Example:", "  accelmm demo", "Then, for a counterexample: accelmm check catalog/NAME"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--executions", paramLabel = "N",
            description = "executions per design combination at most (default: ${DEFAULT-VALUE})")
    long executions = Budget.DEFAULT.maxExecutions();

    @Option(names = "--seed", description = "seed of the exploration (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--jobs", paramLabel = "N",
            description = "worker threads, one scenario each; the table does not depend on N (default: ${DEFAULT-VALUE})")
    int jobs = 1;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @picocli.CommandLine.Mixin
    WidthOption width;

    @Override
    public Integer call() {
        if (executions < 1) {
            throw new CliError("--executions must be at least 1");
        }
        if (jobs < 1 || jobs > Budget.MAX_JOBS) {
            throw new CliError("--jobs must be between 1 and " + Budget.MAX_JOBS + ", got " + jobs);
        }
        VerdictTable table = new VerdictTable();
        CostTable costs = CostTable.firstExecutions("scenario", "designs");
        // The same costs a table per scenario, for a width the whole table does not fit.
        Map<String, CostTable> costsOf = new LinkedHashMap<>();
        List<Catalog.Entry> entries = Catalog.entries();
        // One scenario per worker; the table is the one a single thread gives.
        List<List<ScenarioChecker.CombinationResult>> results = InOrder.map(entries, jobs,
                e -> ScenarioChecker.check(e.scenario(), new Strategy.Auto(seed, 2), new Budget(executions, null)));
        for (int i = 0; i < entries.size(); i++) {
            table.add(entries.get(i).name(), results.get(i));
            // Only where there are designs to compare.
            if (results.get(i).size() > 1) {
                String name = entries.get(i).name();
                CostTable own = costsOf.computeIfAbsent(name, n -> CostTable.firstExecutions("designs"));
                for (ScenarioChecker.CombinationResult r : results.get(i)) {
                    costs.add(r.exploration().costs(), name, r.designs());
                    own.add(r.exploration().costs(), r.designs());
                    name = "";
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int columns = width.columns();
        println(out, "accelmm demo: the built-in catalog, every design combination explored", columns);
        println(out, "(auto: a DFS of the executions with at most 2 preemptions, with DPOR, and random walks and PCT"
                + " with seed " + seed + ", in alternating slices of " + executions + " executions at most, until the"
                + " DFS completes)", columns);
        out.println();
        out.print(table.render(columns));
        out.println();
        println(out, "Costs: counts per execution, of the first execution of each design combination that ran to its"
                + " end (scenarios with more than one combination)", columns);
        List<String> whole = costs.rows("", Integer.MAX_VALUE);
        if (whole.stream().allMatch(l -> l.length() <= columns)) {
            whole.forEach(out::println);
        } else {
            // Too wide: a table per scenario under its name, split further where it must be.
            costsOf.forEach((name, own) -> {
                out.println(name);
                own.rows("  ", columns).forEach(out::println);
            });
        }
        costs.legend("", columns).forEach(out::println);
        out.println();
        out.println("For a counterexample and its replay command: accelmm check catalog/NAME");
        out.flush();
        html(entries, results);
        return table.allHold() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }

    /** {@code line} broken at spaces to {@code columns}. */
    private static void println(PrintWriter out, String line, int columns) {
        Wrap.hanging(line, columns, 0).forEach(out::println);
    }

    /** With {@code --html}, the demo as the check's HTML report. */
    private void html(List<Catalog.Entry> entries, List<List<ScenarioChecker.CombinationResult>> results) {
        if (html.file != null) {
            CheckReport report = new CheckReport(false);
            report.command("demo");
            // In this order on the page (Map.of would give another order in every JVM).
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("strategy", "auto");
            options.put("seed", seed);
            options.put("executions", executions);
            report.ran(Main.version(), options);
            for (int i = 0; i < entries.size(); i++) {
                report.add(new CheckReport.Entry("catalog/" + entries.get(i).name(), entries.get(i).scenario(),
                        results.get(i)));
            }
            html.write(report);
        }
    }
}
