package accelmm.cli;

import static accelmm.cli.Cli.args;
import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Model;
import accelmm.cli.Cli.Ran;
import accelmm.scenario.Catalog;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --jobs}, {@code check --shard} with {@code merge}, and the progress line. */
class ScaleCommandsTest {

    private static final String RACE = "catalog/userptr-munmap-race";
    private static final String SCENARIOS = "src/test/resources/scenarios";

    @TempDir
    Path dir;

    @Test
    void jobs_catalogRace_sameReportForOneAndTwoJobs() {
        for (String[] base : List.of(new String[] {"check", RACE, "--strategy", "mixed", "--executions", "1500"},
                new String[] {"check", RACE, "--strategy", "pct", "--executions", "1500", "--format", "json"},
                new String[] {"check", RACE, SCENARIOS, "--executions", "300"})) {
            Ran one = run(args(base, "--jobs", "1"));
            Ran two = run(args(base, "--jobs", "2"));
            assertThat(two.code()).isEqualTo(one.code());
            assertThat(two.out()).isEqualTo(one.out());
            assertThat(one.out()).contains("use-after-free");
            assertThat(two.err()).isEqualTo(one.err());
        }
    }

    @Test
    void shards_mergedTextAndJson_equalTheUnshardedRun() throws IOException {
        String[] base = {"check", RACE, SCENARIOS, "--executions", "300", "--seed", "4"};
        List<String> parts = new ArrayList<>();
        for (String shard : List.of("2/2", "1/2")) {
            Ran r = run(args(base, "--shard", shard, "--format", "json", "--jobs", shard.substring(0, 1)));
            assertThat(r.out()).contains("\"shard\": \"" + shard + "\"").contains("\"violationIndex\"");
            Path p = dir.resolve(shard.charAt(0) + ".json");
            Files.writeString(p, r.out());
            parts.add(p.toString());
        }
        Ran whole = run(base);
        Ran merged = run("merge", parts.get(0), parts.get(1));
        assertThat(merged.err()).isEmpty();
        assertThat(merged.code()).isEqualTo(whole.code());
        assertThat(merged.out()).isEqualTo(whole.out());

        Ran wholeJson = run(args(base, "--format", "json"));
        Ran mergedJson = run("merge", "--format", "json", parts.get(1), parts.get(0));
        assertThat(mergedJson.out()).isEqualTo(wholeJson.out());
    }

    @Test
    void shards_dfsWithStats_mergeReportsThePrunedRunsOfTheUnshardedRun() throws IOException {
        // Two writers of different pages and a reader of both: sleep sets prune some runs.
        Path scenario = dir.resolve("writers.scn");
        Files.writeString(scenario, String.join("\n", "scenario \"two writers and a reader\"", "process A", "",
                "thread A.main:", "  p = mmap 4K", "  q = mmap 4K", "", "thread A.w1:", "  write p \"c\"", "",
                "thread A.w2:", "  write q \"d\"", "", "thread A.r:", "  read p 1", "  read q 1", "", "expect clean", ""));
        String[] base = {"check", scenario.toString(), "--strategy", "dfs", "--preemptions", "unbounded", "--reduction",
            "sleep", "--executions", "1000", "--stats", "--format", "json"};
        List<String> parts = new ArrayList<>();
        for (String shard : List.of("1/2", "2/2")) {
            parts.add(Files.writeString(dir.resolve(shard.charAt(0) + ".json"), run(args(base, "--shard", shard)).out())
                    .toString());
        }

        String whole = run(base).out();
        String merged = run("merge", "--stats", "--format", "json", parts.get(0), parts.get(1)).out();

        Matcher m = Pattern.compile("\"prunedRuns\": (\\d+)").matcher(whole);
        assertThat(m.find()).as(whole).isTrue();
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(merged).contains(m.group());
    }

