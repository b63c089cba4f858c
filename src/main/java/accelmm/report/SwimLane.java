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
 * broke it. Columns have a fixed width: a longer step goes on over the next lines of its
 * column (broken after a space where one is near), and the legend under the table says so; an
 * actor name longer than a column is cut and ends in {@code ..}. Lines carry no trailing spaces.
 */
public final class SwimLane {

    /** Characters per column, the two spaces between columns not included. */
    public static final int WIDTH = 32;

    private static final String GAP = "  ";

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
        out.add(line(indent, pad("step", numberWidth), actors.stream().map(SwimLane::header).toList(), -1));
        out.add(line(indent, "-".repeat(numberWidth),
                actors.stream().map(a -> "-".repeat(header(a).length())).toList(), -1));
        boolean wrapped = false;
        for (int i = 0; i < all.size(); i++) {
            Step s = all.get(i);
            int column = actors.indexOf(s.actor());
            List<String> pieces = wrap(s.text());
            wrapped |= pieces.size() > 1;
            String number = i < steps.size() ? String.valueOf(i + 1) : "!";
            for (int k = 0; k < pieces.size(); k++) {
                out.add(line(indent, pad(k == 0 ? number : "", numberWidth), List.of(pieces.get(k)), column));
            }
        }
        out.add(indent + "(one column per actor, one row per numbered step"
                + (broken == null ? "" : ", ! the broken invariant")
                + (wrapped ? "; a step longer than " + WIDTH + " characters goes on over the next lines)" : ")"));
        return out;
    }

    /**
     * One line: the number, then {@code cells} from column 0 on ({@code column} is -1), or the
     * one cell in column {@code column} with the columns before it blank.
     */
    private static String line(String indent, String number, List<String> cells, int column) {
        StringBuilder b = new StringBuilder(indent).append(number);
        if (column >= 0) {
            b.append(" ".repeat((WIDTH + GAP.length()) * column));
        }
        for (String c : cells) {
            b.append(GAP).append(c).append(" ".repeat(Math.max(0, WIDTH - c.length())));
        }
        return b.toString().stripTrailing();
    }

    /** A header that fits its column: an actor name longer than a column is cut. */
    private static String header(String actor) {
        return actor.length() <= WIDTH ? actor : actor.substring(0, WIDTH - 2) + "..";
    }

    /** {@code text} in pieces of at most {@link #WIDTH} characters, broken after a space if one is near. */
    static List<String> wrap(String text) {
        List<String> out = new ArrayList<>();
        String rest = text;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut < WIDTH / 2) {
                cut = WIDTH;
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        out.add(rest);
        return out;
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
