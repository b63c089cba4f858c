package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.scenario.Token.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<Line> lex(String text) {
        return Lexer.lex(Source.of("t.scn", text));
    }

    /** The tokens of a one-line text, which must lex without error. */
    private static List<Token> tokens(String line) {
        Line lexed = lex(line).get(0);
        assertThat(lexed.error()).as("lexical error").isNull();
        return lexed.tokens();
    }

    private static Token single(String text) {
        List<Token> tokens = tokens(text);
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    private static List<Kind> kinds(String line) {
        return tokens(line).stream().map(Token::kind).toList();
    }

    private static ScenarioError error(String text) {
        ScenarioError e = lex(text).get(0).error();
        assertThat(e).as("lexical error").isNotNull();
        return e;
    }

    // --- size of what is kept ---------------------------------------------------------------

    /** Every line's tokens live until the file is parsed: a text written on many lines is kept once. */
    @Test
    void lex_textWrittenOnManyLines_isOneStringAndTokensWithoutContentsShareNoBytes() {
        List<Line> lines = lex("p = mmap 16K\nq = mmap 16K\n");
        Token first = lines.get(0).tokens().get(2);
        Token second = lines.get(1).tokens().get(2);

        assertThat(second.text()).isEqualTo("mmap").isSameAs(first.text());
        assertThat(lines.get(1).tokens().get(3).text()).isSameAs(lines.get(0).tokens().get(3).text());
        assertThat(second.bytes()).isSameAs(first.bytes()).isEmpty();
        assertThat(lines.get(1).tokens().get(3).bytes()).as("a number's").isSameAs(first.bytes());
    }

    // --- numbers and sizes -----------------------------------------------------------------

    @Test
    void number_decimal_isItsValue() {
        Token t = single("4096");
        assertThat(t.kind()).isEqualTo(Kind.NUMBER);
        assertThat(t.number()).isEqualTo(4096);
        assertThat(t.sized()).isFalse();
    }

    @Test
    void number_decimalWithLeadingZero_isNotOctal() {
        assertThat(single("010").number()).isEqualTo(10);
    }

    @Test
    void number_hex_eitherCase() {
        assertThat(single("0x1f").number()).isEqualTo(31);
        assertThat(single("0XAB").number()).isEqualTo(0xab);
        assertThat(single("0x7fffffffffffffff").number()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void size_suffixes_arePowersOf1024() {
        assertThat(single("4K").number()).isEqualTo(4096);
        assertThat(single("2M").number()).isEqualTo(2L << 20);
        assertThat(single("3G").number()).isEqualTo(3L << 30);
        assertThat(single("0x10K").number()).isEqualTo(16 * 1024);
        assertThat(single("4K").sized()).isTrue();
    }

    @Test
    void size_lowerCaseSuffix_isBadSuffix() {
        ScenarioError e = error("16k");
        assertThat(e.reason()).isEqualTo("bad size suffix 'k' (use K, M or G)");
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void size_twoLetterSuffix_isBadSuffix() {
        assertThat(error("16KB").reason()).isEqualTo("bad size suffix 'KB' (use K, M or G)");
    }

    @Test
    void number_overflowingLong_isTooLarge() {
        assertThat(error("9223372036854775808").reason()).isEqualTo("number too large: 9223372036854775808");
        assertThat(error("0x10000000000000000").reason()).isEqualTo("number too large: 0x10000000000000000");
    }

    @Test
    void size_overflowingLong_isTooLarge() {
        assertThat(error("9000000000G").reason()).isEqualTo("size too large: 9000000000G");
    }

    @Test
    void hex_withoutDigits_isBadHex() {
        assertThat(error("0x").reason()).isEqualTo("bad hex number '0x'");
        assertThat(error("0xg1").reason()).isEqualTo("bad hex number '0xg1'");
    }

    // --- names and address arithmetic ------------------------------------------------------

    @Test
    void name_withDashesAndDots_isOneToken() {
        assertThat(single("hmm-no-retry").text()).isEqualTo("hmm-no-retry");
        assertThat(single("A.dst_bo").text()).isEqualTo("A.dst_bo");
        assertThat(single("_x9").kind()).isEqualTo(Kind.NAME);
    }

    @Test
    void addressArithmetic_plus_isNamePlusSize() {
        List<Token> t = tokens("p+4K");
        assertThat(t).extracting(Token::kind).containsExactly(Kind.NAME, Kind.PLUS, Kind.NUMBER);
        assertThat(t.get(0).text()).isEqualTo("p");
        assertThat(t.get(2).number()).isEqualTo(4096);
    }

    @Test
    void addressArithmetic_dashBeforeDigit_endsTheName() {
        List<Token> t = tokens("p-4K A.p-0x10");
        assertThat(t).extracting(Token::text).containsExactly("p", "-", "4K", "A.p", "-", "0x10");
    }

    @Test
    void name_dashBeforeLetter_staysInTheName() {
        assertThat(single("use-after-free").text()).isEqualTo("use-after-free");
    }

    @Test
    void name_trailingDot_isUnexpected() {
        ScenarioError e = error("A. x");
        assertThat(e.reason()).isEqualTo("unexpected character '.'");
        assertThat(e.column()).isEqualTo(2);
    }

    // --- strings ---------------------------------------------------------------------------

    @Test
    void string_escapes_decodeToBytes() {
        Token t = single("\"a\\n\\\"\\\\\\x41\\xfF\"");
        assertThat(t.kind()).isEqualTo(Kind.STRING);
        assertThat(t.bytes()).containsExactly('a', '\n', '"', '\\', 'A', 0xff);
        assertThat(t.text()).isEqualTo("\"a\\n\\\"\\\\\\x41\\xfF\"");
    }

    @Test
    void string_withHashAndSpaces_isNotAComment() {
        assertThat(single("\"a # b\"").bytes()).isEqualTo("a # b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void string_empty_hasNoBytes() {
        assertThat(single("\"\"").bytes()).isEmpty();
    }

    @Test
    void string_unterminated_pointsAtTheOpeningQuote() {
        ScenarioError e = error("write p \"abc");
        assertThat(e.reason()).isEqualTo("unterminated string");
        assertThat(e.column()).isEqualTo(9);
    }

    @Test
    void string_backslashAtEnd_isUnterminated() {
        assertThat(error("\"abc\\").reason()).isEqualTo("unterminated string");
    }

    @Test
    void string_unknownEscape_pointsAtTheBackslash() {
        ScenarioError e = error("\"a\\tb\"");
        assertThat(e.reason()).isEqualTo("bad escape '\\t' in string (use \\n, \\\", \\\\ or \\xNN)");
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void string_shortHexEscape_isBadEscape() {
        assertThat(error("\"\\x4\"").reason()).isEqualTo("bad escape '\\x4' (\\x takes two hex digits)");
    }

    // --- repeated bytes, symbols -----------------------------------------------------------

    @Test
    void repeatedByte_isNumberStarSize() {
        List<Token> t = tokens("0xAB*4K");
        assertThat(t).extracting(Token::kind).containsExactly(Kind.NUMBER, Kind.STAR, Kind.NUMBER);
        assertThat(t.get(0).number()).isEqualTo(0xab);
        assertThat(t.get(2).number()).isEqualTo(4096);
    }

    @Test
    void symbols_longestMatchFirst() {
        assertThat(kinds("= => == != | , : * + -")).containsExactly(Kind.EQUALS, Kind.ARROW, Kind.EQ, Kind.NE,
                Kind.PIPE, Kind.COMMA, Kind.COLON, Kind.STAR, Kind.PLUS, Kind.MINUS);
    }

    @Test
    void symbols_withoutSpaces_split() {
        assertThat(tokens("x=>ok|EFAULT")).extracting(Token::text).containsExactly("x", "=>", "ok", "|", "EFAULT");
    }

    @Test
    void lonelyBang_isUnexpected() {
        assertThat(error("x ! y").reason()).isEqualTo("unexpected character '!'");
    }

    @Test
    void invisibleCharacter_isShownAsCodePoint() {
        assertThat(error("x\u00a0y").reason()).isEqualTo("unexpected character U+00A0");
        assertThat(error("x\u0000").reason()).isEqualTo("unexpected character U+0000");
    }

    // --- lines, comments, indentation ------------------------------------------------------

    @Test
    void commentsAndBlankLines_areDropped() {
        List<Line> lines = lex("# c\n\n   \n\t\n  # indented comment\nexit # trailing\n");
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.number()).isEqualTo(6);
            assertThat(l.tokens()).extracting(Token::text).containsExactly("exit");
        });
    }

    @Test
    void indentation_countsLeadingSpaces() {
        assertThat(lex("    exit\n").get(0).indent()).isEqualTo(4);
    }

    @Test
    void indentation_withTab_isAnError() {
        ScenarioError e = error("  \texit");
        assertThat(e.reason()).isEqualTo("tab used for indentation (indent with spaces)");
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void tabBetweenTokens_isABlank() {
        assertThat(tokens("munmap\tp\t4K")).extracting(Token::text).containsExactly("munmap", "p", "4K");
    }

    @Test
    void columns_countCodePoints() {
        List<Token> t = tokens("\"\uD83D\uDE00\" x");
        assertThat(t.get(1).column()).isEqualTo(5);
    }

    @Test
    void crlfAndByteOrderMark_areStripped() {
        List<Line> lines = lex("\uFEFFscenario \"x\"\r\nexit\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).first().column()).isEqualTo(1);
        assertThat(lines.get(1).tokens()).extracting(Token::text).containsExactly("exit");
    }

    @Test
    void lexicalError_keepsTheTokensBefore_andLaterLinesStillLex() {
        List<Line> lines = lex("a b @ c\nd\n");
        assertThat(lines.get(0).tokens()).extracting(Token::text).containsExactly("a", "b");
        assertThat(lines.get(0).error().position()).isEqualTo(new Position(1, 5));
        assertThat(lines.get(1).error()).isNull();
    }
}
