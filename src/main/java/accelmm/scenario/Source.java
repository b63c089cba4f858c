package accelmm.scenario;

import java.util.ArrayList;
import java.util.List;

/** The text of one scenario file split into lines, and the factory of its errors. */
final class Source {

    private final String fileName;
    private final List<String> lines;
    private final String fingerprint;

    private Source(String fileName, List<String> lines, String fingerprint) {
        this.fileName = fileName;
        this.lines = List.copyOf(lines);
        this.fingerprint = fingerprint;
    }

    /** Splits on {@code \n}; a {@code \r} before it and a leading byte-order mark are dropped. */
    static Source of(String fileName, String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return new Source(fileName, lines, Fingerprint.of(text, Fingerprint.TEXT_DIGITS));
    }

    String fileName() {
        return fileName;
    }

    /** The fingerprint of the whole text, as given. */
    String fingerprint() {
        return fingerprint;
    }

    int lineCount() {
        return lines.size();
    }

    /** The text of 1-based line {@code number}. */
    String line(int number) {
        return lines.get(number - 1);
    }

    ScenarioError error(int line, int column, String reason) {
        return new ScenarioError(List.of(problem(line, column, reason)));
    }

    /** A problem at {@code line} and {@code column}, with the text of its line. */
    ScenarioError.Problem problem(int line, int column, String reason) {
        return new ScenarioError.Problem(fileName, line, column, reason, line(line));
    }

    ScenarioError error(Token token, String reason) {
        return error(token.line(), token.column(), reason);
    }

    /** An error just after {@code token}: where a missing argument would go. */
    ScenarioError errorAfter(Token token, String reason) {
        return error(token.line(), token.endColumn(), reason);
    }

    /** The source text from the start of {@code first} to the end of {@code last}. */
    String text(Token first, Token last) {
        String line = line(first.line());
        int from = line.offsetByCodePoints(0, first.column() - 1);
        int to = line.offsetByCodePoints(0, last.endColumn() - 1);
        return line.substring(from, to);
    }
}
