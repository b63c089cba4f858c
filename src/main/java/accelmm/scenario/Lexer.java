package accelmm.scenario;

import accelmm.scenario.Token.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns scenario text into {@link Line}s of {@link Token}s. Hand-written, one line at a time:
 * the language has one statement per line and no construct spans lines.
 *
 * <p>Design note. Blank and comment-only lines vanish here, whatever their indentation. A line's
 * indentation is its count of leading blanks; a tab among them is an error (the parser compares
 * indentation widths, and a tab has none). Names may contain {@code -}, but a {@code -} followed
 * by a digit ends the name, so {@code p-4K} is address arithmetic and not one name. A name may
 * contain dots ({@code A.p}, {@code E.vm}); the parser decides what the parts mean. Numbers are
 * decimal or {@code 0x} hex, optionally followed by a size suffix K, M or G (powers of 1024).
 * Strings hold bytes: the UTF-8 encoding of their text, with {@code \xNN} for any byte.
 *
 * <p>Every line's tokens stay alive until the whole file is parsed (names are collected from
 * all lines first), so tokens are kept small: a text written many times ({@code =}, {@code
 * mmap}, {@code ok}) is one string for the whole file, and tokens without contents share one
 * empty array.
 */
final class Lexer {

    private final Source source;
    private final int lineNumber;
    /** The texts of the file's tokens so far, each kept once. */
    private final Map<String, String> texts;
    private final int[] chars;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(Source source, int lineNumber, Map<String, String> texts) {
        this.source = source;
        this.lineNumber = lineNumber;
        this.texts = texts;
        this.chars = source.line(lineNumber).codePoints().toArray();
    }

    /** Every non-blank, non-comment line of {@code source}, in order. */
    static List<Line> lex(Source source) {
        List<Line> lines = new ArrayList<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (int number = 1; number <= source.lineCount(); number++) {
            Line line = new Lexer(source, number, texts).line();
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The lexed line, or null for a blank or comment-only line. */
    private Line line() {
        int firstTab = -1;
        while (pos < chars.length && (chars[pos] == ' ' || chars[pos] == '\t')) {
            if (chars[pos] == '\t' && firstTab < 0) {
                firstTab = pos;
            }
            pos++;
        }
        int indent = pos;
        if (pos == chars.length || chars[pos] == '#') {
            return null;
        }
        if (firstTab >= 0) {
            return new Line(lineNumber, indent, List.of(),
                    error(firstTab, "tab used for indentation (indent with spaces)"));
        }
        try {
            while (skipBlanks()) {
                tokens.add(token());
            }
            return new Line(lineNumber, indent, tokens, null);
        } catch (ScenarioError e) {
            return new Line(lineNumber, indent, tokens, e);
        }
    }

    /** Skips blanks; false at the end of the line or at a comment. */
    private boolean skipBlanks() {
        while (pos < chars.length && (chars[pos] == ' ' || chars[pos] == '\t')) {
            pos++;
        }
        return pos < chars.length && chars[pos] != '#';
    }

    private Token token() {
        int c = chars[pos];
        if (isNameStart(c)) {
            return name();
        }
        if (isDigit(c)) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        return symbol();
    }

    private Token name() {
        int start = pos;
        while (pos < chars.length) {
            int c = chars[pos];
            boolean dashBeforeDigit = c == '-' && pos + 1 < chars.length && isDigit(chars[pos + 1]);
            boolean dotBeforeName = c == '.' && pos + 1 < chars.length && isNameStart(chars[pos + 1]);
            if ((isNameChar(c) && !dashBeforeDigit) || dotBeforeName) {
                pos++;
            } else {
                break;
            }
        }
        return Token.symbol(Kind.NAME, text(start, pos), lineNumber, start + 1);
    }

    private Token number() {
        int start = pos;
        boolean hex = chars[pos] == '0' && pos + 1 < chars.length && (chars[pos + 1] == 'x' || chars[pos + 1] == 'X');
        int radix = hex ? 16 : 10;
        pos += hex ? 2 : 0;
        int digitsStart = pos;
        long value = 0;
        boolean tooLarge = false;
        while (pos < chars.length && chars[pos] < 128 && Character.digit(chars[pos], radix) >= 0) {
            int digit = Character.digit(chars[pos], radix);
            if (value > (Long.MAX_VALUE - digit) / radix) {
                tooLarge = true;
            } else {
                value = value * radix + digit;
            }
            pos++;
        }
        int suffixStart = pos;
        while (pos < chars.length && isNameChar(chars[pos]) && chars[pos] != '-') {
            pos++;
        }
        String suffix = text(suffixStart, pos);
        if (hex && (digitsStart == suffixStart || !(suffix.isEmpty() || isSizeSuffix(suffix)))) {
            throw error(start, "bad hex number '" + text(start, pos) + "'");
        }
        if (!suffix.isEmpty() && !isSizeSuffix(suffix)) {
            throw error(suffixStart, "bad size suffix '" + suffix + "' (use K, M or G)");
        }
        if (tooLarge) {
            throw error(start, "number too large: " + text(start, pos));
        }
        long scale = suffix.isEmpty() ? 1 : 1L << (10 * ("KMG".indexOf(suffix) + 1));
        if (value > Long.MAX_VALUE / scale) {
            throw error(start, "size too large: " + text(start, pos));
        }
        return new Token(Kind.NUMBER, text(start, pos), lineNumber, start + 1, value * scale,
                !suffix.isEmpty(), Token.NO_BYTES);
    }

    private static boolean isSizeSuffix(String suffix) {
        return suffix.equals("K") || suffix.equals("M") || suffix.equals("G");
    }

    private Token string() {
        int open = pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (pos >= chars.length) {
                throw error(open, "unterminated string");
            }
            int c = chars[pos];
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                escape(open, bytes);
            } else {
                bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                pos++;
            }
        }
        // A string's text is seldom written twice: it is not looked up among the others.
        return new Token(Kind.STRING, new String(chars, open, pos - open), lineNumber, open + 1, 0, false,
                bytes.toByteArray());
    }

