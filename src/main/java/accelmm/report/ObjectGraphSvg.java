package accelmm.report;

import accelmm.sim.ObjectGraph;
import accelmm.sim.ObjectGraph.Edge;
import accelmm.sim.ObjectGraph.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * An {@link ObjectGraph} drawn as SVG for the HTML report, and listed as text beneath it: who
 * held whom when the run ended. Objects are boxes in columns by their distance from what nothing
 * holds (processes first, frames last, whatever a cycle holds where the walk first meets it);
 * references are arrows from holder to held, labelled with how they are held. A reference to a
 * frame that was freed or reused since it was taken (what a use-after-free follows) and the
 * frame it points at are drawn in red. Drawn here, with no layout engine.
 */
final class ObjectGraphSvg {

    private static final int COLUMN = 250;
    private static final int BOX = 200;
    private static final int HEIGHT = 34;
    private static final int GAP = 22;
    private static final int TOP = 12;
    private static final int LEFT = 12;
    /** Characters of a label or detail shown in a box; the whole text is its tooltip. */
    private static final int SHOWN = 31;

    private ObjectGraphSvg() {
    }

    static void render(StringBuilder out, ObjectGraph graph, String id) {
        List<Node> nodes = graph.nodes();
        List<Edge> edges = graph.edges();
        if (nodes.isEmpty()) {
            out.append("<p class=\"graph-empty\">no object was alive when the run ended</p>\n");
            return;
        }
        int[] column = columns(nodes, edges);
        int[] row = new int[nodes.size()];
        int[] filled = new int[nodes.size() + 1];
        int columns = 0;
        int rows = 0;
        for (Node n : nodes) {
            row[n.id()] = filled[column[n.id()]]++;
            columns = Math.max(columns, column[n.id()] + 1);
            rows = Math.max(rows, row[n.id()] + 1);
        }
        boolean[] stale = new boolean[nodes.size()];
        edges.stream().filter(ObjectGraphSvg::isStale).forEach(e -> stale[e.held()] = true);
        int width = LEFT * 2 + (columns - 1) * COLUMN + BOX;
        int height = TOP * 2 + rows * (HEIGHT + GAP) - GAP;
        out.append("<div class=\"objects\"><svg class=\"objects\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\">\n")
                .append("<defs><marker id=\"").append(id).append("-held\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\""
                        + " markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
                        + "</marker></defs>\n");
        for (Edge e : edges) {
            edge(out, e, nodes, column, row, id);
        }
        for (Node n : nodes) {
            int x = x(column[n.id()]);
            int y = y(row[n.id()]);
            out.append("<g class=\"node ").append(cssKind(n.kind())).append(stale[n.id()] ? " stale" : "")
                    .append("\" data-kind=\"").append(Markup.escape(n.kind())).append("\" data-label=\"")
                    .append(Markup.escape(n.label())).append("\"><title>").append(Markup.escape(n.label()))
                    .append(n.detail().isEmpty() ? "" : ": " + Markup.escape(n.detail())).append("</title>")
                    .append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BOX)
                    .append("\" height=\"").append(HEIGHT).append("\" rx=\"5\"/>")
                    .append("<text x=\"").append(x + 6).append("\" y=\"").append(y + 14).append("\">")
                    .append(Markup.escape(shorten(n.label()))).append("</text>")
                    .append("<text class=\"detail\" x=\"").append(x + 6).append("\" y=\"").append(y + 28).append("\">")
                    .append(Markup.escape(shorten(n.detail()))).append("</text></g>\n");
        }
        out.append("</svg></div>\n");
        list(out, nodes, edges);
    }

    /**
     * Each object's column: its distance, in references, from an object nothing holds (breadth
     * first, in the graph's order); objects only a cycle reaches start a walk of their own.
     */
    static int[] columns(List<Node> nodes, List<Edge> edges) {
        List<List<Integer>> holds = new ArrayList<>();
        boolean[] held = new boolean[nodes.size()];
        nodes.forEach(n -> holds.add(new ArrayList<>()));
        for (Edge e : edges) {
            holds.get(e.holder()).add(e.held());
            held[e.held()] |= e.held() != e.holder();
        }
        int[] column = new int[nodes.size()];
        Arrays.fill(column, -1);
        Deque<Integer> queue = new ArrayDeque<>();
        for (Node n : nodes) {
            if (!held[n.id()]) {
                column[n.id()] = 0;
                queue.add(n.id());
            }
        }
        walk(queue, holds, column);
        for (Node n : nodes) {
            if (column[n.id()] < 0) {
                column[n.id()] = 0;
                queue.add(n.id());
                walk(queue, holds, column);
            }
        }
        return column;
    }

    private static void walk(Deque<Integer> queue, List<List<Integer>> holds, int[] column) {
        while (!queue.isEmpty()) {
            int n = queue.poll();
            for (int m : holds.get(n)) {
                if (column[m] < 0) {
                    column[m] = column[n] + 1;
                    queue.add(m);
                }
            }
        }
    }

    private static void edge(StringBuilder out, Edge e, List<Node> nodes, int[] column, int[] row, String id) {
        int x1 = x(column[e.holder()]) + BOX;
        int y1 = y(row[e.holder()]) + HEIGHT / 2;
        int x2 = x(column[e.held()]);
        int y2 = y(row[e.held()]) + HEIGHT / 2;
        String path;
        int lx;
        int ly;
        if (column[e.held()] > column[e.holder()]) {
            int mid = (x1 + x2) / 2;
            path = "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
            lx = mid;
            ly = (y1 + y2) / 2 - 3;
        } else {
            // Back or sideways (a cycle, or two objects of one column): out of the holder's right
            // side, round, into the held object's right side.
            x2 += BOX;
            int bulge = Math.max(x1, x2) + 30;
            path = "M" + x1 + "," + y1 + " C" + bulge + "," + y1 + " " + bulge + "," + y2 + " " + x2 + "," + y2;
            lx = bulge - 8;
            ly = (y1 + y2) / 2 - 3;
        }
        String via = nodes.get(e.holder()).label() + " \u2192 " + nodes.get(e.held()).label() + " (" + e.via() + ")";
        out.append("<g class=\"ref").append(isStale(e) ? " stale" : "").append("\" data-via=\"")
                .append(Markup.escape(e.via())).append("\"><title>").append(Markup.escape(via)).append("</title>")
                .append("<path d=\"").append(path).append("\" marker-end=\"url(#").append(id).append("-held)\"/>")
                .append("<text x=\"").append(lx).append("\" y=\"").append(ly).append("\">")
                .append(Markup.escape(shorten(e.via()))).append("</text></g>\n");
    }

    /** The graph as lines, for reading, searching and pasting: {@code held  <-  holder (via)}. */
    private static void list(StringBuilder out, List<Node> nodes, List<Edge> edges) {
        out.append("<details class=\"objects\"><summary>the objects and their holders as text</summary>\n<pre>");
        for (Node n : nodes) {
            out.append(Markup.escape(n.label())).append(n.detail().isEmpty() ? "" : " (" + Markup.escape(n.detail()) + ")");
            List<String> holders = new ArrayList<>();
            for (Edge e : edges) {
                if (e.held() == n.id()) {
                    holders.add(nodes.get(e.holder()).label() + " (" + e.via() + ")");
                }
            }
            out.append(holders.isEmpty() ? "\n" : " held by " + Markup.escape(String.join(", ", holders)) + "\n");
        }
        out.append("</pre></details>\n");
    }

    private static boolean isStale(Edge e) {
        return e.stale();
    }

    private static String cssKind(String kind) {
        return kind.replaceAll("[^a-z0-9]+", "-");
    }

    private static int x(int column) {
        return LEFT + column * COLUMN;
    }

    private static int y(int row) {
        return TOP + row * (HEIGHT + GAP);
    }

    private static String shorten(String text) {
        return Markup.shorten(text, SHOWN);
    }

    static final String STYLE = """
            div.objects { overflow-x: auto; }
            svg.objects { font-size: 11px; font-family: monospace; }
            svg.objects .node rect { fill: #eef3fb; stroke: #7a9cc6; }
            svg.objects .node.frame rect { fill: #f3f3f3; stroke: #999; }
            svg.objects .node.stale rect { fill: #fbe3e3; stroke: #c00; stroke-width: 2; }
            svg.objects .node text.detail { fill: #666; }
            svg.objects .ref path { fill: none; stroke: #888; }
            svg.objects .ref text { fill: #555; font-size: 9px; text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            svg.objects .ref.stale path { stroke: #c00; stroke-width: 2; }
            svg.objects .ref.stale text { fill: #a00; font-weight: bold; }
            """;
}
