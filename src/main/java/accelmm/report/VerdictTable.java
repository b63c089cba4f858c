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

    /** The narrowest column the search is wrapped in; narrower goes below its row. */
    private static final int MIN_SEARCH = 28;

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

    /** The table on lines as long as they need. */
    public String render() {
        return render(Integer.MAX_VALUE);
    }

    /**
     * The table in {@code width} characters: a row per combination with the scenario's name in
     * its first column, the search last, when that fits; else the scenario's name on a line of
     * its own and its combinations under it, the search wrapped in its column or below the row.
     */
    public String render(int width) {
        int s = Math.max("scenario".length(), rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
        int d = Math.max("designs".length(), rows.stream().mapToInt(r -> r.designs().length()).max().orElse(0));
        int v = Math.max("verdict".length(), rows.stream().mapToInt(r -> r.verdict().length()).max().orElse(0));
        int x = Math.max("as expected?".length(), rows.stream().mapToInt(r -> expectedColumn(r).length()).max().orElse(0));
        String format = "%-" + s + "s  %-" + d + "s  %-" + v + "s  %-" + x + "s  %s%n";
        // Each row as the wide table prints it (its scenario column padded), without the newline.
        boolean wide = rows.stream().allMatch(r -> String.format(format, "", r.designs(), r.verdict(), expectedColumn(r),
                r.search()).length() - 1 <= width);
        StringBuilder out = new StringBuilder();
        if (wide) {
            out.append(String.format(format, "scenario", "designs", "verdict", "as expected?", "search"));
        } else {
            String head = String.format("  %-" + d + "s  %-" + v + "s  %-" + x + "s", "designs", "verdict",
                    "as expected?");
            out.append("scenario\n").append(head.length() + "  search".length() <= width ? head + "  search"
                    : head.length() <= width ? head + "\n      search" : "  designs\n      verdict, as expected?; search")
                    .append('\n');
        }
        String previous = null;
        for (Row r : rows) {
            boolean first = !r.scenario().equals(previous);
            if (wide) {
                out.append(String.format(format, first ? r.scenario() : "", r.designs(), r.verdict(), expectedColumn(r),
                        r.search()));
            } else {
                if (first) {
                    out.append(r.scenario()).append('\n');
                }
                Wrap.row(out, List.of(r.designs(), r.verdict(), expectedColumn(r)), new int[] {d, v, x}, r.search(),
                        width, MIN_SEARCH);
            }
            previous = r.scenario();
        }
        long held = rows.stream().filter(Row::holds).count();
        out.append(String.format("%n%d of %d verdicts as expected%n", held, rows.size()));
        return out.toString();
    }
}
