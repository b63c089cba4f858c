package accelmm.report;

import accelmm.check.RunResult;
import accelmm.report.CheckReport.Entry;
import accelmm.report.Counterexample.Kind;
import accelmm.report.Counterexample.Step;
import accelmm.scenario.ScenarioChecker.CombinationResult;
import accelmm.scenario.Statement;
import accelmm.scenario.ThreadBlock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A check's report as one self-contained HTML file, for a browser with no network: the verdict
 * table, then per scenario its cost table and, per violation, a sequence diagram drawn as SVG —
 * one lane per actor, a box per numbered step on its actor's lane, an arrow where the CPU passes
 * from one actor to another, the step that broke the invariant in red — each step linked to the
 * scenario line its actor ran (listed under the diagram), and the replay command. Everything is
 * drawn here: no script, no style sheet or font from elsewhere.
 */
final class HtmlReport {

    /** Left margin of the diagram: the step numbers. */
    private static final int MARGIN = 48;
    private static final int LANE = 220;
    private static final int BOX = 204;
    private static final int ROW = 30;
    private static final int TOP = 44;
    /** Characters of a step's text shown in its box; the whole text is its tooltip. */
    private static final int SHOWN = 28;

    private HtmlReport() {
    }

    static String render(CheckReport report) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>accelmm ").append(report.command()).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>accelmm ").append(report.command()).append("</h1>\n");
        if (report.version() != null) {
            out.append("<p class=\"meta\">accelmm ").append(Markup.escape(report.version()));
            report.options().forEach((k, v) -> out.append(" &middot; ").append(Markup.escape(k)).append(' ')
                    .append(Markup.escape(String.valueOf(v))));
            out.append("</p>\n");
        }
        verdicts(out, report);
        List<Entry> entries = report.entries();
        for (int i = 0; i < entries.size(); i++) {
            scenario(out, report, entries.get(i), "s" + (i + 1));
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void verdicts(StringBuilder out, CheckReport report) {
        out.append("<h2>Verdicts</h2>\n<table class=\"verdicts\">\n<tr><th>scenario</th><th>designs</th>"
                + "<th>verdict</th><th>expectation</th><th>explored</th></tr>\n");
        List<Entry> entries = report.entries();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            for (CombinationResult r : e.results()) {
                String verdict = CheckReport.verdictOf(r);
                out.append("<tr class=\"").append(r.holds() ? "held" : "failed").append("\"><td><a href=\"#s")
                        .append(i + 1).append("\">").append(Markup.escape(e.path())).append("</a></td><td>")
                        .append(Markup.escape(r.designs())).append("</td><td class=\"")
                        .append(r.exploration().violated() ? "violation" : "clean").append("\">")
                        .append(Markup.escape(verdict)).append("</td><td>")
                        .append(Markup.escape(CheckReport.expectation(r))).append("</td><td>")
                        .append(Markup.escape(report.explored(r))).append("</td></tr>\n");
            }
        }
        out.append("</table>\n");
        report.refusedByFile().forEach((file, problems) -> {
            out.append("<p class=\"refused\">refused: ").append(Markup.escape(file)).append("</p>\n<pre>");
            problems.forEach(p -> out.append(Markup.escape(p)).append('\n'));
            out.append("</pre>\n");
        });
        if (report.notBegun() != null) {
            out.append("<p class=\"refused\">interrupted (SIGINT or SIGTERM): the results explored until then; not begun: ")
                    .append(Markup.escape(String.join(", ", report.notBegun()))).append("</p>\n");
        }
    }

    private static void scenario(StringBuilder out, CheckReport report, Entry e, String id) {
        out.append("<section id=\"").append(id).append("\">\n<h2>scenario &ldquo;")
                .append(Markup.escape(e.scenario().title())).append("&rdquo; <small>(")
                .append(Markup.escape(e.path())).append(")</small></h2>\n");
        CostTable table = CostTable.withRanges("designs");
        for (CombinationResult r : e.results()) {
            table.add(r.exploration().costs(), r.designs());
        }
        out.append("<h3>costs of the first execution that ran to its end</h3>\n<pre class=\"costs\">");
        table.render("").forEach(l -> out.append(Markup.escape(l)).append('\n'));
        out.append("</pre>\n");
        int violations = 0;
        for (CombinationResult r : e.results()) {
            if (!r.exploration().violated()) {
                continue;
            }
            RunResult run = r.counterexample();
            if (run.trace() == null) {
                continue;
            }
            List<Step> steps = Counterexample.of(run.trace(), run.violation());
            out.append("<h3 class=\"violation\">").append(Markup.escape(r.designs())).append(": ")
                    .append(Markup.escape(Counterexample.headline(run.violation(), steps))).append("</h3>\n");
            String diagram = id + "-v" + (++violations);
            sequence(out, steps, id, diagram);
            if (run.trace().objectsAtEnd() != null) {
                out.append("<h4>who held whom when the run ended</h4>\n");
                ObjectGraphSvg.render(out, run.trace().objectsAtEnd(), diagram);
            }
            out.append("<p class=\"replay\"><code>").append(Markup.escape(report.replay(e, r)))
                    .append("</code></p>\n");
        }
        source(out, e, id);
        out.append("</section>\n");
    }

    /** The sequence diagram of {@code steps}: lanes, boxes, hand-offs, the breaking step in red. */
    static void sequence(StringBuilder out, List<Step> steps, String id, String diagram) {
        List<String> actors = SwimLane.actors(steps);
        int width = MARGIN + actors.size() * LANE;
        int height = TOP + steps.size() * ROW + 10;
        out.append("<svg class=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\">\n")
                .append("<defs><marker id=\"").append(diagram).append("-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\""
                        + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
                        + "</marker></defs>\n");
        for (int a = 0; a < actors.size(); a++) {
            int x = laneX(a);
            out.append("<g class=\"lane\" data-actor=\"").append(Markup.escape(actors.get(a))).append("\">")
                    .append("<text class=\"actor\" x=\"").append(x).append("\" y=\"18\">")
                    .append(Markup.escape(actors.get(a))).append("</text><line x1=\"").append(x).append("\" y1=\"26\" x2=\"")
                    .append(x).append("\" y2=\"").append(height - 4).append("\"/></g>\n");
        }
        String previous = null;
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            int lane = actors.indexOf(s.actor());
            int y = TOP + k * ROW;
            if (previous != null && !previous.equals(s.actor())) {
                int from = laneX(actors.indexOf(previous));
                int to = laneX(lane);
                int towards = to > from ? -BOX / 2 : BOX / 2;
                out.append("<line class=\"handoff\" x1=\"").append(from).append("\" y1=\"").append(y - ROW / 2 + 4)
                        .append("\" x2=\"").append(to + towards).append("\" y2=\"").append(y + 4)
                        .append("\" marker-end=\"url(#").append(diagram).append("-arrow)\"/>\n");
            }
            String css = s.kind() == Kind.VIOLATION ? "step violation" : "step " + s.kind().label();
            out.append("<g class=\"").append(css).append("\" data-step=\"").append(s.index()).append("\">");
            if (s.line() > 0) {
                out.append("<a href=\"#").append(id).append("-L").append(s.line()).append("\">");
            }
            out.append("<title>").append(s.index()).append(". ").append(Markup.escape(s.actor())).append(": ")
                    .append(Markup.escape(s.text())).append(s.line() > 0 ? " (line " + s.line() + ")" : "")
                    .append("</title>")
                    .append("<text class=\"number\" x=\"").append(MARGIN - 8).append("\" y=\"").append(y + 4)
                    .append("\">").append(s.index()).append(s.kind() == Kind.VIOLATION ? "!" : "").append("</text>")
                    .append("<rect x=\"").append(laneX(lane) - BOX / 2).append("\" y=\"").append(y - 10)
                    .append("\" width=\"").append(BOX).append("\" height=\"20\" rx=\"4\"/>")
                    .append("<text x=\"").append(laneX(lane)).append("\" y=\"").append(y + 4).append("\">")
                    .append(Markup.escape(shorten(s.text()))).append("</text>");
            if (s.line() > 0) {
                out.append("</a>");
            }
            out.append("</g>\n");
            previous = s.actor();
        }
        out.append("</svg>\n");
    }

    /** The scenario's statements by line, each an anchor the diagrams link to. */
    private static void source(StringBuilder out, Entry e, String id) {
        Map<Integer, String> lines = new TreeMap<>();
        for (ThreadBlock t : e.scenario().threads()) {
            for (Statement st : t.body()) {
                lines.put(st.position().line(), t.qualifiedName() + ": " + st.source());
            }
        }
        out.append("<details class=\"source\"><summary>the scenario's statements</summary>\n<pre>");
        lines.forEach((line, text) -> out.append("<span id=\"").append(id).append("-L").append(line).append("\">")
                .append(String.format("%4d  ", line)).append(Markup.escape(text)).append("</span>\n"));
        out.append("</pre></details>\n");
    }

    private static int laneX(int lane) {
        return MARGIN + LANE / 2 + lane * LANE;
    }

    private static String shorten(String text) {
        return Markup.shorten(text, SHOWN);
    }

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 1.5em; color: #222; }
            .meta { color: #666; font-size: 90%; }
            table.verdicts { border-collapse: collapse; }
            table.verdicts td, table.verdicts th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
            tr.failed td { background: #fde8e8; }
            td.violation { color: #a00; font-weight: bold; }
            .refused { color: #a00; }
            pre.costs { background: #f6f6f6; padding: 6px; }
            h3.violation { color: #a00; }
            svg.sequence { font-size: 11px; font-family: monospace; }
            svg.sequence .lane line { stroke: #bbb; stroke-dasharray: 4 3; }
            svg.sequence text.actor { text-anchor: middle; font-weight: bold; }
            svg.sequence text { text-anchor: middle; }
            svg.sequence text.number { text-anchor: end; fill: #666; }
            svg.sequence rect { fill: #eef3fb; stroke: #7a9cc6; }
            svg.sequence .preempted rect, svg.sequence .blocked rect { fill: #fff7e0; stroke: #c9a227; }
            svg.sequence .violation rect { fill: #fbe3e3; stroke: #c00; stroke-width: 2; }
            svg.sequence .violation text { fill: #a00; font-weight: bold; }
            svg.sequence line.handoff { stroke: #555; }
            p.replay code { background: #f6f6f6; padding: 2px 4px; }
            details.source pre span:target { background: #fff3b0; }
            """ + ObjectGraphSvg.STYLE;
}
