package accelmm.cli;

import static accelmm.cli.Cli.args;
import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code merge} of shards that are not the parts of one run, or not valid: one line, exit 2. */
class MergeInputsTest {

    private static final String TINY = """
            scenario "two mappers"
            process A
            thread A.main:
              p = mmap 4K
              write p "x"
            thread A.other:
              q = mmap 4K
            expect clean
            """;

    @TempDir
    Path dir;

    private Path scenario(String text) throws IOException {
        Path p = dir.resolve("tiny.scn");
        Files.writeString(p, text);
        return p;
    }

    /** Shard {@code i} of 2 of a check of {@code scn} with {@code options}, saved as JSON. */
    private Path shard(Path scn, int i, String... options) throws IOException {
        Ran r = run(args(new String[] {"check", scn.toString(), "--format", "json", "--shard", i + "/2"}, options));
        assertThat(r.err()).isEmpty();
        Path p = dir.resolve(i + "-" + String.join("", options).replace("-", "") + ".json");
        Files.writeString(p, r.out());
        return p;
    }

    private static void assertRefused(Ran r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("accelmm: ").contains(message);
    }

    @Test
    void merge_shardsOfOneRun_mergesAsBefore() throws IOException {
        Path scn = scenario(TINY);

        Ran r = run("merge", shard(scn, 1, "--seed", "3").toString(), shard(scn, 2, "--seed", "3").toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(run("check", scn.toString(), "--seed", "3").out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--seed 7", "--strategy mixed", "--executions 500", "--preemptions 1",
        "--strategy dfs --preemptions 3"})
    void merge_shardsRunWithOtherOptions_refused(String other) throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2, other.split(" "));

        Ran r = run("merge", one.toString(), two.toString());