    @Test
    void shards_dfsSplitInTwo_mergeEqualsTheUnshardedRunAndEachShardIsIncomplete() throws IOException {
        for (String[] base : List.of(new String[] {"check", RACE, "--strategy", "dfs", "--format", "json"},
                new String[] {"check", RACE, "--strategy", "dfs", "--preemptions", "1", "--reduction", "none",
                    "--format", "json"})) {
            List<String> parts = new ArrayList<>();
            for (String shard : List.of("1/2", "2/2")) {
                Ran r = run(args(base, "--shard", shard));
                assertThat(r.out()).contains("\"dfsTasks\"").doesNotContain("\"complete\": true");
                assertThat(run(args(base, "--shard", shard, "--jobs", "2")).out()).isEqualTo(r.out());
                parts.add(Files.writeString(dir.resolve(shard.charAt(0) + ".json"), r.out()).toString());
            }
            Ran whole = run(base);
            assertThat(whole.out()).contains("\"complete\": true").contains("use-after-free");
            Ran merged = run("merge", "--format", "json", parts.get(1), parts.get(0));
            assertThat(merged.err()).isEmpty();
            assertThat(merged.code()).isEqualTo(whole.code());
            assertThat(merged.out()).isEqualTo(whole.out());
            assertThat(run("merge", parts.get(0), parts.get(1)).out())
                    .isEqualTo(run(Arrays.copyOf(base, base.length - 2)).out());
            Ran missing = run("merge", parts.get(0));
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err()).endsWith("2/2 missing\n").hasLineCount(1);
            Ran twice = run("merge", parts.get(1), parts.get(1));
            assertThat(twice.code()).isEqualTo(2);
            assertThat(twice.err()).contains("given twice").hasLineCount(1);
        }
    }

    @Test
    void shards_mixedOnTheRace_mergeToTheSameViolationIndexAndCounts() throws IOException {
        String[] base = {"check", RACE, "--strategy", "mixed", "--executions", "800", "--format", "json"};
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path p = dir.resolve("m" + i + ".json");
            Files.writeString(p, run(args(base, "--shard", i + "/3")).out());
            parts.add(p.toString());
        }
        Ran merged = run(args(new String[] {"merge", "--format", "json"}, parts.toArray(String[]::new)));
        assertThat(merged.out()).isEqualTo(run(base).out());
    }

    @Test
    void jobs_severalScenariosInParallel_sameReport() {
        String[] base = {"check", SCENARIOS, RACE, "--executions", "200", "--format", "json"};
        assertThat(run(args(base, "--jobs", "2")).out()).isEqualTo(run(args(base, "--jobs", "1")).out());
        Ran demo1 = run("demo", "--executions", "100", "--jobs", "1");
        Ran demo2 = run("demo", "--executions", "100", "--jobs", "2");
        assertThat(demo2.out()).isEqualTo(demo1.out());
        assertThat(demo2.code()).isEqualTo(demo1.code());
    }

    @Test
    void badShardOrJobs_oneLineUsageErrorExitTwo() {
        for (String[] bad : List.of(new String[] {"--shard", "3/2"}, new String[] {"--shard", "0/2"},
                new String[] {"--shard", "x"}, new String[] {"--shard", "1/0"}, new String[] {"--shard", "1/2/3"},
                new String[] {"--jobs", "0"}, new String[] {"--jobs", "-3"}, new String[] {"--jobs", "two"})) {
            Ran r = run(args(new String[] {"check", RACE}, bad));
            assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("accelmm: ");
        }
        Ran demo = run("demo", "--jobs", "0");
        assertThat(demo.code()).isEqualTo(2);
        assertThat(demo.err().lines().count()).isEqualTo(1);
    }

    @Test
    void merge_missingShardOrNotShardJson_oneLineErrorExitTwo() throws IOException {
        Path one = dir.resolve("1.json");
        Files.writeString(one, run("check", RACE, "--executions", "50", "--format", "json", "--shard", "1/2").out());
        Path plain = dir.resolve("plain.json");
        Files.writeString(plain, run("check", RACE, "--executions", "50", "--format", "json").out());
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{\"scenarios\": [");
        for (String[] bad : List.of(new String[] {one.toString()}, new String[] {one.toString(), one.toString()},
                new String[] {plain.toString()}, new String[] {garbage.toString()},
                new String[] {dir.resolve("none.json").toString()})) {
            Ran r = run(args(new String[] {"merge"}, bad));
            assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        }
    }

    @Test
    void merge_shardWhoseFilesHadProblems_saysSoWithTheFirstProblem() throws IOException {
        Path bad = badFile();

        Ran r = mergeOfTwoShards(bad);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: " + dir.resolve("1.json") + ": that check refused its scenario files"
                + " and explored nothing (1 problem: " + bad + ":4:10: name 'q' is never bound in process A); fix them"
                + " and run the shard again\n");
    }

    /** A shard that explored the good files of a directory and refused one is not whole either. */
    @Test
    void merge_shardThatRefusedOneFileOfSeveral_saysItRefusedSome() throws IOException {
        Path bad = badFile();
        Files.copy(Path.of("src/main/resources/accelmm/catalog/self-join-deadlock.scn"), dir.resolve("good.scn"));

        Ran r = mergeOfTwoShards(dir);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: " + dir.resolve("1.json") + ": that check refused some of its"
                + " scenario files (1 problem: " + bad + ":4:10: name 'q' is never bound in process A); fix them and"
                + " run the shard again\n");
    }

    /** A scenario file with a name never bound, in the test's directory. */
    private Path badFile() throws IOException {
        Path bad = dir.resolve("bad.scn");
        Files.writeString(bad, "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");
        return bad;
    }

    /** {@code check PATH} as two shards in JSON (1.json, 2.json in the test's directory), then their merge. */
    private Ran mergeOfTwoShards(Path checked) throws IOException {
        Path one = dir.resolve("1.json");
        Files.writeString(one, run("check", checked.toString(), "--format", "json", "--shard", "1/2").out());
        Path two = dir.resolve("2.json");
        Files.writeString(two, run("check", checked.toString(), "--format", "json", "--shard", "2/2").out());
        return run("merge", one.toString(), two.toString());
    }

    @Test
    void nonInteractive_longCheck_printsNothingOnStderr() {
        // Well over a second of exploring: a terminal would get a progress line; tests are not one.
        long started = System.nanoTime();
        Ran r = run("check", RACE, "--strategy", "mixed", "--executions", "100000000", "--time", "1200ms",
                "--jobs", "2");
        assertThat(ProgressLine.interactive()).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThan(1_000_000_000L);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).doesNotContain("\r");
    }

    @Test
    void progressLine_dfsWithAnEstimate_showsTheExpectedSizeAndTimeLeft() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressLine line = new ProgressLine(new Terminal(text), now::get);
        Model model = (choices, trace) -> null;
        assertThat(line.showsEstimates()).isTrue();
        line.update(model, "dfs(preemptions 2)", 0);
        line.expect(model, 10_000, true);
        now.set(2_000_000_000L);
        line.update(model, "dfs(preemptions 2)", 4_000);
        assertThat(text.toString())
                .isEqualTo("\rexploring: 4,000 of ~10,000 executions, 2,000/s, 3s left, dfs(preemptions 2)");
        now.set(4_000_000_000L);
        line.update(model, "dfs(preemptions 2)", 12_000);
        assertThat(text.toString())
                .endsWith("\rexploring: 12,000 executions (estimate ~10,000), 3,000/s, dfs(preemptions 2)");
    }

    @Test
    void progressLine_longNameOrLongWait_fitsInEightyColumns() {
        String counts = "1,234 of ~3.4e+08 executions, 5/s, 999d left, dfs(unbounded, dpor)";
        String line = ProgressLine.fitted("catalog/a-very-long-scenario-name-indeed userptr=hmm-no-retry", counts, 80);
        assertThat(line).hasSize(80).startsWith("...").endsWith(": " + counts);
        assertThat(ProgressLine.fitted("short", "2 executions", 80)).isEqualTo("short: 2 executions");
        assertThat(ProgressLine.fitted("name", "x".repeat(90), 80)).isEqualTo("x".repeat(80));
        assertThat(ProgressLine.fitted("catalog/a-very-long-scenario-name-indeed", counts, 132))
                .isEqualTo("catalog/a-very-long-scenario-name-indeed: " + counts);
        assertThat(ProgressLine.left(1e12)).isEqualTo("999d00h left");
        assertThat(ProgressLine.left(59.2)).isEqualTo("1m00s left");
        assertThat(ProgressLine.left(3_725)).isEqualTo("1h02m left");
    }

    @Test
    void progressLine_scenarioCombination_saysWhichOfHowManyAndTheBudgetLeft() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressLine line = new ProgressLine(new Terminal(text), now::get, true, 120, 10_000);
        Scenario scenario = Catalog.find("userptr-munmap-race").scenario();
        List<Map<DesignKey, String>> all = ScenarioChecker.combinations(scenario);
        line.label(scenario, "catalog/userptr-munmap-race");
        line.combinations(scenario, all);
        ScenarioModel model = new ScenarioModel(scenario, all.get(1), 1_000);

        line.update(model, "random+pct(seed 1)", 0);
        now.set(2_000_000_000L);
        line.update(model, "random+pct(seed 1)", 4_000);

        assertThat(text.toString()).isEqualTo("\rcatalog/userptr-munmap-race userptr=pin (2/3): 4,000/10,000 executions,"
                + " 2,000/s, up to 3s left, random+pct(seed 1)");
    }

    @Test
    void progressLine_afterASecond_printsRateAndClearsAtTheEnd() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressLine line = new ProgressLine(new Terminal(text), now::get);
        Model model = (choices, trace) -> null;
        line.update(model, "random+pct(seed 1)", 0);
        now.set(500_000_000L);
        line.update(model, "random+pct(seed 1)", 100);
        assertThat(text.toString()).as("nothing in the first second").isEmpty();
        now.set(2_000_000_000L);
        line.update(model, "random+pct(seed 1)", 4_000);
        String shown = "\rexploring: 4,000 executions, 2,000/s, random+pct(seed 1)";
        assertThat(text.toString()).isEqualTo(shown);
        now.set(2_100_000_000L);
        line.update(model, "random+pct(seed 1)", 4_100);
        assertThat(text.toString()).as("at most every 200 ms").isEqualTo(shown);
        line.finished(model);
        assertThat(text.toString()).endsWith("\r" + " ".repeat(shown.length() - 1) + "\r");
        int before = text.toString().length();
        line.finished(model);
        assertThat(text.toString()).hasSize(before);
    }
}
