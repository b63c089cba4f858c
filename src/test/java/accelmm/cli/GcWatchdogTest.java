package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the watchdog calls a JVM out of memory: much time in pauses and a heap full of live data. */
class GcWatchdogTest {

    private static final long MAX = 64L << 20;

    @Test
    void thrashing_mostOfTheWindowInPausesAndTheHeapFull_isOutOfMemory() {
        assertThat(GcWatchdog.thrashing(9_000, 10_000, 62L << 20, MAX)).isTrue();
    }

    @Test
    void thrashing_busyCollectorWithRoomLeft_isNot() {
        // A search that allocates fast collects often, but what survives is small.
        assertThat(GcWatchdog.thrashing(9_000, 10_000, 16L << 20, MAX)).isFalse();
    }

    @Test
    void thrashing_fullHeapButTheProgramStillRuns_isNot() {
        // Live data near the limit is fine while the collector has little to do.
        assertThat(GcWatchdog.thrashing(2_000, 10_000, 63L << 20, MAX)).isFalse();
    }

    @Test
    void thrashing_noWindowYet_isNot() {
        assertThat(GcWatchdog.thrashing(0, 0, 63L << 20, MAX)).isFalse();
    }
}
