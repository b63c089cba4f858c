package accelmm.scenario;

import java.util.Optional;

/**
 * A problem in a scenario file, at a 1-based line and column. It is the only exception the
 * lexer, the parser and {@link ScenarioLoader} let escape; a file with one runs nothing.
 *
 * <p>{@link #getMessage()} is the one-line form {@code FILE:LINE:COL: message};
 * {@link #render()} adds the offending source line and a caret under the column:
 *
 * <pre>
 * demo.scn:7:3: unknown operation 'mmapp' (did you mean 'mmap'?)
 *   mmapp 16K
 *   ^
 * </pre>
 */
public final class ScenarioError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final int line;
    private final int column;
    private final String reason;
    /** The text of the offending line, or null when none applies (the file could not be read). */
    private final String sourceLine;

    /**
     * @param sourceLine the text of line {@code line}, or {@code null} when there is none to show
     */
    public ScenarioError(String fileName, int line, int column, String reason, String sourceLine) {
        super(fileName + ":" + line + ":" + column + ": " + reason);
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
        this.fileName = fileName;
        this.line = line;
        this.column = column;
        this.reason = reason;
        this.sourceLine = sourceLine;
    }

    public String fileName() {
        return fileName;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public Position position() {
        return new Position(line, column);
    }

    /** The message without the location, e.g. {@code unterminated string}. */
    public String reason() {
        return reason;
    }

    public Optional<String> sourceLine() {
        return Optional.ofNullable(sourceLine);
    }

    /**
     * {@code FILE:LINE:COL: message}, then the source line and a caret line (no trailing
     * newline). Tabs before the column are kept in the caret line so the caret lines up.
     */
    public String render() {
        if (sourceLine == null) {
            return getMessage();
        }
        StringBuilder caret = new StringBuilder();
        int[] codePoints = sourceLine.codePoints().toArray();
        for (int i = 0; i < column - 1; i++) {
            caret.append(i < codePoints.length && codePoints[i] == '\t' ? '\t' : ' ');
        }
        return getMessage() + "\n" + sourceLine + "\n" + caret + "^";
    }
}
