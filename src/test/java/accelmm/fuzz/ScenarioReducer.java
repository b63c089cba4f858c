package accelmm.fuzz;

import accelmm.scenario.DesignKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Makes a failing scenario text smaller while it still fails the same way: pins the design
 * lines to the failing combination, then removes whole thread blocks, single statements,
 * {@code after} clauses and declarations, one at a time, as long as any removal keeps the
 * failure (a greedy line-level delta debugging). A removal that breaks the file (a thread left
 * without statements, a device still used) simply does not fail the same way and is undone.
 */
public final class ScenarioReducer {

    private final Predicate<String> fails;

    /** {@code fails}: whether a text still fails as the original did (false for a text that does not load). */
    public ScenarioReducer(Predicate<String> fails) {
        this.fails = fails;
    }

    /** The smallest text found that still fails; {@code combination}: the failing one, to pin the designs to. */
    public String reduce(String text, Map<DesignKey, String> combination) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        List<String> pinned = pinDesigns(lines, combination);
        if (fails.test(join(pinned))) {
            lines = pinned;
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (i >= lines.size()) {
                    continue;
                }
                List<String> smaller = without(lines, i);
                if (smaller != null && fails.test(join(smaller))) {
                    lines = smaller;
                    progress = true;
                }
            }
        }
        return join(lines);
    }

    /** The design lines replaced by one line per key of the failing combination. */
    private static List<String> pinDesigns(List<String> lines, Map<DesignKey, String> combination) {
        List<String> out = new ArrayList<>();
        boolean written = false;
        for (String line : lines) {
            if (line.startsWith("design ")) {
                if (!written) {
                    combination.forEach((k, v) -> out.add("design " + k.word() + "=" + v));
                    written = true;
                }
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * {@code lines} without what line {@code i} starts: a whole thread block for a thread line,
     * the {@code after} clause first if it has one; null when there is nothing to remove there.
     */
    private static List<String> without(List<String> lines, int i) {
        String line = lines.get(i);
        List<String> out = new ArrayList<>(lines);
        if (line.startsWith("thread ") && line.contains(" after ")) {
            out.set(i, line.substring(0, line.indexOf(" after ")) + ":");
            return out;
        }
        if (line.startsWith("thread ")) {
            int end = i + 1;
            while (end < lines.size() && lines.get(end).startsWith(" ")) {
                end++;
            }
            out.subList(i, end).clear();
            return out;
        }
        if (line.isBlank() || line.startsWith("scenario ")) {
            return null;
        }
        out.remove(i);
        return out;
    }

    /** The lines as a file, with runs of blank lines (left by removed blocks) made one. */
    private static String join(List<String> lines) {
        StringBuilder s = new StringBuilder();
        boolean blank = false;
        for (String line : lines) {
            if (!line.isBlank() || !blank) {
                s.append(line).append('\n');
            }
            blank = line.isBlank();
        }
        return s.toString().stripTrailing() + "\n";
    }
}
