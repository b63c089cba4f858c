package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token form of a schedule: what a user copies into a replay command. */
class ScheduleTest {

    @Test
    void token_runsOfEqualDecisions_areCompressed() {
        assertThat(Schedule.of(0, 0, 0, 1, 0, 0).token()).isEqualTo("0*3.1.0*2");
    }

    @Test
    void token_emptySchedule_isDash() {
        assertThat(Schedule.empty().token()).isEqualTo("-");
    }

    @Test
    void parse_dash_isEmptySchedule() {
        assertThat(Schedule.parse("-")).isEqualTo(Schedule.empty());
    }

    @Test
    void parse_compressedToken_expandsRuns() {
        assertThat(Schedule.parse("0*3.1.0*2")).isEqualTo(Schedule.of(0, 0, 0, 1, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "1..2", ".1", "1.", "a", "1*0", "-1", "1*", "*2", "1*2*3", "1*-2",
        "1 .2", "0x1", "2147483648", "1234567890123"})
    void parse_malformedToken_throwsIllegalArgumentException(String token) {
        assertThatThrownBy(() -> Schedule.parse(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void parse_largestInt_parses() {
        assertThat(Schedule.parse("2147483647*2")).isEqualTo(Schedule.of(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void of_negativeDecision_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> Schedule.of(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_laterChangeToArgument_doesNotChangeSchedule() {
        int[] decisions = {1, 2};
        Schedule schedule = Schedule.of(decisions);
        decisions[0] = 5;
        assertThat(schedule.decision(0)).isEqualTo(1);
    }

    @Test
    void prefix_longerThanSchedule_isWholeSchedule() {
        assertThat(Schedule.of(1, 2).prefix(5)).isEqualTo(Schedule.of(1, 2));
    }

    @Test
    void prefix_count_keepsFirstDecisions() {
        assertThat(Schedule.of(1, 2, 3).prefix(2)).isEqualTo(Schedule.of(1, 2));
    }
}
