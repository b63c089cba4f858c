package accelmm.report;

import accelmm.report.Counterexample.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps laid out as swim lanes: one column per actor that did something, in the order they
 * first appear, and one row per step, its text in its actor's column. Two actors racing read
 * as two columns whose rows interleave:
 *
 * <pre>
 *   step  A.main                        A.unmapper
 *      1  vm_create -> 1
 *      2                                munmap p 16K -> ok
 * </pre>
 *
 * A last row marked {@code !} may say which invariant broke, in the column of the actor that
 * broke it. Columns have a fixed width; a longer cell or header is cut and ends in {@code ..}, and the
 * legend under the table says so. Lines carry no trailing spaces.
 */
public final class SwimLane {

    /** Characters per column, the two spaces between columns not included. */
    public static final int WIDTH = 30;

    private static final String CUT = "..";

    private SwimLane() {
    }

    /** The actors that did something, in the order of their first step. */
    public static List<String> actors(List<Step> steps) {
        List<String> actors = new ArrayList<>();
        for (Step s : steps) {
            if (!actors.contains(s.actor())) {
                actors.add(s.actor());
            }
        }
        return actors;
    }

    /** The table as lines (no newlines), each prefixed by {@code indent}, then its legend. */
    public static List<String> render(List<Step> steps, String indent) {
        return render(steps, null, indent);
    }

    /**
     * The table with a last row marked {@code !} in the column of the actor that broke an
     * invariant, saying which ({@code broken} may be {@code null}: no such row).
     */
    public static List<String> render(List<Step> steps, Step broken, String indent) {
        List<Step> all = new ArrayList<>(steps);
        if (broken != null) {
            all.add(broken);
        }
        List<String> actors = actors(all);
        int numberWidth = Math.max("step".length(), String.valueOf(steps.size()).length());
        List<String> out = new ArrayList<>();
        List<String> header = new ArrayList<>(actors.stream().map(SwimLane::fit).toList());
        out.add(line(indent, pad("step", numberWidth, true), header));
        out.add(line(indent, "-".repeat(numberWidth),
                actors.stream().map(a -> "-".repeat(fit(a).length())).toList()));
        boolean cut = actors.stream().anyMatch(a -> a.length() > WIDTH);
        for (int i = 0; i < all.size(); i++) {
            Step s = all.get(i);
            List<String> cells = new ArrayList<>();
            for (String a : actors) {
                cells.add(a.equals(s.actor()) ? fit(s.text()) : "");
            }
            cut |= s.text().length() > WIDTH;
            String number = i < steps.size() ? String.valueOf(i + 1) : "!";
            out.add(line(indent, pad(number, numberWidth, true), cells));
        }
        out.add(indent + "(one column per actor, one row per numbered step" + (broken == null ? "" : ", ! the broken invariant")
                + "; "
                + (cut ? "a cell longer than " + WIDTH + " characters is cut and ends in " + CUT + ")"
                        : "no cell is cut)"));
        return out;
    }

    private static String line(String indent, String number, List<String> cells) {
        StringBuilder b = new StringBuilder(indent).append(number);
        for (String c : cells) {
            b.append("  ").append(pad(c, WIDTH, false));
        }
        return b.toString().stripTrailing();
    }

    private static String fit(String text) {
        return text.length() <= WIDTH ? text : text.substring(0, WIDTH - CUT.length()) + CUT;
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return right ? spaces + text : text + spaces;
    }
}
