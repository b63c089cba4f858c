package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What reaches a terminal: control characters as visible escapes, the rest as it is. */
class TerminalTextTest {

    @Test
    void escape_controlCharacters_becomeVisibleEscapes() {
        assertThat(TerminalText.escape("\u001b[2J\u001b[31mFAKE\r\u0000\u007f\u009b\u202eevil"))
                .isEqualTo("\\x1b[2J\\x1b[31mFAKE\\x0d\\x00\\x7f\\x9b\\u202eevil");
    }

    @Test
    void escape_ordinaryText_isUnchanged() {
        String text = "scenario \"userptr mirror\"\n\tstep ─ 1 → é ✓\n";

        assertThat(TerminalText.escape(text)).isSameAs(text);
    }

    @Test
    void json_c1AndBidiControls_areUnicodeEscapes() {
        assertThat(Json.write("a\u009bb\u2066c")).isEqualTo("\"a\\u009bb\\u2066c\"\n");
    }
}
