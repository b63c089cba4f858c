package accelmm.report;

import accelmm.report.CheckReport.Entry;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A check's report in TAP version 13 as kselftest writes it (KTAP): the version line, the plan,
 * one test line per design combination ({@code FILE DESIGNS}), diagnostics as {@code #} lines
 * before the test line they explain, and kselftest's totals line at the end. How each result maps:
 * <ul>
 * <li>an expectation that held: {@code ok}; when the expectation was a violation, found as
 *     expected, {@code ok ... # XFAIL INVARIANT} (a design known to be broken, shown broken);</li>
 * <li>a verdict other than the expected one: {@code not ok}, after its counterexample;</li>
 * <li>no verdict (step limit, out of time): {@code ok ... # SKIP} with the reason;</li>
 * <li>a file that was refused: {@code not ok FILE}, after its problems, counted as an error;</li>
 * <li>a file not begun because the check was interrupted: {@code ok FILE # SKIP} with that reason.</li>
 * </ul>
 * Names and diagnostics from a scenario are escaped as in the text report, and a {@code #} in a
 * test's name is written {@code \#}, so that it cannot start a directive.
 */
final class KtapReport {

    private KtapReport() {
    }

    /** One test line and the diagnostics before it. */
    private record Test(boolean ok, String name, String directive, List<String> diagnostics) {
    }

    static String render(CheckReport report) {
        List<Test> tests = new ArrayList<>();
        Map<String, Integer> totals = new LinkedHashMap<>();
        for (String kind : List.of("pass", "fail", "xfail", "xpass", "skip", "error")) {
            totals.put(kind, 0);
        }
        report.refusedByFile().forEach((file, problems) -> {
            tests.add(new Test(false, file, null, problems));
            totals.merge("error", 1, Integer::sum);
        });
        for (Entry e : report.entries()) {
            for (CombinationResult r : e.results()) {
                String name = e.path() + " " + r.designs();
                List<String> diagnostics = new ArrayList<>();
                diagnostics.add(r.designs() + ": " + report.summary(r));
                if (!r.exploration().conclusive()) {
                    tests.add(new Test(true, name, "SKIP no verdict: " + report.noVerdict(r),
                            diagnostics));
                    totals.merge("skip", 1, Integer::sum);
                } else if (!r.holds()) {
                    diagnostics.addAll(report.details(e, r).lines().toList());
                    tests.add(new Test(false, name, null, diagnostics));
                    totals.merge("fail", 1, Integer::sum);
                } else if (r.exploration().violated()) {
                    tests.add(new Test(true, name, "XFAIL " + r.counterexample().violation().invariant().scenarioName(),
                            diagnostics));
                    totals.merge("xfail", 1, Integer::sum);
                } else {
                    tests.add(new Test(true, name, null, diagnostics));
                    totals.merge("pass", 1, Integer::sum);
                }
            }
        }
        if (report.notBegun() != null) {
            for (String file : report.notBegun()) {
                tests.add(new Test(true, file, "SKIP interrupted (SIGINT or SIGTERM) before it began", List.of()));
                totals.merge("skip", 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder("TAP version 13\n");
        out.append("1..").append(tests.size()).append('\n');
        int number = 0;
        for (Test t : tests) {
            number++;
            for (String d : t.diagnostics()) {
                out.append(d.isEmpty() ? "#" : "# " + TerminalText.line(d)).append('\n');
            }
            out.append(t.ok() ? "ok " : "not ok ").append(number).append(' ')
                    .append(TerminalText.line(t.name()).replace("\\", "\\\\").replace("#", "\\#"));
            if (t.directive() != null) {
                out.append(" # ").append(TerminalText.line(t.directive()));
            }
            out.append('\n');
        }
        if (report.notBegun() != null) {
            out.append("# interrupted (SIGINT or SIGTERM): the results explored until then\n");
        }
        out.append("# Totals:");
        totals.forEach((kind, n) -> out.append(' ').append(kind).append(':').append(n));
        out.append('\n');
        return out.toString();
    }
}
