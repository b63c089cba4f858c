package accelmm.report;

import accelmm.report.CheckReport.Entry;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import java.util.ArrayList;
import java.util.List;

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

    /** kselftest's counters, in the order its totals line gives them. */
    private static final List<String> KINDS = List.of("pass", "fail", "xfail", "xpass", "skip", "error");

    /** One test line, the diagnostics before it, and which of {@link #KINDS} it counts as. */
    private record Test(String kind, String name, String directive, List<String> diagnostics) {
        boolean ok() {
            return !kind.equals("fail") && !kind.equals("error");
        }
    }

    static String render(CheckReport report) {
        List<Test> tests = new ArrayList<>();
        report.refusedByFile().forEach((file, problems) -> tests.add(new Test("error", file, null, problems)));
        for (Entry e : report.entries()) {
            for (CombinationResult r : e.results()) {
                String name = e.path() + " " + r.designs();
                List<String> diagnostics = new ArrayList<>();
                diagnostics.add(r.designs() + ": " + report.summary(r));
                if (!r.exploration().conclusive()) {
                    tests.add(new Test("skip", name, "SKIP no verdict: " + CheckReport.noVerdict(r), diagnostics));
                } else if (!r.holds()) {
                    diagnostics.addAll(report.details(e, r).lines().toList());
                    tests.add(new Test("fail", name, null, diagnostics));
                } else if (r.exploration().violated()) {
                    tests.add(new Test("xfail", name,
                            "XFAIL " + r.counterexample().violation().invariant().scenarioName(), diagnostics));
                } else {
                    tests.add(new Test("pass", name, null, diagnostics));
                }
            }
        }
        if (report.notBegun() != null) {
            for (String file : report.notBegun()) {
                tests.add(new Test("skip", file, "SKIP interrupted (SIGINT or SIGTERM) before it began", List.of()));
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
        for (String kind : KINDS) {
            out.append(' ').append(kind).append(':').append(tests.stream().filter(t -> t.kind().equals(kind)).count());
        }
        out.append('\n');
        return out.toString();
    }
}
