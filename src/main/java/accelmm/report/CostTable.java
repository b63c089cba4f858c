package accelmm.report;

import accelmm.check.CostSummary;
import accelmm.sim.Cost;
import accelmm.sim.CostCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of what executions cost ({@link Cost}): one row per design combination, one column per
 * counter that is not zero in some row, under a short header that a legend line spells out.
 * {@link #withRanges() With ranges} (check) a cell is the count of the first execution that ran
 * to its end, followed by {@code (least..most)} over those executions when they differ from it;
 * without (demo) it is that first count alone. A combination none of whose executions ran to its
 * end (the search stopped at a violation in execution 1) shows the run that stopped, its row
 * marked {@value #CUT_SHORT} and explained under the legend ({@link CostSummary#ranToEnd()}). A
 * combination with no execution finished (out of time) shows {@code -}.
 */
public final class CostTable {

    private static final Cost[] COSTS = Cost.values();
    private static final int LEGEND_WIDTH = 96;
    /** The mark after the labels of a row whose counts are of a run cut short. */
    static final String CUT_SHORT = "*";

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
            case DEVICE_FAULT -> "device page faults (GPU fault, IOPF, NIC page fault)";
            case NOTIFIER_INVALIDATION -> "invalidations delivered (mmu notifier, dma-buf move_notify)";
            case PAGE_PINNED -> "pages pinned";
            case PAGE_UNPINNED -> "pages unpinned";
            case DEVICE_PTE_WRITE -> "device page-table entries written (GPU, IOMMU, RDMA MTT)";
            case TLB_INVALIDATION -> "device/IOMMU TLB invalidations";
            case DOORBELL_WRITE -> "doorbell writes";
            case PAGE_COPIED -> "pages copied (COW, fork's copy of a pinned page, migration, swap out/in, eviction)";
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
        return render(indent, Integer.MAX_VALUE);
    }

    /**
     * {@link #render(String)} in {@code width} characters: a table wider than that is split into
     * tables of as many counter columns as fit, one under the other, each with the label
     * columns again; the legend is broken to the width too.
     */
    public List<String> render(String indent, int width) {
        List<String> out = new ArrayList<>(rows(indent, width));
        out.addAll(legend(indent, width));
        return out;
    }

    /** The table's rows of {@link #render(String, int)} without the legend; empty without rows. */
    public List<String> rows(String indent, int width) {
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
            if (cutShort(r)) {
                int last = line.size() - 1;
                line.set(last, line.get(last) + " " + CUT_SHORT);
            }
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
        int labels = labelHeaders.size();
        int labelsWidth = indent.length();
        for (int i = 0; i < labels; i++) {
            labelsWidth += (i == 0 ? 0 : 2) + widths[i];
        }
        // Groups of counter columns [from, to) that fit beside the labels, one at least.
        int from = labels;
        while (from < widths.length || from == labels) {
            int to = from;
            int used = labelsWidth;
            while (to < widths.length && (to == from || used + 2 + widths[to] <= width)) {
                used += 2 + widths[to];
                to++;
            }
            for (List<String> line : grid) {
                StringBuilder s = new StringBuilder(indent);
                for (int i = 0; i < line.size(); i++) {
                    if (i >= labels && (i < from || i >= to)) {
                        continue;
                    }
                    boolean label = i < labels;
                    String text = line.get(i);
                    String pad = " ".repeat(widths[i] - text.length());
                    s.append(i == 0 ? "" : "  ").append(label ? text + pad : pad + text);
                }
                out.add(s.toString().stripTrailing());
            }
            if (to >= widths.length) {
                break;
            }
            from = to;
        }
        return out;
    }

    private static boolean cutShort(Row r) {
        return !r.costs().isEmpty() && !r.costs().ranToEnd();
    }

    /**
     * The legend of {@link #render(String, int)}: what each column shown counts and, when a row
     * is marked, what the mark means; empty without rows.
     */
    public List<String> legend(String indent, int width) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int legendWidth = Math.max(Wrap.MIN_LINE, Math.min(LEGEND_WIDTH, width - indent.length()));
        legend(columns(), legendWidth).forEach(line -> out.add(indent + line));
        if (rows.stream().anyMatch(CostTable::cutShort)) {
            Wrap.hanging(indent + CUT_SHORT + ": no execution ran to its end; the counts are of the run that stopped"
                    + " at the violation (or the step limit), before the rest of the scenario and the processes'"
                    + " teardown", Math.min(width, indent.length() + LEGEND_WIDTH), indent.length() + 2)
                    .forEach(out::add);
        }
        return out;
    }

    /**
     * {@code sys: system calls entered; pin: pages pinned; ...} for the columns shown, over as
     * many lines of at most {@code width} characters as it takes.
     */
    private static List<String> legend(List<Cost> columns, int width) {
        if (columns.isEmpty()) {
            return List.of("(no cost counted)");
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (Cost c : columns) {
            String part = header(c) + ": " + meaning(c) + ";";
            if (line.length() > 0 && line.length() + 1 + part.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(part);
        }
        lines.add(line.substring(0, line.length() - 1));
        // A part longer than the width goes on over the next line.
        return lines.stream().flatMap(l -> Wrap.hanging(l, width, 2).stream()).toList();
    }

    /** The counters of {@code counts} as JSON: every counter, by its stable name ({@link CostCounters#nameOf}). */
    static Map<String, Object> json(CostCounters counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Cost cost : COSTS) {
            m.put(CostCounters.nameOf(cost), counts.get(cost));
        }
        return m;
    }

    /**
     * The JSON object {@code {"ranToEnd": true, "first": {...}, "min": {...}, "max": {...}}} of a
     * combination's costs ({@code ranToEnd} false: the counts are of the one run cut short, in all
     * three); {@code null} without any execution, so that a reader never takes zeros for a run.
     */
    static Map<String, Object> json(CostSummary costs) {
        if (costs.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ranToEnd", costs.ranToEnd());
        m.put("first", json(costs.first()));
        m.put("min", json(costs.min()));
        m.put("max", json(costs.max()));
        return m;
    }

    /**
     * The costs of {@code combination}'s JSON object read back ({@link #json(CostSummary)}):
     * {@code null} is no execution; otherwise every counter must be there, a whole number of at
     * least 0, and none other, with {@code min <= first <= max}. Bad input: an
     * IllegalArgumentException.
     */
    static CostSummary read(Map<?, ?> combination) {
        if (!combination.containsKey("costs")) {
            throw new IllegalArgumentException("missing \"costs\" (a shard written by an older accelmm? run it again)");
        }
        Object costs = combination.get("costs");
        if (costs == null) {
            return new CostSummary();
        }
        if (!(costs instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("\"costs\" is neither an object nor null");
        }
        if (!(m.get("ranToEnd") instanceof Boolean ranToEnd)) {
            throw new IllegalArgumentException("\"costs\" has no \"ranToEnd\" true or false (a shard written by an"
                    + " older accelmm? run it again)");
        }
        CostCounters first = counters(m, "first");
        CostCounters min = counters(m, "min");
        CostCounters max = counters(m, "max");
        for (Cost cost : COSTS) {
            if (min.get(cost) > first.get(cost) || first.get(cost) > max.get(cost)) {
                throw new IllegalArgumentException("\"costs\" contradicts itself: " + CostCounters.nameOf(cost) + " has min "
                        + min.get(cost) + ", first " + first.get(cost) + ", max " + max.get(cost));
            }
        }
        return ranToEnd ? CostSummary.ranToEnd(first, min, max) : CostSummary.cutShort(first);
    }

    private static CostCounters counters(Map<?, ?> costs, String key) {
        if (!(costs.get(key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("missing \"costs\".\"" + key + "\"");
        }
        for (Object name : m.keySet()) {
            if (Arrays.stream(COSTS).noneMatch(c -> CostCounters.nameOf(c).equals(name))) {
                throw new IllegalArgumentException("\"costs\".\"" + key + "\" has an unknown counter \"" + name + "\"");
            }
        }
        CostCounters counters = new CostCounters();
        for (Cost cost : COSTS) {
            String name = CostCounters.nameOf(cost);
            Object n = m.get(name);
            if (n == null) {
                throw new IllegalArgumentException("\"costs\".\"" + key + "\" has no count \"" + name + "\"");
            }
            if (!(n instanceof Long count) || count < 0) {
                throw new IllegalArgumentException("\"costs\".\"" + key + "\".\"" + name + "\" is " + n
                        + ", not a whole number of at least 0");
            }
            counters.count(cost, count);
        }
        return counters;
    }
}
