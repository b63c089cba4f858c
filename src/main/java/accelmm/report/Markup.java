package accelmm.report;

/**
 * Text put into XML or HTML: the five characters markup gives a meaning escaped, and the control
 * characters written as visible escapes as on a terminal ({@link TerminalText}; XML 1.0 cannot
 * carry most of them at all), so that a scenario's title or a file name cannot break a report.
 */
final class Markup {

    private Markup() {
    }

    /** {@code text} for an attribute or an element. */
    static String escape(String text) {
        String visible = TerminalText.escape(text);
        StringBuilder out = new StringBuilder(visible.length() + 16);
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c == '\ufffe' || c == '\uffff' || Character.isSurrogate(c) && !pairedSurrogate(visible, i)) {
                        // Not an XML character: written as its escape, as a control character is.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** {@code text} cut to {@code max} characters, the last an ellipsis when it was longer. */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        // Never half a character: a surrogate pair stays whole or goes.
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "\u2026";
    }
}
