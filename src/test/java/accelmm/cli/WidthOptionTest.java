package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default width: the terminal's columns as the launcher passes them, within bounds; else 80. */
class WidthOptionTest {

    @Test
    void columns_fromTheLaunchersVariable_clampedAndDefaultingTo80() {
        assertThat(WidthOption.columns(null)).isEqualTo(80);
        assertThat(WidthOption.columns("132")).isEqualTo(132);
        assertThat(WidthOption.columns("20")).isEqualTo(WidthOption.MIN);
        assertThat(WidthOption.columns("99999")).isEqualTo(WidthOption.MAX);
        // A pseudo-terminal that never learnt its size says 0.
        assertThat(WidthOption.columns("0")).isEqualTo(80);
        assertThat(WidthOption.columns("wide")).isEqualTo(80);
    }
}
