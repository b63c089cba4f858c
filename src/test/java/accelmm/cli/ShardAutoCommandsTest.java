package accelmm.cli;

import static accelmm.cli.Cli.args;
import static accelmm.cli.Cli.run;
import static accelmm.cli.Cli.runIn;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --shard auto}: the shard from a Slurm job array's or a Kubernetes Indexed Job's
 * variables, given to the command as an environment of its own (no real variable is set).
 */
class ShardAutoCommandsTest {

    private static final String RACE = "catalog/userptr-munmap-race";
    private static final String[] CHECK = {"check", RACE, "--executions", "60", "--format", "json"};

    @TempDir
    Path dir;

    /** The variables Slurm sets in task {@code id} of {@code --array=MIN-MAX[:STEP]} of {@code count} tasks. */
    private static Map<String, String> slurm(int id, int min, int max, int step, int count) {
        return Map.of("SLURM_ARRAY_TASK_ID", "" + id, "SLURM_ARRAY_TASK_MIN", "" + min, "SLURM_ARRAY_TASK_MAX",
                "" + max, "SLURM_ARRAY_TASK_STEP", "" + step, "SLURM_ARRAY_TASK_COUNT", "" + count);
    }

    /** Exit 2, nothing on stdout and one line on stderr that contains {@code fragment}. */
    private static void assertRefused(Ran r, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("accelmm: ").contains(fragment).hasLineCount(1);
    }

    @Test
    void shardAuto_slurmArrayFromOneOrFromFive_exploresTheShardThatIOverNNames() {
        Ran named = run(args(CHECK, "--shard", "2/4"));
        assertThat(named.out()).contains("\"shard\": \"2/4\"");
        // --array=1-4, task 2; --array=5-8, task 6.
        for (Map<String, String> environment : List.of(slurm(2, 1, 4, 1, 4), slurm(6, 5, 8, 1, 4))) {
            Ran auto = runIn(environment, args(CHECK, "--shard", "auto"));
            assertThat(auto.err()).isEmpty();
            assertThat(auto.code()).isEqualTo(named.code());
            assertThat(auto.out()).isEqualTo(named.out());
        }
    }

    @Test
    void shardAuto_indexedJobWithShardCount_exploresShardIndexPlusOne() {
        Ran auto = runIn(Map.of("JOB_COMPLETION_INDEX", "1"), args(CHECK, "--shard", "auto", "--shard-count", "2"));
        assertThat(auto.err()).isEmpty();
        assertThat(auto.out()).isEqualTo(run(args(CHECK, "--shard", "2/2")).out());
    }

    @Test
    void shardAuto_slurmArrayWithAStep_refused() {
        // --array=0-15:4
        assertRefused(runIn(slurm(4, 0, 12, 4, 4), args(CHECK, "--shard", "auto")),
                "accelmm: --shard auto: SLURM_ARRAY_TASK_STEP is 4: the array's indexes have gaps");
    }

    @Test
    void shardAuto_slurmCountNotTheIndexRange_refused() {
        // --array=1,3,7
        assertRefused(runIn(slurm(3, 1, 7, 1, 3), args(CHECK, "--shard", "auto")),
                "SLURM_ARRAY_TASK_COUNT is 3 but the indexes run from SLURM_ARRAY_TASK_MIN 1 to SLURM_ARRAY_TASK_MAX 7");
    }

    @Test
    void shardAuto_indexedJobWithoutShardCount_refused() {
        assertRefused(runIn(Map.of("JOB_COMPLETION_INDEX", "0"), args(CHECK, "--shard", "auto")),
                "give --shard-count N, N the Job's completions");
    }

    @Test
    void shardAuto_neitherSchedulersVariables_refusedNamingThem() {
        assertRefused(runIn(Map.of(), args(CHECK, "--shard", "auto")), "accelmm: --shard auto: neither"
                + " SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set");
    }

    @Test
    void shardAuto_bothSchedulersVariables_refusedNamingBoth() {
        Map<String, String> both = Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "2",
                "JOB_COMPLETION_INDEX", "0");
        assertRefused(runIn(both, args(CHECK, "--shard", "auto", "--shard-count", "2")),
                "both SLURM_ARRAY_TASK_ID (a Slurm job array) and JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)");
    }

    @Test
    void shardCount_withIOverNOrWithoutShardOrBelowOne_refused() {
        Map<String, String> indexed = Map.of("JOB_COMPLETION_INDEX", "0");
        assertRefused(runIn(indexed, args(CHECK, "--shard", "1/2", "--shard-count", "2")),
                "accelmm: --shard-count goes with --shard auto, not with --shard 1/2, which names its count");
        assertRefused(runIn(indexed, args(CHECK, "--shard-count", "2")), "accelmm: --shard-count goes with --shard auto");
        assertRefused(runIn(indexed, args(CHECK, "--shard", "auto", "--shard-count", "0")),
                "accelmm: --shard-count must be at least 1, got 0");
    }

    @Test
    void shardAuto_twoTasksOfASlurmArray_mergeToTheUnshardedRun() throws IOException {
        String[] base = {"check", RACE, "--executions", "300", "--seed", "4"};
        List<String> parts = new ArrayList<>();
        // --array=5-6: tasks 5 and 6 are shards 1/2 and 2/2.
        for (int id : new int[] {6, 5}) {
            Ran r = runIn(slurm(id, 5, 6, 1, 2), args(base, "--shard", "auto", "--format", "json"));
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("\"shard\": \"" + (id - 4) + "/2\"");
            parts.add(Files.writeString(dir.resolve("part-" + id + ".json"), r.out()).toString());
        }

        Ran whole = run(base);
        Ran merged = run("merge", parts.get(0), parts.get(1));
        assertThat(merged.err()).isEmpty();
        assertThat(merged.code()).isEqualTo(whole.code());
        assertThat(merged.out()).isEqualTo(whole.out());
        assertThat(run("merge", "--format", "json", parts.get(1), parts.get(0)).out())
                .isEqualTo(run(args(base, "--format", "json")).out());
    }
}
