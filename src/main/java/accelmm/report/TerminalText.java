package accelmm.report;

/**
 * Text that reaches a terminal made harmless: a control character from a scenario (a title, a
 * string literal, a file name) would otherwise move the cursor, clear the screen or recolour it
 * ({@code ESC [ 2 J}), or, with a carriage return or a bidirectional override, make one line
 * look like another. Each such character is written as a visible escape — {@code \x1b},
 * {@code \u202e} — and everything else, newlines and tabs included, as it is.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /**
     * Whether {@code c} is written escaped: the C0 controls but newline and tab, DEL, the C1
     * controls (0x9b is a CSI on some terminals) and the bidirectional embeddings, overrides
     * and isolates.
     */
    public static boolean escaped(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@code c}'s visible escape: {@code \x1b} below 0x100, else {@code \u202e}. */
    public static String escape(char c) {
        return c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
    }

    /** {@code text} with every {@linkplain #escaped escaped} character written as its escape. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * {@code text} as one line of the output: escaped, and its newlines and tabs too. For a
     * field that comes from a scenario (a title, a file name) and stands inside accelmm's own
     * line: a newline in it would start a line that looks like accelmm's own (a forged
     * {@code replay:} line).
     */
    public static String line(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean oneLine) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escaped(c) || (oneLine && (c == '\n' || c == '\t'))) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(escape(c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