        assertRefused(r, two + ": shard 2/2 was run with --");
        assertThat(r.err()).contains(", " + one + " with --").endsWith("; merge takes the shards of one run\n");
    }

    @Test
    void merge_mixedPreemptionBounds_refusedInEitherOrder() throws IOException {
        // Before: the first file's bound won, so the result depended on the order of the files.
        Path scn = scenario(TINY);
        Path one = shard(scn, 1, "--preemptions", "0");
        Path two = shard(scn, 2, "--preemptions", "2");

        assertRefused(run("merge", one.toString(), two.toString()), "was run with --preemptions 2");
        assertRefused(run("merge", two.toString(), one.toString()), "was run with --preemptions 0");
    }

    @Test
    void merge_shardsWithAnotherStepLimit_refusedNamingTheOption() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2, "--max-steps", "500");

        assertRefused(run("merge", one.toString(), two.toString()), "was run with --max-steps 500, " + one
                + " with --max-steps 1000000");
    }

    @Test
    void merge_shardsOfDifferentScenarioTexts_refused() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        scenario(TINY.replace("q = mmap 4K", "q = mmap 8K"));
        Path two = shard(scn, 2);

        assertRefused(run("merge", one.toString(), two.toString()), "cannot merge: the shards checked different texts of "
                + scn + " (fingerprints ");
    }

    @Test
    void merge_scenarioEditedAfterTheShards_refused() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        scenario(TINY + "# edited\n");

        assertRefused(run("merge", one.toString(), two.toString()), scn + " changed since the shards checked it");
    }

    @Test
    void merge_shardOfAnotherSplitOrGivenTwice_refused() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path third = dir.resolve("third.json");
        Files.writeString(third, run("check", scn.toString(), "--format", "json", "--shard", "1/3").out());

        assertRefused(run("merge", one.toString(), third.toString()), "is not of the same split as the others");
        assertRefused(run("merge", one.toString(), one.toString()), "given twice");
        assertRefused(run("merge", one.toString()), "2/2 missing");
    }

    @Test
    void merge_tamperedCounts_refused() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        String json = Files.readString(two);
        for (String[] change : List.of(new String[] {"\"executions\": \\d+,\n(\\s+)\"violationIndex\"",
            "\"executions\": -5,\n$1\"violationIndex\""}, new String[] {"\"violationIndex\": -1", "\"violationIndex\": -9"},
            new String[] {"\"steps\": \\d+", "\"steps\": -1"})) {
            Files.writeString(two, json.replaceFirst(change[0], change[1]));

            assertRefused(run("merge", one.toString(), two.toString()), "cannot merge: \"");
        }
    }

    @Test
    void merge_shardWithoutCostsOrWithANegativeCount_refused() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        String json = Files.readString(two);

        Files.writeString(two, json.replaceFirst("\"page_copied\": \\d+", "\"page_copied\": -1"));
        assertRefused(run("merge", one.toString(), two.toString()), "\"page_copied\" is -1, not a whole number of at least 0");
        Files.writeString(two, json.replaceFirst("\"costs\"", "\"costz\""));
        assertRefused(run("merge", one.toString(), two.toString()), "missing \"costs\"");
    }

    @Test
    void merge_shardCostsBad_refusedNamingTheFileTheScenarioAndTheCombination() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        String json = Files.readString(two);
        String[][] changes = {
            {"\"max\": \\{\n(\\s+)\"syscall\": \\d+", "\"max\": {\n$1\"syscall\": 0", "contradicts itself: syscall has min"},
            {"\"page_copied\": \\d+", "\"page_copied\": 0, \"page_copyed\": 0", "unknown counter \"page_copyed\""},
            {"\"page_copied\": \\d+", "\"page_copied\": 1.5", "\"page_copied\" is 1.5, not a whole number"},
            {"\"ranToEnd\": true", "\"ranToEnd\": 1", "no \"ranToEnd\" true or false"}};
        for (String[] change : changes) {
            Files.writeString(two, json.replaceFirst(change[0], change[1]));

            Ran r = run("merge", one.toString(), two.toString());
            assertRefused(r, change[2]);
            assertThat(r.err()).as(change[2]).contains(two.toString() + ": " + scn + ", designs ");
        }
    }

    @Test
    void merge_shardWithNoExecutionWrittenAsNull_leavesTheOtherShardsCostsAlone() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        String noCosts = "(?s)\"costs\": \\{.*?\n          \\}";
        Files.writeString(two, Files.readString(two).replaceFirst(noCosts, "\"costs\": null"));

        Ran merged = run("merge", "--format", "json", one.toString(), two.toString());
        assertThat(merged.err()).isEmpty();
        assertThat(merged.out()).contains("\"syscall\": 2").doesNotContain("\"syscall\": 0");

        Files.writeString(one, Files.readString(one).replaceFirst(noCosts, "\"costs\": null"));
        Ran none = run("merge", "--format", "json", one.toString(), two.toString());
        assertThat(none.err()).isEmpty();
        assertThat(none.out()).contains("\"costs\": null");
    }

    @Test
    void merge_shardsInAnyOrder_firstExecutionIsShardOnes() throws IOException {
        // The race's random walks differ in what they pay (the munmap lands anywhere); shard 1
        // ran execution 1, whatever the order of the files.
        String race = "catalog/userptr-munmap-race";
        Path one = shard(Path.of(race), 1, "--strategy", "random", "--executions", "40");
        Path two = shard(Path.of(race), 2, "--strategy", "random", "--executions", "40");
        Ran whole = run("check", race, "--strategy", "random", "--executions", "40", "--format", "json");

        Ran merged = run("merge", "--format", "json", two.toString(), one.toString());
        assertThat(merged.err()).isEmpty();
        assertThat(merged.out()).isEqualTo(whole.out());
        assertThat(merged.out()).contains("\"costs\": {");
    }

    @Test
    void merge_shardsOfASearchAViolationEnds_costsAsOneRunGivesThem() throws IOException {
        // pin + legacy breaks in the first random walk: shard 1's run, cut short; shard 2's walks
        // come after it and count nowhere, as in the unsharded run that stops there.
        String fork = "catalog/uacce-dma-map-fork";
        Path one = shard(Path.of(fork), 1, "--strategy", "random", "--executions", "40");
        Path two = shard(Path.of(fork), 2, "--strategy", "random", "--executions", "40");
        Ran whole = run("check", fork, "--strategy", "random", "--executions", "40", "--format", "json");

        Ran merged = run("merge", "--format", "json", two.toString(), one.toString());
        assertThat(merged.err()).isEmpty();
        assertThat(merged.out()).isEqualTo(whole.out()).contains("\"ranToEnd\": false");
    }

    @Test
    void merge_dfsShardsWithBadOrDisagreeingTasks_refusedOnOneLine() throws IOException {
        Path race = Path.of("catalog/userptr-munmap-race");
        Path one = shard(race, 1, "--strategy", "dfs", "--reduction", "none", "--preemptions", "1");
        Path two = shard(race, 2, "--strategy", "dfs", "--reduction", "none", "--preemptions", "1");
        String text = Files.readString(two);
        assertThat(text).contains("\"key\": []");

        Files.writeString(two, text.replaceFirst("\"key\": \\[]", "\"key\": \"root\""));
        assertRefused(run("merge", one.toString(), two.toString()), "a DFS task without its key");
        // Every shard runs the first task: two that ran it to different counts are not of one run.
        Files.writeString(two, text.replaceFirst("(\"key\": \\[],\\s*\"executions\": )(\\d+)", "$1 1$2"));
        assertRefused(run("merge", one.toString(), two.toString()), "ran the DFS task [] to different results");
    }

    @Test
    void merge_portfolioShardsWhoseDfsRanDifferently_refusedInEitherOrder() throws IOException {
        // Before: the first file's DFS count won, and three shards could merge to a negative count.
        Path one = dir.resolve("one.json");
        Path two = dir.resolve("two.json");
        for (int i = 1; i <= 2; i++) {
            Ran r = run("check", "catalog/userptr-munmap-race", "--executions", "20",
                    "--format", "json", "--shard", i + "/2");
            assertThat(r.out()).contains("\"coverage\": \"portfolio\"");
            Files.writeString(i == 1 ? one : two, r.out());
        }
        Files.writeString(two, Files.readString(two).replaceAll("\"dfsExecutions\": \\d+", "\"dfsExecutions\": 5"));

        assertRefused(run("merge", one.toString(), two.toString()), "the shards' DFS ran differently");
        assertRefused(run("merge", two.toString(), one.toString()), "the shards' DFS ran differently");
    }

    @Test
    void merge_jsonNestedDeep_oneLineNotAStackOverflow() throws IOException {
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "[".repeat(100_000) + "]".repeat(100_000));

        assertRefused(run("merge", deep.toString()), deep + ": not valid JSON at offset 64: nested deeper than 64 levels");
    }

    @Test
    void merge_fileNull_oneLineNotANullPointer() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Path two = shard(scn, 2);
        Files.writeString(two, Files.readString(two).replaceFirst("\"file\": \"[^\"]*\"", "\"file\": null"));

        assertRefused(run("merge", one.toString(), two.toString()), "cannot merge: missing \"file\"");
    }

    @Test
    void merge_shardFromBeforeRunOptions_refusedWithWhy() throws IOException {
        Path scn = scenario(TINY);
        Path one = shard(scn, 1);
        Files.writeString(one, Files.readString(one).replaceFirst(",\n  \"run\": \\{[^}]*\\}", ""));

        assertRefused(run("merge", one.toString(), shard(scn, 2).toString()), "the shard does not say how it was run");
    }

    @Test
    void merge_devZeroOrDirectory_refusedWithoutReading() {
        assertRefused(run("merge", "/dev/zero"), "cannot read /dev/zero: not a regular file");
        assertRefused(run("merge", dir.toString()), "cannot read " + dir + ": is a directory");
    }
}
