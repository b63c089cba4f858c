package accelmm.report;

import accelmm.report.CheckReport.Entry;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A check's report as JUnit XML, the form CI servers read: a {@code testsuite} per scenario
 * file, a {@code testcase} per design combination (named by its designs, its class name the
 * file), with
 * <ul>
 * <li>a {@code failure} for a verdict other than the expected one, its text the counterexample
 *     with the replay command;</li>
 * <li>{@code skipped} for a combination without a verdict (step limit, out of time), or a file
 *     not begun because the check was interrupted;</li>
 * <li>an {@code error} in a suite of its own for a file that was refused, its text the
 *     problems.</li>
 * </ul>
 * Every case carries its line of the text report in {@code system-out}. Times appear only with
 * {@code --stats}, so that the same check writes the same file. Text from a scenario has its
 * control characters escaped as in the text report (XML 1.0 cannot carry most of them).
 */
final class JunitReport {

    private JunitReport() {
    }

    /** One testcase: its name, what it failed, skipped or errored with (null for none), and its text. */
    private record Case(String name, String outcome, String message, String body, String out, Double seconds) {
    }

    private record Suite(String name, List<Case> cases) {
        long count(String outcome) {
            return cases.stream().filter(c -> outcome.equals(c.outcome())).count();
        }
    }

    static String render(CheckReport report) {
        List<Suite> suites = new ArrayList<>();
        report.refusedByFile().forEach((file, problems) -> suites.add(new Suite(file, List.of(new Case("load",
                "error", problems.get(0), String.join("\n", problems), null, null)))));
        for (Entry e : report.entries()) {
            List<Case> cases = new ArrayList<>();
            for (CombinationResult r : e.results()) {
                String line = r.designs() + ": " + report.summary(r);
                Double seconds = report.stats() ? r.exploration().elapsedNanos() / 1e9 : null;
                if (!r.exploration().conclusive()) {
                    cases.add(new Case(r.designs(), "skipped", "no verdict: " + CheckReport.noVerdict(r),
                            null, line, seconds));
                } else if (!r.holds()) {
                    cases.add(new Case(r.designs(), "failure", CheckReport.verdictOf(r) + ", "
                            + CheckReport.expectation(r), report.details(e, r), line, seconds));
                } else {
                    cases.add(new Case(r.designs(), null, null, null, line, seconds));
                }
            }
            suites.add(new Suite(e.path(), cases));
        }
        if (report.notBegun() != null) {
            for (String file : report.notBegun()) {
                suites.add(new Suite(file, List.of(new Case("(not begun)", "skipped",
                        "interrupted (SIGINT or SIGTERM) before it began", null, null, null))));
            }
        }
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<testsuites name=\"accelmm check\"").append(counts(suites.stream()
                .flatMap(s -> s.cases().stream()).toList())).append(">\n");
        for (Suite s : suites) {
            out.append("  <testsuite name=\"").append(xml(s.name())).append('"').append(counts(s.cases()))
                    .append(">\n");
            for (Case c : s.cases()) {
                out.append("    <testcase name=\"").append(xml(c.name())).append("\" classname=\"")
                        .append(xml(s.name())).append('"');
                if (c.seconds() != null) {
                    out.append(String.format(Locale.ROOT, " time=\"%.3f\"", c.seconds()));
                }
                out.append(">\n");
                if (c.outcome() != null) {
                    out.append("      <").append(c.outcome()).append(" message=\"").append(xml(c.message())).append('"');
                    if (c.body() == null) {
                        out.append("/>\n");
                    } else {
                        out.append('>').append(xml(c.body())).append("</").append(c.outcome()).append(">\n");
                    }
                }
                if (c.out() != null) {
                    out.append("      <system-out>").append(xml(c.out())).append("</system-out>\n");
                }
                out.append("    </testcase>\n");
            }
            out.append("  </testsuite>\n");
        }
        out.append("</testsuites>\n");
        return out.toString();
    }

    /** The tests, failures, errors and skipped attributes of a suite of {@code cases}. */
    private static String counts(List<Case> cases) {
        Suite all = new Suite("", cases);
        return " tests=\"" + cases.size() + "\" failures=\"" + all.count("failure") + "\" errors=\""
                + all.count("error") + "\" skipped=\"" + all.count("skipped") + "\"";
    }

    private static String xml(String text) {
        return Markup.escape(text);
    }
}
