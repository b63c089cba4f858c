package accelmm.report;

import accelmm.check.CostSummary;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of what executions cost ({@link Cost}): one row per design combination, one column per
 * counter that is not zero in some row, under a short header that a legend line spells out.
 * {@link #withRanges() With ranges} (check) a cell is the first execution's count, followed by
 * {@code (least..most)} over the executions explored when those differ from it; without (demo)
 * it is the first execution's count alone. A combination with no execution finished (out of
 * time) shows {@code -}.
 */
public final class CostTable {

    private static final Cost[] COSTS = Cost.values();
    private static final int LEGEND_WIDTH = 96;

    private record Row(List<String> labels, CostSummary costs) {
    }

    private final List<String> labelHeaders;
    private final boolean ranges;
    private final List<Row> rows = new ArrayList<>();

    private CostTable(List<String> labelHeaders, boolean ranges) {
        this.labelHeaders = labelHeaders;
        this.ranges = ranges;
    }

    /** A table whose rows are labelled by {@code labelHeaders} (one label each), cells with ranges. */
    public static CostTable withRanges(String... labelHeaders) {
        return new CostTable(List.of(labelHeaders), true);
    }

    /** A table of first executions only, rows labelled by {@code labelHeaders}. */
    public static CostTable firstExecutions(String... labelHeaders) {
        return new CostTable(List.of(labelHeaders), false);
    }

    /** Adds a row: its labels (as many as the headers) and the costs of its combination. */
    public void add(CostSummary costs, String... labels) {
        if (labels.length != labelHeaders.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + labelHeaders.size() + " headers");
        }
        rows.add(new Row(List.of(labels), costs));
    }

    /** The short column header of {@code cost}. */
    static String header(Cost cost) {
        return switch (cost) {
            case SYSCALL -> "sys";
            case CPU_FAULT -> "cpu-flt";
            case DEVICE_FAULT -> "dev-flt";
            case NOTIFIER_INVALIDATION -> "notif";
            case PAGE_PINNED -> "pin";
            case PAGE_UNPINNED -> "unpin";
            case DEVICE_PTE_WRITE -> "pte";
            case TLB_INVALIDATION -> "tlb";
            case DOORBELL_WRITE -> "db";
            case PAGE_COPIED -> "copy";
        };
    }

    /** What the column of {@code cost} counts, in full words, for the legend. */
    static String meaning(Cost cost) {
        return switch (cost) {
            case SYSCALL -> "system calls entered";
            case CPU_FAULT -> "CPU page faults";
            case DEVICE_FAULT -> "device page faults (GPU fault, IOPF)";
            case NOTIFIER_INVALIDATION -> "mmu notifier invalidations delivered";
            case PAGE_PINNED -> "pages pinned";
            case PAGE_UNPINNED -> "pages unpinned";
            case DEVICE_PTE_WRITE -> "GPU/IOMMU page-table entries written";
            case TLB_INVALIDATION -> "device/IOMMU TLB invalidations";
            case DOORBELL_WRITE -> "doorbell writes";
            case PAGE_COPIED -> "pages copied (COW, migration, eviction)";
        };
    }

    /** The counters shown: those not zero in some row (first, least or most). */
    private List<Cost> columns() {
        List<Cost> shown = new ArrayList<>();
        for (Cost cost : COSTS) {
            if (rows.stream().anyMatch(r -> r.costs().max().get(cost) != 0 || r.costs().first().get(cost) != 0)) {
                shown.add(cost);
            }
        }
        return shown;
    }

    private String cell(CostSummary costs, Cost cost) {
        if (costs.isEmpty()) {
            return "-"; // no execution finished: nothing was paid, nor measured
        }
        long first = costs.first().get(cost);
        if (!ranges) {
            return Long.toString(first);
        }
        long min = costs.min().get(cost);
        long max = costs.max().get(cost);
        return first == min && first == max ? Long.toString(first) : first + " (" + min + ".." + max + ")";
    }

    /** The table, each line starting with {@code indent}, then the legend of its columns; empty without rows. */
    public List<String> render(String indent) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Cost> columns = columns();
        List<List<String>> grid = new ArrayList<>();
        List<String> head = new ArrayList<>(labelHeaders);
        columns.forEach(c -> head.add(header(c)));
        grid.add(head);
        for (Row r : rows) {
            List<String> line = new ArrayList<>(r.labels());
            columns.forEach(c -> line.add(cell(r.costs(), c)));
            grid.add(line);
        }
        int[] widths = new int[head.size()];
        for (List<String> line : grid) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> line : grid) {
            StringBuilder s = new StringBuilder(indent);
            for (int i = 0; i < line.size(); i++) {
                boolean label = i < labelHeaders.size();
                String text = line.get(i);
                String pad = " ".repeat(widths[i] - text.length());
                s.append(i == 0 ? "" : "  ").append(label ? text + pad : pad + text);
            }
            out.add(s.toString().stripTrailing());
        }
        legend(columns).forEach(line -> out.add(indent + line));
        return out;
    }

    /**
     * {@code sys: system calls entered; pin: pages pinned; ...} for the columns shown, over as
     * many lines of at most {@value #LEGEND_WIDTH} characters as it takes.
     */
    private static List<String> legend(List<Cost> columns) {
        if (columns.isEmpty()) {
            return List.of("(no cost counted)");
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (Cost c : columns) {
            String part = header(c) + ": " + meaning(c) + ";";
            if (line.length() > 0 && line.length() + 1 + part.length() > LEGEND_WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(part);
        }
        lines.add(line.substring(0, line.length() - 1));
        return lines;
    }

    /** The counters of {@code counts} as JSON: every counter, by its stable name ({@link CostCounters#nameOf}). */
    static Map<String, Object> json(CostCounters counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Cost cost : COSTS) {
            m.put(CostCounters.nameOf(cost), counts.get(cost));
        }
        return m;
    }

    /** The JSON object {@code {"first": {...}, "min": {...}, "max": {...}}} of a combination's costs. */
    static Map<String, Object> json(CostSummary costs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", json(costs.first()));
        m.put("min", json(costs.min()));
        m.put("max", json(costs.max()));
        return m;
    }

    /**
     * The costs read back from {@link #json(CostSummary)}'s object; every counter must be there.
     * Bad input: an IllegalArgumentException.
     */
    static CostSummary read(Object costs) {
        if (!(costs instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("missing \"costs\" (a shard written by an older accelmm? run it again)");
        }
        return CostSummary.of(counters(m, "first"), counters(m, "min"), counters(m, "max"));
    }

    private static CostCounters counters(Map<?, ?> costs, String key) {
        if (!(costs.get(key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("missing \"costs\".\"" + key + "\"");
        }
        CostCounters counters = new CostCounters();
        for (Cost cost : COSTS) {
            if (!(m.get(CostCounters.nameOf(cost)) instanceof Long n) || n < 0) {
                throw new IllegalArgumentException("\"costs\".\"" + key + "\" has no count \"" + CostCounters.nameOf(cost)
                        + "\" of at least 0");
            }
            counters.count(cost, n);
        }
        return counters;
    }
}
