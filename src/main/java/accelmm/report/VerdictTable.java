package accelmm.report;

import accelmm.check.Exploration;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's table: one row per scenario and design combination, with its verdict, whether it
 * was expected, and how it was found (the execution of a violation, the coverage of a clean
 * result).
 */
public final class VerdictTable {

    private record Row(String scenario, String designs, String verdict, String expected, boolean holds,
            String search) {
    }

    private final List<Row> rows = new ArrayList<>();

    public void add(String scenario, List<CombinationResult> results) {
        for (CombinationResult r : results) {
            Exploration e = r.exploration();
            rows.add(new Row(scenario, r.designs(), CheckReport.verdict(e), r.expected().toString(), r.holds(),
                    CheckReport.search(e)));
        }
    }

    private static String expectedColumn(Row r) {
        return r.holds() ? "yes" : "NO (expected " + r.expected() + ")";
    }

    public boolean allHold() {
        return rows.stream().allMatch(Row::holds);
    }

    public String render() {
        int s = Math.max("scenario".length(), rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
        int d = Math.max("designs".length(), rows.stream().mapToInt(r -> r.designs().length()).max().orElse(0));
        int v = Math.max("verdict".length(), rows.stream().mapToInt(r -> r.verdict().length()).max().orElse(0));
        int x = Math.max("as expected?".length(), rows.stream().mapToInt(r -> expectedColumn(r).length()).max().orElse(0));
        String format = "%-" + s + "s  %-" + d + "s  %-" + v + "s  %-" + x + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "scenario", "designs", "verdict", "as expected?",
                "search"));
        String previous = null;
        for (Row r : rows) {
            out.append(String.format(format, r.scenario().equals(previous) ? "" : r.scenario(), r.designs(),
                    r.verdict(), expectedColumn(r), r.search()));
            previous = r.scenario();
        }
        long held = rows.stream().filter(Row::holds).count();
        out.append(String.format("%n%d of %d verdicts as expected%n", held, rows.size()));
        return out.toString();
    }
}
