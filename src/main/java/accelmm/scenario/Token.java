package accelmm.scenario;

/**
 * One token of a scenario line.
 *
 * @param text   the token as written in the source (a string with its quotes and escapes)
 * @param column 1-based column of the first character, in code points
 * @param number the value of a NUMBER (sizes already multiplied out); 0 otherwise
 * @param sized  whether a NUMBER carried a K, M or G suffix
 * @param bytes  the decoded contents of a STRING; empty otherwise
 */
record Token(Kind kind, String text, int line, int column, long number, boolean sized, byte[] bytes) {

    /** Token kinds. NAME includes dotted names ({@code A.p}, {@code E.vm}) as one token. */
    enum Kind {
        NAME, NUMBER, STRING,
        /** {@code =} */ EQUALS,
        /** {@code =>} */ ARROW,
        /** {@code ==} */ EQ,
        /** {@code !=} */ NE,
        PIPE, COMMA, COLON, STAR, PLUS, MINUS
    }

    /** The contents of every token but a STRING: one empty array, never written to. */
    static final byte[] NO_BYTES = new byte[0];

    static Token symbol(Kind kind, String text, int line, int column) {
        return new Token(kind, text, line, column, 0, false, NO_BYTES);
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** Whether this is the NAME {@code word}. */
    boolean isWord(String word) {
        return kind == Kind.NAME && text.equals(word);
    }

    /** Whether this is a NAME without dots. */
    boolean isPlainName() {
        return kind == Kind.NAME && text.indexOf('.') < 0;
    }

    /** The column just after the token. */
    int endColumn() {
        return column + text.codePointCount(0, text.length());
    }

    Position position() {
        return new Position(line, column);
    }
}
