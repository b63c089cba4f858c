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
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
