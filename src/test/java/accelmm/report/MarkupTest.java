package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text in XML and HTML: markup characters escaped, and what XML 1.0 cannot carry made visible. */
class MarkupTest {

    @Test
    void escape_markupCharacters() {
        assertThat(Markup.escape("a<b>&\"c\"'d'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    }

    @Test
    void escape_charactersXmlCannotCarry_areWrittenAsEscapes_aWellFormedPairIsKept() {
        String pair = "\ud83d\ude00";

        assertThat(Markup.escape("a\u001bb")).isEqualTo("a\\x1bb");
        assertThat(Markup.escape("a\uffffb\ufffec")).isEqualTo("a\\uffffb\\ufffec");
        assertThat(Markup.escape("lone \ud800 and \udc00")).isEqualTo("lone \\ud800 and \\udc00");
        assertThat(Markup.escape("kept " + pair)).isEqualTo("kept " + pair);
    }

    @Test
    void shorten_longText_cutWithAnEllipsisNeverInsideASurrogatePair() {
        String pair = "\ud83d\ude00";

        assertThat(Markup.shorten("abcdef", 6)).isEqualTo("abcdef");
        assertThat(Markup.shorten("abcdefg", 6)).isEqualTo("abcde\u2026");
        // The cut would fall between the pair's halves: the pair goes whole.
        assertThat(Markup.shorten("abcd" + pair + "xyz", 6)).isEqualTo("abcd\u2026");
        assertThat(Markup.shorten("abc" + pair + "xyz", 6)).isEqualTo("abc" + pair + "\u2026");
    }
}
