package accelmm.cli;

import static accelmm.cli.Cli.run;
import static accelmm.cli.Cli.runTimed;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.ModelBugException;
import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budgets on the command line: {@code --max-steps} and {@code --time} on check, run and
 * replay, their inconclusive results and exit code 4, the limits of {@code --jobs}, {@code
 * --depth} and ACCELMM_VT_CARRIERS, JSON without timings, and out of memory in one line.
 */
class BudgetCommandsTest {

    private static final String RACE = "catalog/userptr-munmap-race";
    /**
     * One thread writing a page 300 times: more than a thousand steps, nothing to interleave (a
     * single large write would be cheap: bulk accesses take one step per 2M span).
     */
    private static final String LONG_WRITE = """
            scenario "one long write"
            process A

            thread A.main:
              p = mmap 4K
            """ + "  write p 0xAB*4K\n".repeat(300) + """

            expect clean
            """;

    @TempDir
    Path dir;

    private String longWrite() throws IOException {
        Path p = dir.resolve("long.scn");
        Files.writeString(p, LONG_WRITE);
        return p.toString();
    }

    @Test
    void check_straightLineWorkPastMaxSteps_stepLimitInconclusiveNotDeadlockExitFour() throws IOException {
        Ran r = run("check", "--width", "1000", longWrite(), "--max-steps", "100");

        assertThat(r.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
        assertThat(r.out()).containsPattern("default +step limit +INCONCLUSIVE \\(expected clean\\) +execution 1 passed 100 steps")
                .contains("default: step limit: 100 steps without finishing; not a verdict")
                .contains("--max-steps 100\n")
                .contains("0 as expected, 1 not (1 of them inconclusive)")
                .doesNotContain("deadlock");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void check_stepLimitJson_verdictStepLimitHoldsFalse() throws IOException {
        Ran r = run("check", longWrite(), "--max-steps", "100", "--format", "json");

        assertThat(r.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
        assertThat(r.out()).contains("\"verdict\": \"step limit\"").contains("\"holds\": false")
                .contains("\"stepLimit\": 100").contains("\"allHold\": false");
    }

    @Test
    void check_raceBelowMaxSteps_verdictsAsWithoutTheOption() {
        Ran limited = run("check", RACE, "--max-steps", "100000");

        assertThat(limited.code()).isZero();
        assertThat(limited.out()).isEqualTo(run("check", RACE).out());
    }

    @Test
    void runAndReplay_pastMaxSteps_resultStepLimitExitFour() throws IOException {
        String file = longWrite();
        Ran checked = run("check", file, "--max-steps", "100");
        Matcher m = Pattern.compile("replay: bin/accelmm replay \\S+ --schedule (\\S+) --max-steps 100").matcher(checked.out());
        assertThat(m.find()).isTrue();

        Ran ran = run("run", file, "--max-steps", "100");
        Ran replayed = run("replay", file, "--schedule", m.group(1), "--max-steps", "100");

        for (Ran r : List.of(ran, replayed)) {
            assertThat(r.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
            assertThat(r.out()).contains("result: step limit: 100 steps without finishing; not a verdict");
        }
    }

    @Test
    void runAndCheck_timeBudgetAlreadySpent_outOfTimeInsideTheExecutionExitFour() throws IOException {
        String file = longWrite();

        Ran ran = run("run", "--width", "1000", file, "--time", "0ms");
        Ran checked = run("check", "--width", "1000", file, "--time", "0ms");

        assertThat(ran.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
        assertThat(ran.out()).containsPattern("result: out of time after \\d+ steps; not a verdict");
        assertThat(checked.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
        assertThat(checked.out()).containsPattern("default +out of time +INCONCLUSIVE \\(expected clean\\) "
                + "+no execution finished within the time budget");
    }

    @Test
    void maxSteps_notPositive_oneLineUsageErrorExitTwo() throws IOException {
        String file = longWrite();
        for (String[] args : List.of(new String[] {"check", file, "--max-steps", "0"},
                new String[] {"run", file, "--max-steps", "-5"},
                new String[] {"replay", file, "--schedule", "-", "--max-steps", "0"})) {
            Ran r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("accelmm: --max-steps must be at least 1")
                    .hasLineCount(1);
        }
    }

    @Test
    void checkJson_twice_identicalButForEachCombinationsElapsedTime() {
        String[] args = {"check", RACE, "--executions", "300", "--format", "json"};

        Ran first = runTimed(args);
        Ran second = runTimed(args);

        assertThat(Cli.untimed(second.out())).isEqualTo(Cli.untimed(first.out()));
        List<Long> times = Pattern.compile("\"elapsedNanos\": (\\d+)").matcher(first.out()).results()
                .map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(times).as("one per combination of the race").hasSize(3).allMatch(t -> t > 0);
        assertThat(runTimed("check", RACE, "--executions", "300").out()).doesNotContain("elapsed");
    }

    @Test
    void shardJson_withoutStatsIdentical_andMergeReadsItWithOrWithoutTimings() throws IOException {
        String[] base = {"check", RACE, "--strategy", "mixed", "--executions", "300", "--format", "json"};
        List<String> plain = new ArrayList<>();
        List<String> timed = new ArrayList<>();
        for (String shard : List.of("1/2", "2/2")) {
            Ran once = run(args(base, "--shard", shard));
            assertThat(run(args(base, "--shard", shard)).out()).isEqualTo(once.out());
            plain.add(write("p" + shard.charAt(0) + ".json", once.out()));
            timed.add(write("t" + shard.charAt(0) + ".json", run(args(base, "--shard", shard, "--stats")).out()));
        }

        Ran mergedPlain = run("merge", plain.get(0), plain.get(1));
        Ran mergedTimed = run("merge", timed.get(0), timed.get(1));

        assertThat(mergedPlain.err()).isEmpty();
        assertThat(mergedTimed.err()).isEmpty();
        assertThat(mergedTimed.out()).isEqualTo(mergedPlain.out());
        assertThat(mergedPlain.code()).isZero();
    }

    @Test
    void shards_stepLimit_mergeToTheUnshardedResult() throws IOException {
        String file = longWrite();
        String[] base = {"check", file, "--strategy", "random", "--max-steps", "100", "--format", "json"};
        List<String> parts = new ArrayList<>();
        for (String shard : List.of("1/2", "2/2")) {
            parts.add(write("s" + shard.charAt(0) + ".json", run(args(base, "--shard", shard)).out()));
        }

        Ran merged = run("merge", "--format", "json", parts.get(0), parts.get(1));

        assertThat(merged.code()).isEqualTo(Main.EXIT_INCONCLUSIVE);
        assertThat(merged.out()).isEqualTo(run(base).out());
    }

    @Test
    void jobsAndDepth_aboveTheirLimits_oneLineUsageErrorExitTwo() {
        for (String[] args : List.of(new String[] {"check", RACE, "--jobs", "32768"},
                new String[] {"check", RACE, "--jobs", "257"},
                new String[] {"demo", "--jobs", "100000"},
                new String[] {"check", RACE, "--strategy", "pct", "--depth", "2147483647"})) {
            Ran r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).as(String.join(" ", args)).matches("accelmm: --(jobs|depth) must be between 1 and \\d+, "
                    + "got \\d+\\R");
        }
    }

    @Test
    void launcher_badVirtualThreadCarriers_oneLineExitTwo() throws IOException, InterruptedException {
        for (String value : List.of("0", "abc", "32768")) {
            ProcessBuilder pb = new ProcessBuilder("bin/accelmm", "--version").redirectErrorStream(true);
            pb.environment().put("ACCELMM_VT_CARRIERS", value);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(p.waitFor()).as(value).isEqualTo(Main.EXIT_USAGE);
            assertThat(out).isEqualTo("accelmm: ACCELMM_VT_CARRIERS must be a number from 1 to 256, got '" + value + "'\n");
        }
    }

    @Test
    void internalError_outOfMemoryWrappedAsModelBug_oneLineSayingSo() {
        StringWriter text = new StringWriter();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

        int code = Main.internalError(new PrintWriter(text, true), new ModelBugException("model bug in A.main", oom, null));

        assertThat(code).isEqualTo(Main.EXIT_INTERNAL);
        assertThat(text.toString()).startsWith("accelmm: out of memory (Java heap space): ").hasLineCount(1);
    }

    private String write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    private static String[] args(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
