package accelmm.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A top-level line and, for a {@code thread} line, the indented lines that follow it. An
 * indented line after any other top-level line forms a block of its own, which the parser
 * rejects when it reaches it.
 */
record Block(Line header, List<Line> body) {

    boolean isThread() {
        return isThreadHeader(header);
    }

    private static boolean isThreadHeader(Line line) {
        return line.indent() == 0 && line.startsWith("thread");
    }

    static List<Block> group(List<Line> lines) {
        List<Block> blocks = new ArrayList<>();
        List<Line> body = null;
        Line header = null;
        for (Line line : lines) {
            if (header != null && line.indent() > 0 && isThreadHeader(header)) {
                body.add(line);
                continue;
            }
            if (header != null) {
                blocks.add(new Block(header, List.copyOf(body)));
            }
            header = line;
            body = new ArrayList<>();
        }
        if (header != null) {
            blocks.add(new Block(header, List.copyOf(body)));
        }
        return blocks;
    }
}
