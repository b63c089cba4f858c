package accelmm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a member keeps of the searcher's cancels. */
class RunTaskTest {

    /** A cancel that came after its call ended is never removed by the call: the oldest go. */
    @Test
    void cancelled_lateCancelsOfEndedCalls_onlyTheLatestThousandAreKept() {
        RunTask.CANCELLED.clear();
        for (int i = 0; i < 5000; i++) {
            RunTask.CANCELLED.add("call-" + i);
        }

        assertThat(RunTask.CANCELLED).hasSize(1024).contains("call-4999", "call-3976").doesNotContain("call-3975", "call-0");
        RunTask.CANCELLED.clear();
    }
}
