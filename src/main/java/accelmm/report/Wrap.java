package accelmm.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Text broken into lines that fit a width, at spaces, as the text report does to fit the
 * terminal ({@code --width}). A word longer than a whole line is cut where the line ends. Commands
 * to copy (a replay line) are never given to it.
 */
public final class Wrap {

    /** The narrowest a continuation may get, however little a deep indent leaves of the width. */
    public static final int MIN_LINE = 20;

    private Wrap() {
    }

    /**
     * {@code text} in pieces of at most {@code first} characters for the first and {@code rest}
     * for the others, each broken after the last space that fits.
     */
    public static List<String> pieces(String text, int first, int rest) {
        List<String> out = new ArrayList<>();
        String left = text;
        int column = Math.max(1, first);
        // The first piece keeps its indentation: a break there would leave a blank line.
        int indent = text.length() - text.stripLeading().length();
        while (left.length() > column) {
            int cut = left.lastIndexOf(' ', column);
            if (cut <= indent) {
                cut = column;
            }
            out.add(left.substring(0, cut).stripTrailing());
            left = left.substring(cut).stripLeading();
            column = Math.max(1, rest);
            indent = 0;
        }
        out.add(left);
        return out;
    }

    /**
     * {@code line} (its own indentation kept) in lines of at most {@code width} characters, the
     * continuations indented by {@code hang} spaces.
     */
    public static List<String> hanging(String line, int width, int hang) {
        int rest = Math.max(MIN_LINE, width - hang);
        List<String> pieces = pieces(line, Math.max(MIN_LINE, width), rest);
        List<String> out = new ArrayList<>(pieces.size());
        out.add(pieces.get(0));
        for (String p : pieces.subList(1, pieces.size())) {
            out.add(" ".repeat(hang) + p);
        }
        return out;
    }

    /**
     * A table row indented by two: {@code cells} padded to {@code widths}, then {@code last}
     * wrapped in a column of its own when the width leaves {@code minColumn} characters for it,
     * else on the lines below the row, indented by six. When even the cells do not fit, the first
     * cell has a line and the others follow with {@code last} as one sentence below: {@code
     * clean, as expected; dfs complete for ...}.
     */
    static void row(StringBuilder out, List<String> cells, int[] widths, String last, int width, int minColumn) {
        StringBuilder columns = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            columns.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length() + 2));
        }
        if (columns.toString().stripTrailing().length() > width) {
            out.append("  ").append(cells.get(0)).append('\n');
            append(out, "      " + String.join(", ", cells.subList(1, cells.size())) + "; " + last, width, 6);
            return;
        }
        int room = width - columns.length();
        if (room >= minColumn) {
            List<String> pieces = pieces(last, room, room);
            out.append(columns).append(pieces.get(0)).append('\n');
            for (String p : pieces.subList(1, pieces.size())) {
                out.append(" ".repeat(columns.length())).append(p).append('\n');
            }
        } else {
            out.append(columns.toString().stripTrailing()).append('\n');
            append(out, "      " + last, width, 6);
        }
    }

    /** {@link #hanging}, appended to {@code out} with a newline after each line. */
    static void append(StringBuilder out, String line, int width, int hang) {
        for (String l : hanging(line, width, hang)) {
            out.append(l).append('\n');
        }
    }
}