    /** Decodes the escape at {@code pos} (a backslash) into {@code bytes}. */
    private void escape(int open, ByteArrayOutputStream bytes) {
        int backslash = pos;
        if (pos + 1 >= chars.length) {
            throw error(open, "unterminated string");
        }
        int c = chars[pos + 1];
        switch (c) {
            case 'n' -> bytes.write('\n');
            case '"' -> bytes.write('"');
            case '\\' -> bytes.write('\\');
            case 'x' -> {
                int high = pos + 2 < chars.length ? hexDigit(chars[pos + 2]) : -1;
                int low = pos + 3 < chars.length ? hexDigit(chars[pos + 3]) : -1;
                if (high < 0 || low < 0) {
                    int end = Math.min(chars.length, pos + 4);
                    String shown = text(backslash, end).replaceAll("\".*", "");
                    throw error(backslash, "bad escape '" + shown + "' (\\x takes two hex digits)");
                }
                bytes.write(high * 16 + low);
                pos += 2;
            }
            default -> throw error(backslash, "bad escape '\\" + new String(Character.toChars(c))
                    + "' in string (use \\n, \\\", \\\\ or \\xNN)");
        }
        pos += 2;
    }

    private Token symbol() {
        int start = pos;
        int c = chars[pos];
        int next = pos + 1 < chars.length ? chars[pos + 1] : -1;
        Kind kind = switch (c) {
            case '=' -> next == '>' ? Kind.ARROW : next == '=' ? Kind.EQ : Kind.EQUALS;
            case '!' -> next == '=' ? Kind.NE : null;
            case '|' -> Kind.PIPE;
            case ',' -> Kind.COMMA;
            case ':' -> Kind.COLON;
            case '*' -> Kind.STAR;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            default -> null;
        };
        if (kind == null) {
            throw error(start, "unexpected character " + describe(c));
        }
        pos += kind == Kind.ARROW || kind == Kind.EQ || kind == Kind.NE ? 2 : 1;
        return Token.symbol(kind, text(start, pos), lineNumber, start + 1);
    }

    /** {@code 'x'} for a visible character, {@code U+0007} for anything else. */
    static String describe(int c) {
        boolean visible = !Character.isISOControl(c) && !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.isDefined(c) && Character.getType(c) != Character.FORMAT
                && Character.getType(c) != Character.SURROGATE;
        return visible ? "'" + new String(Character.toChars(c)) + "'" : String.format("U+%04X", c);
    }

    private ScenarioError error(int index, String reason) {
        return source.error(lineNumber, index + 1, reason);
    }

    /** The text of {@code [from, to)}, the same string as every earlier token written alike. */
    private String text(int from, int to) {
        String text = new String(chars, from, to - from);
        String kept = texts.putIfAbsent(text, text);
        return kept != null ? kept : text;
    }

    static boolean isNameStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isNameChar(int c) {
        return isNameStart(c) || isDigit(c) || c == '-';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(int c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
