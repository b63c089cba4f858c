package accelmm.scenario;

import accelmm.scenario.Token.Kind;
import java.util.List;

/** Reads the tokens of one {@link Line} left to right, and reports errors on them. */
final class Cursor {

    private final Source source;
    private final Line line;
    private final List<Token> tokens;
    private int index;

    Cursor(Source source, Line line) {
        this.source = source;
        this.line = line;
        this.tokens = line.tokens();
    }

    boolean atEnd() {
        return index >= tokens.size();
    }

    /** The next token, or null at the end of the line. */
    Token peek() {
        return peek(0);
    }

    /** The token {@code ahead} places after the next one, or null. */
    Token peek(int ahead) {
        int i = index + ahead;
        return i < tokens.size() ? tokens.get(i) : null;
    }

    boolean at(Kind kind) {
        return !atEnd() && tokens.get(index).is(kind);
    }

    boolean atWord(String word) {
        return !atEnd() && tokens.get(index).isWord(word);
    }

    /** Whether the token {@code ahead} places after the next one is of {@code kind}. */
    boolean peekIs(int ahead, Kind kind) {
        Token t = peek(ahead);
        return t != null && t.is(kind);
    }

    Token next() {
        if (atEnd()) {
            throw new IllegalStateException("read past the end of line " + line.number());
        }
        return tokens.get(index++);
    }

    /** The line's first token. */
    Token first() {
        return tokens.get(0);
    }

    /** The last token read; the line's first token if none was read yet. */
    Token previous() {
        return tokens.get(Math.max(0, index - 1));
    }

    /** The next token, which must be of {@code kind}; {@code what} names it in the error. */
    Token expect(Kind kind, String what) {
        if (!at(kind)) {
            throw expected(what);
        }
        return next();
    }

    /** An error at the next token: {@code expected WHAT, got 'x'} (or just after the line's end). */
    ScenarioError expected(String what) {
        if (atEnd()) {
            return errorAfter(previous(), "expected " + what);
        }
        return error(peek(), "expected " + what + ", got '" + peek().text() + "'");
    }

    /** Requires the end of the line. */
    void expectEnd() {
        if (!atEnd()) {
            throw error(peek(), "unexpected '" + peek().text() + "'");
        }
    }

    ScenarioError error(Token token, String reason) {
        return source.error(token, reason);
    }

    ScenarioError errorAfter(Token token, String reason) {
        return source.errorAfter(token, reason);
    }

    /** The source text from the start of {@code first} to the end of {@code last}. */
    String text(Token first, Token last) {
        return source.text(first, last);
    }

    /** The whole line's text without indentation and comment. */
    String lineText() {
        return text(tokens.get(0), tokens.get(tokens.size() - 1));
    }
}
