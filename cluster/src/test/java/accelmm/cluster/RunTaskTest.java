package accelmm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a member keeps of the searcher's cancels. */
class RunTaskTest {

    /** A cancel that came after its call ended is never removed by the call: the oldest go. */
    @Test
    void cancelled_lateCancelsOfEndedCalls_onlyTheLatestAreKept() {
        RunTask.CANCELLED.clear();
        for (int i = 0; i < 20_000; i++) {
            RunTask.CANCELLED.add("call-" + i);
        }

        assertThat(RunTask.CANCELLED).hasSize(16_384).contains("call-19999", "call-3616")
                .doesNotContain("call-3615", "call-0");
        RunTask.CANCELLED.clear();
    }
}
