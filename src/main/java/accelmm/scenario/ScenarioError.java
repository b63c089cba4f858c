package accelmm.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The problems of a scenario file, each at a 1-based line and column. It is the only exception
 * the lexer, the parser, {@link ScenarioLoader} and the load-time checks let escape; a file with
 * one runs nothing.
 *
 * <p>The parser stops at its first problem, so a parse error carries one. The checks that run on
 * a parsed scenario (what the model does not implement, names never bound, {@code expect} lines
 * that cannot hold) report every problem they find, in file order, in one error.
 *
 * <p>{@link #getMessage()} is the one-line form {@code FILE:LINE:COL: message} of each problem,
 * one per line; {@link #render()} adds each problem's source line and a caret under the column:
 *
 * <pre>
 * demo.scn:7:3: unknown operation 'mmapp' (did you mean 'mmap'?)
 *   mmapp 16K
 *   ^
 * </pre>
 */
public final class ScenarioError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param sourceLine the text of line {@code line}, or {@code null} when there is none to show
     *                   (the file could not be read)
     */
    public record Problem(String fileName, int line, int column, String reason, String sourceLine) {

        public Problem {
            if (line < 1 || column < 1) {
                throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
            }
        }

        /** {@code FILE:LINE:COL: message}. */
        public String message() {
            return fileName + ":" + line + ":" + column + ": " + reason;
        }

        /**
         * {@link #message()}, then the source line and a caret line (no trailing newline). Tabs
         * before the column are kept in the caret line so the caret lines up.
         */
        public String render() {
            if (sourceLine == null) {
                return message();
            }
            StringBuilder caret = new StringBuilder();
            int[] codePoints = sourceLine.codePoints().toArray();
            for (int i = 0; i < column - 1; i++) {
                caret.append(i < codePoints.length && codePoints[i] == '\t' ? '\t' : ' ');
            }
            return message() + "\n" + sourceLine + "\n" + caret + "^";
        }
    }

    /** Never empty; in file order. */
    private final List<Problem> problems;

    /**
     * @param sourceLine the text of line {@code line}, or {@code null} when there is none to show
     */
    public ScenarioError(String fileName, int line, int column, String reason, String sourceLine) {
        this(List.of(new Problem(fileName, line, column, reason, sourceLine)));
    }

    /** Several problems, reported together in the order given. */
    public ScenarioError(List<Problem> problems) {
        super(String.join("\n", problems.stream().map(Problem::message).toList()));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a scenario error has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems of several errors (of one file or several), in the order given. */
    public static ScenarioError of(List<ScenarioError> errors) {
        List<Problem> all = new ArrayList<>();
        errors.forEach(e -> all.addAll(e.problems));
        return new ScenarioError(all);
    }

    /** Every problem, in file order (at least one). */
    public List<Problem> problems() {
        return problems;
    }

    private Problem first() {
        return problems.get(0);
    }

    /** The file of the first problem. */
    public String fileName() {
        return first().fileName();
    }

    /** The line of the first problem. */
    public int line() {
        return first().line();
    }

    /** The column of the first problem. */
    public int column() {
        return first().column();
    }

    /** Where the first problem is. */
    public Position position() {
        return new Position(line(), column());
    }

    /** The first problem's message without its location, e.g. {@code unterminated string}. */
    public String reason() {
        return first().reason();
    }

    /** The text of the first problem's line, if there is one to show. */
    public Optional<String> sourceLine() {
        return Optional.ofNullable(first().sourceLine());
    }

    /** Every problem as {@link Problem#render()} shows it, one after the other. */
    public String render() {
        return String.join("\n", problems.stream().map(Problem::render).toList());
    }
}
