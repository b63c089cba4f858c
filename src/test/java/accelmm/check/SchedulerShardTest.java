package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link SchedulerShard}: the shard of a task of a Slurm job array or a pod of a Kubernetes
 * Indexed Job, from an environment given as a map (no real variable is set).
 */
class SchedulerShardTest {

    private static final OptionalInt NO_COUNT = OptionalInt.empty();

    /** The variables Slurm sets in a task of {@code --array=MIN-MAX[:STEP]} of {@code count} tasks. */
    private static Map<String, String> slurm(int id, int min, int max, int step, int count) {
        return Map.of("SLURM_ARRAY_TASK_ID", "" + id, "SLURM_ARRAY_TASK_MIN", "" + min, "SLURM_ARRAY_TASK_MAX",
                "" + max, "SLURM_ARRAY_TASK_STEP", "" + step, "SLURM_ARRAY_TASK_COUNT", "" + count);
    }

    private static Shard read(Map<String, String> environment, OptionalInt count) {
        return SchedulerShard.read(environment::get, count);
    }

    /** Refused with a one-line message that contains {@code fragment}. */
    private static void assertRefused(Map<String, String> environment, OptionalInt count, String fragment) {
        assertThatThrownBy(() -> read(environment, count)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fragment).hasMessageNotContaining("\n");
    }

    @Test
    void read_slurmArrayFromOne_theTaskIdIsTheShard() {
        // --array=1-8
        assertThat(read(slurm(1, 1, 8, 1, 8), NO_COUNT)).isEqualTo(new Shard(1, 8));
        assertThat(read(slurm(8, 1, 8, 1, 8), NO_COUNT)).isEqualTo(new Shard(8, 8));
    }

    @Test
    void read_slurmArrayFromFiveOrZero_countsFromTheLowestIndex() {
        // --array=5-8 and --array=0-3
        for (int id = 5; id <= 8; id++) {
            assertThat(read(slurm(id, 5, 8, 1, 4), NO_COUNT)).isEqualTo(new Shard(id - 4, 4));
        }
        assertThat(read(slurm(0, 0, 3, 1, 4), NO_COUNT)).isEqualTo(new Shard(1, 4));
    }

    @Test
    void read_slurmArrayWithAStep_refused() {
        // --array=0-15:4: tasks 0, 4, 8 and 12.
        assertRefused(slurm(4, 0, 12, 4, 4), NO_COUNT, "SLURM_ARRAY_TASK_STEP is 4: the array's indexes have gaps");
    }

    @Test
    void read_slurmCountNotMaxMinusMinPlusOne_refused() {
        // --array=1,3,7: Slurm's step is 1 for a list, its count 3 and its indexes 1 to 7.
        assertRefused(slurm(3, 1, 7, 1, 3), NO_COUNT,
                "SLURM_ARRAY_TASK_COUNT is 3 but the indexes run from SLURM_ARRAY_TASK_MIN 1 to SLURM_ARRAY_TASK_MAX 7");
    }

    @Test
    void read_slurmWithoutCount_refused() {
        assertRefused(Map.of("SLURM_ARRAY_TASK_ID", "2"), NO_COUNT, "SLURM_ARRAY_TASK_COUNT is not");
    }

    @Test
    void read_slurmWithoutMin_theTaskIdIsTheShardFromOne() {
        Map<String, String> second = Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4");
        assertThat(read(second, NO_COUNT)).isEqualTo(new Shard(2, 4));
        assertRefused(Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4"), NO_COUNT,
                "SLURM_ARRAY_TASK_MIN is not set, so the array must start at 1");
    }

    @Test
    void read_slurmTaskIdOutsideItsArray_refused() {
        assertRefused(slurm(9, 5, 8, 1, 4), NO_COUNT, "SLURM_ARRAY_TASK_ID 9 is not one of the array's 4 indexes from 5");
    }

    @Test
    void read_slurmWithAShardCount_mustBeTheArraysCount() {
        assertThat(read(slurm(2, 1, 4, 1, 4), OptionalInt.of(4))).isEqualTo(new Shard(2, 4));
        assertRefused(slurm(2, 1, 4, 1, 4), OptionalInt.of(8), "--shard-count 8 but the Slurm array has 4 tasks");
    }

    @Test
    void read_indexedJobWithACount_theShardIsTheIndexPlusOne() {
        assertThat(read(Map.of("JOB_COMPLETION_INDEX", "0"), OptionalInt.of(8))).isEqualTo(new Shard(1, 8));
        assertThat(read(Map.of("JOB_COMPLETION_INDEX", "7"), OptionalInt.of(8))).isEqualTo(new Shard(8, 8));
    }

    @Test
    void read_indexedJobWithoutACount_refusedAskingForShardCount() {
        assertRefused(Map.of("JOB_COMPLETION_INDEX", "3"), NO_COUNT, "give --shard-count N, N the Job's completions");
    }

    @Test
    void read_indexedJobIndexPastTheCount_refused() {
        assertRefused(Map.of("JOB_COMPLETION_INDEX", "8"), OptionalInt.of(8),
                "JOB_COMPLETION_INDEX 8 is past the last of --shard-count 8 shards (indexes 0 to 7)");
    }

    @Test
    void read_neitherSet_refusedNamingTheVariablesLookedFor() {
        assertRefused(Map.of("SLURM_JOB_ID", "36"), OptionalInt.of(4),
                "neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)");
    }

    @Test
    void read_bothSet_refusedNamingBoth() {
        Map<String, String> both = Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "2",
                "JOB_COMPLETION_INDEX", "0");
        assertRefused(both, OptionalInt.of(2),
                "both SLURM_ARRAY_TASK_ID (a Slurm job array) and JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)");
    }

    @Test
    void read_valueNotANumber_refusedQuotingIt() {
        for (String bad : new String[] {"", "-1", "2a", "1e3", "1234567890"}) {
            assertRefused(Map.of("JOB_COMPLETION_INDEX", bad), OptionalInt.of(4),
                    "JOB_COMPLETION_INDEX is '" + bad + "', not a number");
            assertRefused(Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", bad), NO_COUNT,
                    "SLURM_ARRAY_TASK_COUNT is '" + bad + "', not a number");
        }
    }
}
