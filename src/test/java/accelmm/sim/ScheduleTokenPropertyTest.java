package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every schedule survives the trip through its token. */
class ScheduleTokenPropertyTest {

    @Property
    void parse_tokenOfAnySchedule_givesSameSchedule(@ForAll("decisions") int[] decisions) {
        Schedule schedule = Schedule.of(decisions);

        assertThat(Schedule.parse(schedule.token())).isEqualTo(schedule);
    }

    @Property
    void parse_tokenOfLongRuns_givesSameSchedule(@ForAll("runs") int[] decisions) {
        Schedule schedule = Schedule.of(decisions);

        assertThat(Schedule.parse(schedule.token())).isEqualTo(schedule);
    }

    @Property
    void parse_tokenOfLargeDecisions_givesSameSchedule(@ForAll("largeDecisions") int[] decisions) {
        Schedule schedule = Schedule.of(decisions);

        assertThat(Schedule.parse(schedule.token())).isEqualTo(schedule);
    }

    @Property
    void token_anySchedule_hasNoWhitespace(@ForAll("decisions") int[] decisions) {
        assertThat(Schedule.of(decisions).token()).doesNotContainAnyWhitespaces();
    }

    /** Small values, as actor ids and choices are: many equal neighbours. */
    @Provide
    Arbitrary<int[]> decisions() {
        return Arbitraries.integers().between(0, 3).array(int[].class).ofMaxSize(200);
    }

    /** Any non-negative int, up to Integer.MAX_VALUE. */
    @Provide
    Arbitrary<int[]> largeDecisions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMaxSize(20);
    }

    /** Concatenated runs of one value, up to 5,000 long each. */
    @Provide
    Arbitrary<int[]> runs() {
        Arbitrary<int[]> run = Arbitraries.integers().between(0, 1_000)
                .flatMap(v -> Arbitraries.integers().between(1, 5_000).map(n -> filled(v, n)));
        return run.list().ofMaxSize(8).map(ScheduleTokenPropertyTest::concat);
    }

    private static int[] filled(int value, int count) {
        int[] out = new int[count];
        Arrays.fill(out, value);
        return out;
    }

    private static int[] concat(List<int[]> parts) {
        return parts.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
