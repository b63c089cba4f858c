package accelmm.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines broken at spaces to a width, as the text report fits the terminal. */
class WrapTest {

    @Test
    void hanging_longLine_breaksAtTheLastSpaceThatFitsAndIndentsTheRest() {
        List<String> lines = Wrap.hanging("  alpha beta gamma delta epsilon zeta eta theta iota kappa", 30, 4);

        assertThat(lines).containsExactly("  alpha beta gamma delta", "    epsilon zeta eta theta", "    iota kappa");
        assertThat(lines).allMatch(l -> l.length() <= 30);
    }

    /** A word longer than the line is cut where the line ends; nothing is lost. */
    @Test
    void pieces_wordLongerThanTheLine_isCutAtTheWidth() {
        assertThat(Wrap.pieces("x".repeat(45) + " y", 20, 20))
                .containsExactly("x".repeat(20), "x".repeat(20), "x".repeat(5) + " y");
    }

    /** An indented line that starts with a long word keeps its indentation: no blank first line. */
    @Test
    void hanging_indentedLineStartingWithALongWord_keepsTheIndentAndPrintsNoBlankLine() {
        String word = "userptr=some-very-long-design-name-for-testing-purposes:";

        List<String> lines = Wrap.hanging("  " + word + " use-after-free at step 3", 40, 4);

        assertThat(lines.get(0)).isEqualTo("  " + word.substring(0, 38));
        assertThat(lines).noneMatch(String::isBlank).allMatch(l -> l.length() <= 40);
        assertThat(String.join("", lines).replace(" ", "")).isEqualTo((word + "use-after-freeatstep3"));
    }
}
