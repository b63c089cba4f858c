package accelmm.scenario;

import java.util.List;

/**
 * One non-blank, non-comment line, lexed. A lexical error does not stop the lexer: it is kept
 * on its line and raised when the parser reaches that line, so errors come in file order.
 *
 * @param indent the number of leading blanks
 * @param tokens the tokens before the error, if any
 * @param error  the lexical error of this line, or null
 */
record Line(int number, int indent, List<Token> tokens, ScenarioError error) {

    Line {
        tokens = List.copyOf(tokens);
    }

    /** Throws this line's lexical error, if it has one. */
    void throwIfError() {
        if (error != null) {
            throw error;
        }
    }

    Token first() {
        return tokens.get(0);
    }

    boolean startsWith(String word) {
        return !tokens.isEmpty() && first().isWord(word);
    }
}
