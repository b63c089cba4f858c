package accelmm.report;

import accelmm.scenario.ScenarioChecker.CombinationResult;
import java.util.ArrayList;
import java.util.List;

/** The demo's table: one row per scenario and design combination, with its verdict. */
public final class VerdictTable {

    private record Row(String scenario, String designs, String verdict, String expected, boolean holds) {
    }

    private final List<Row> rows = new ArrayList<>();

    public void add(String scenario, List<CombinationResult> results) {
        for (CombinationResult r : results) {
            rows.add(new Row(scenario, r.designs(), CheckReport.verdict(r.exploration()), r.expected().toString(),
                    r.holds()));
        }
    }

    public boolean allHold() {
        return rows.stream().allMatch(Row::holds);
    }

    public String render() {
        int s = Math.max("scenario".length(), rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
        int d = Math.max("designs".length(), rows.stream().mapToInt(r -> r.designs().length()).max().orElse(0));
        int v = Math.max("verdict".length(), rows.stream().mapToInt(r -> r.verdict().length()).max().orElse(0));
        String format = "%-" + s + "s  %-" + d + "s  %-" + v + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "scenario", "designs", "verdict", "as expected?"));
        String previous = null;
        for (Row r : rows) {
            out.append(String.format(format, r.scenario().equals(previous) ? "" : r.scenario(), r.designs(),
                    r.verdict(), r.holds() ? "yes" : "NO (expected " + r.expected() + ")"));
            previous = r.scenario();
        }
        long held = rows.stream().filter(Row::holds).count();
        out.append(String.format("%n%d of %d verdicts as expected%n", held, rows.size()));
        return out.toString();
    }
}
