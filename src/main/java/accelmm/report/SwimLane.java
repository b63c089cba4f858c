package accelmm.report;

import accelmm.report.Counterexample.Kind;
import accelmm.report.Counterexample.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps laid out as swim lanes: one column per actor that did something, in the order they
 * first appear, and one row per numbered step, its text in its actor's column. Two actors
 * racing read as two columns whose rows interleave:
 *
 * <pre>
 *   step  A.main                  A.unmapper
 *      1  vm_create -> 1
 *      2                          munmap p 16K -> ok
 * </pre>
 *
 * The table fits a width: the columns share what the step numbers leave of it (at most {@value
 * #MAX_COLUMN} characters each, at least {@value #MIN_COLUMN}), and a longer step goes on over
 * the next lines of its column, broken after the last space that fits (a word is cut only when
 * longer than the column); an actor name longer
 * than its column is cut and ends in {@code ..}. A step that broke an invariant is marked
 * {@code !} after its number. Lines carry no trailing spaces.
 */
public final class SwimLane {

    /** The widest a column gets, however wide the table may be. */
    public static final int MAX_COLUMN = 48;
    /** The narrowest a column gets: many actors in a narrow table make it wider than asked. */
    public static final int MIN_COLUMN = 10;
    /** The width of a table when nothing else is known: a terminal's 80 columns. */
    public static final int DEFAULT_WIDTH = 80;

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

    /** The table as lines (no newlines), each prefixed by {@code indent}, then its legend, in {@link #DEFAULT_WIDTH}. */
    public static List<String> render(List<Step> steps, String indent) {
        return render(steps, indent, DEFAULT_WIDTH);
    }

    /** The table in {@code width} characters, the indent included, as far as its columns allow. */
    public static List<String> render(List<Step> steps, String indent, int width) {
        List<String> actors = actors(steps);
        int last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).index();
        boolean broke = steps.stream().anyMatch(s -> s.kind() == Kind.VIOLATION);
        int numberWidth = Math.max("step".length(), String.valueOf(last).length() + (broke ? 1 : 0));
        int column = columnWidth(width - indent.length() - numberWidth, actors.size());
        List<String> out = new ArrayList<>();
        out.add(line(indent, pad("step", numberWidth), actors.stream().map(a -> header(a, column)).toList(), -1,
                column));
        out.add(line(indent, "-".repeat(numberWidth),
                actors.stream().map(a -> "-".repeat(header(a, column).length())).toList(), -1, column));
        boolean wrapped = false;
        for (Step s : steps) {
            List<String> pieces = Wrap.pieces(s.text(), column, column);
            wrapped |= pieces.size() > 1;
            String number = s.index() + (s.kind() == Kind.VIOLATION ? "!" : "");
            for (int k = 0; k < pieces.size(); k++) {
                out.add(line(indent, pad(k == 0 ? number : "", numberWidth), List.of(pieces.get(k)),
                        actors.indexOf(s.actor()), column));
            }
        }
        String legend = "(one column per actor, one row per numbered step"
                + (broke ? ", ! the step that broke the invariant" : "")
                + (wrapped ? "; a step longer than " + column + " characters goes on over the next lines)" : ")");
        int room = Math.max(MIN_COLUMN, width - indent.length());
        for (String piece : Wrap.pieces(legend, room, room)) {
            out.add(indent + piece);
        }
        return out;
    }

    /** Each column's width when {@code room} characters are left for {@code actors} columns and their gaps. */
    static int columnWidth(int room, int actors) {
        int each = actors == 0 ? MAX_COLUMN : room / actors - GAP.length();
        return Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, each));
    }

    /**
     * One line: the number, then {@code cells} from column 0 on ({@code at} is -1), or the one
     * cell in column {@code at} with the columns before it blank.
     */
    private static String line(String indent, String number, List<String> cells, int at, int column) {
        StringBuilder b = new StringBuilder(indent).append(number);
        if (at >= 0) {
            b.append(" ".repeat((column + GAP.length()) * at));
        }
        for (String c : cells) {
            b.append(GAP).append(c).append(" ".repeat(Math.max(0, column - c.length())));
        }
        return b.toString().stripTrailing();
    }

    /** A header that fits its column: an actor name longer than a column is cut. */
    private static String header(String actor, int column) {
        return actor.length() <= column ? actor : actor.substring(0, column - 2) + "..";
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
