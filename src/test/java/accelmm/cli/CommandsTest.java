package accelmm.cli;

import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import accelmm.scenario.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end: output, exit codes, errors, replay and determinism. */
class CommandsTest {

    private static final String RACE = "catalog/userptr-munmap-race";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void check_userptrRace_findsUseAfterFreeOnlyWithoutRetryAndExitsZero() {
        Ran r = run("check", RACE);

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("userptr=hmm +clean +as expected")
                .containsPattern("userptr=pin +clean +as expected")
                .containsPattern("userptr=hmm-no-retry +violation use-after-free +as expected")
                .contains("replay: bin/accelmm replay " + RACE + " --design userptr=hmm-no-retry --schedule ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void check_violation_printsShrunkStepsSwimLaneAndReplay() {
        String out = run("check", RACE).out();

        assertThat(out).containsPattern("\\((shrunk from \\d+ steps and \\d+ context switch(es)? to \\d+ and \\d+|"
                        + "\\d+ steps, \\d+ context switch(es)?: (as found, )?the shrinker found none shorter)\\)")
                .containsPattern("\n    1\\. A\\.main: open gpu0 -> 0\n")
                .containsPattern("\n    step  A\\.main +A\\.unmapper +gpu0 engine\n")
                .containsPattern("\n     \\d+! +broke use-after-free:")
                .contains("    (one column per actor, one row per numbered step, ! the step that broke");
    }

    @Test
    void check_violation_headlineListAndSwimLanesShareOneNumbering_theBreakingAccessLast() {
        String out = run("check", "--width", "1000", RACE).out();

        Matcher headline = Pattern.compile("userptr=hmm-no-retry: use-after-free at step (\\d+) \\(gpu0 engine\\): (.*)\n")
                .matcher(out);
        assertThat(headline.find()).isTrue();
        String n = headline.group(1);
        // The list's last step is the breaking access, with that number, and so is the swim lanes' last row.
        assertThat(out).contains("\n    " + n + ". gpu0 engine: broke use-after-free: " + headline.group(2) + "\n")
                .doesNotContain("\n    " + (Integer.parseInt(n) + 1) + ". ")
                .containsPattern("\n +" + n + "! {2,}broke use-after-free:");
    }

    @Test
    void check_shrunkCounterexample_isNeverLongerThanTheOneFound() {
        // The shrinker orders candidates by scheduling points; the report counts steps: where
        // they disagree the report shows the execution found, which is the shorter to read.
        Ran r = run("check", "catalog/accel-rdma-mr-outlives-exporter", "--format", "json");

        Matcher original = Pattern.compile("\"originalSteps\": (\\d+),").matcher(r.out());
        Matcher shown = Pattern.compile("\"shrunk\": \\{[^}]*\"steps\": (\\d+),").matcher(r.out());
        assertThat(original.find()).isTrue();
        assertThat(shown.find()).isTrue();
        assertThat(Integer.parseInt(shown.group(1))).isLessThanOrEqualTo(Integer.parseInt(original.group(1)));
        Matcher note = Pattern.compile("shrunk from (\\d+) steps and \\d+ context switch(?:es)? to (\\d+) and")
                .matcher(run("check", "catalog/accel-rdma-mr-outlives-exporter").out());
        while (note.find()) {
            assertThat(Integer.parseInt(note.group(2))).isLessThanOrEqualTo(Integer.parseInt(note.group(1)));
        }
    }

    @Test
    void check_identicalCounterexamples_arePrintedOnceAndReferenced() throws IOException {
        // Two copies of the buggy design under two values of a key the scenario does not use.
        Ran r = run("check", "--width", "1000", RACE, "--design", "userptr=hmm-no-retry", "--design", "coredump=exclude-userptr",
                "--design", "coredump=include-userptr");

        assertThat(r.out()).containsOnlyOnce("    1. A.main: open gpu0 -> 0")
                .contains("\n  userptr=hmm-no-retry coredump=include-userptr: use-after-free at step ",
                        "\n    the same counterexample as userptr=hmm-no-retry coredump=exclude-userptr above\n");
    }

    @Test
    void check_width_layoutFitsTheColumnsAsked() {
        String narrow = run("check", RACE, "--design", "userptr=hmm-no-retry", "--width", "60").out();
        String wide = run("check", RACE, "--design", "userptr=hmm-no-retry", "--width", "200").out();
        Ran tooNarrow = run("check", RACE, "--width", "10");

        String lanes = narrow.substring(narrow.indexOf("    step  "), narrow.indexOf("    replay: "));
        assertThat(lanes.lines()).allMatch(l -> l.length() <= 60, "fits 60 columns");
        // The rest fits too: verdict rows, the headline, the numbered steps and the cost table
        // are broken at spaces; only the replay command stays whole, to be copied.
        assertThat(narrow.lines().filter(l -> !l.startsWith("    replay: "))).allMatch(l -> l.length() <= 60,
                "fits 60 columns").anyMatch(l -> l.startsWith("    designs") && l.contains(" pte "));
        assertThat(narrow).contains("\n  userptr=hmm-no-retry\n      violation use-after-free, as expected; found in\n",
                "\n  userptr=hmm-no-retry: use-after-free at step 14 (gpu0\n    engine): DEVICE read on behalf",
                "\n    12. A.main: exec queue=1 copy src=0x100000 dst=0x200000\n        size=16K -> gpu0 q1#1\n");
        assertThat(wide).contains("\n  userptr=hmm-no-retry  violation use-after-free  as expected  found in execution"
                + " 192 of auto, by pct(depth 4) in its 80th execution; dfs(preemptions 2) ran 112 executions, incomplete\n");
        assertThat(wide).containsPattern("\n    step  A\\.main {44}A\\.unmapper");
        assertThat(tooNarrow.code()).isEqualTo(2);
        assertThat(tooNarrow.err()).isEqualTo("accelmm: --width must be between 40 and 1000, got 10\n");
    }

    /** replay's steps, state lines and result are broken at spaces to the width too. */
    @Test
    void replay_showWidth_everyLineFitsTheColumnsAsked() {
        Ran r = run("replay", RACE, "--design", "userptr=hmm-no-retry", "--schedule", "c2ccd6:0*18.1*5.2", "--show",
                "--width", "60");

        assertThat(r.out().lines()).allMatch(l -> l.length() <= 60, "fits 60 columns");
        assertThat(r.out()).contains("\n      + gpu0 userptr 1 cpu 0x10000000 -> va 0x100000 16K\n        (hmm-no-retry)");
    }

    @Test
    void check_twice_printsIdenticalReports() {
        Ran first = run("check", RACE);
        Ran second = run("check", RACE);

        assertThat(second.out()).isEqualTo(first.out());
        assertThat(run("check", RACE, "--format", "json").out()).isEqualTo(run("check", RACE, "--format", "json").out());
    }

    /**
     * Reports that list who held whom are the same for two runs too: their violations end with
     * a debugger's connection and VM file, or a shared anonymous mapping, open; objects the
     * model names only by their class.
     */
    @Test
    void check_twiceJsonAndHtml_identicalWithObjectGraphs() throws IOException {
        String[] check = {"check", "catalog/debugger-userptr-munmap", "catalog/uacce-doorbell-fork",
            "src/test/resources/scenarios/secret-leak-shared-mapping.scn", "--format", "json", "--executions", "300"};
        List<String> html = new ArrayList<>();
        List<String> json = new ArrayList<>();
        for (String page : List.of("1.html", "2.html")) {
            Path file = dir.resolve(page);
            json.add(run(Cli.args(check, "--html", file.toString())).out());
            html.add(Files.readString(file));
        }

        assertThat(json.get(1)).isEqualTo(json.get(0)).contains("\"objectsAtEnd\"");
        assertThat(html.get(1)).isEqualTo(html.get(0)).doesNotContainPattern("[A-Za-z]@[0-9a-f]{5,}");
    }

    @Test
    void replay_printsTheSwimLane() {
        Ran r = run("replay", "--width", "1000", RACE, "--design", "userptr=hmm-no-retry", "--schedule", "0*18.1");

        assertThat(r.code()).isEqualTo(1);
        // The steps, the headline and the swim lanes as check prints them, with one numbering.
        assertThat(r.out()).containsPattern("\nstep  A\\.main +A\\.unmapper +gpu0 engine\n")
                .containsPattern("\n(\\d+)\\. gpu0 engine: broke use-after-free: [^\n]*\n"
                        + "violation: use-after-free at step \\1 \\(gpu0 engine\\)")
                .containsPattern("\n +\\d+! +broke use-after-free:")
                .doesNotContain(" @ ");
    }

    @Test
    void replay_show_printsUnderEachStepWhatOfTheStateItChanged_andTheRunIsTheSame() {
        String schedule = "c2ccd6:0*18.1*5.2";
        Ran plain = run("replay", "--width", "1000", RACE, "--design", "userptr=hmm-no-retry", "--schedule", schedule);
        Ran shown = run("replay", "--width", "1000", RACE, "--design", "userptr=hmm-no-retry", "--schedule", schedule, "--show");

        assertThat(shown.code()).isEqualTo(1);
        // The notifier's sequence: odd while the munmap's invalidation runs, even after it.
        assertThat(shown.out()).containsSubsequence("6. A.unmapper: userptr 1 invalidate UNMAP -> not bound yet\n",
                        "      + mm 1 (A): notifier seq 3, invalidating\n",
                        "7. A.unmapper: munmap p 16K -> ok\n",
                        "      - mm 1 (A): notifier seq 3, invalidating\n", "      + mm 1 (A): notifier seq 4\n",
                        "9. A.main: gem_create 16K placement=vram -> 1\n",
                        "      + gpu0 gem object 1 (16K, vram) held by handle 1 of gpu0 file 1\n")
                .contains("      + file 1 (drm gpu0): 2 references\n");
        // Without the state lines, the same output.
        assertThat(shown.out().lines().filter(l -> !l.startsWith("      + ") && !l.startsWith("      - ")).toList())
                .isEqualTo(plain.out().lines().toList());
    }

    @Test
    void replay_show_preemptedStep_listsWhatTheActorChangedBeforeItLostTheCpu() {
        Ran shown = run("replay", RACE, "--design", "userptr=hmm-no-retry", "--schedule", "c2ccd6:0*18.1*5.2",
                "--show");

        // vm_bind created the userptr and faulted its pages in before it was preempted.
        String step5 = between(shown.out(), "5. A.main: preempted at notifier_lock vm 1 read -> A.unmapper\n", "6. ");
        String step6 = between(shown.out(), "6. A.unmapper: userptr 1 invalidate UNMAP -> not bound yet\n", "7. ");
        assertThat(step5).contains("      + gpu0 userptr 1 cpu 0x10000000 -> va 0x100000 16K (hmm-no-retry)",
                "      + pfn 1..4 (refcount 1, mapcount 1, pins 0 each)\n");
        assertThat(step6).doesNotContain("userptr 1 cpu").doesNotContain("pfn 1..4")
                .contains("      + mm 1 (A): notifier seq 3, invalidating\n");
    }

    @Test
    void replay_show_mappings_nameTheFramesTheirGpuPtesPointAt() {
        Ran shown = run("replay", "--width", "1000", RACE, "--design", "userptr=hmm-no-retry", "--schedule", "c2ccd6:0*18.1*5.2",
                "--show");

        String userptr = "gpu0 userptr 1 cpu 0x10000000 -> va 0x100000 16K (hmm-no-retry) held by vm 1; gpu ptes -> ";
        // Faulted in but not yet programmed; then programmed with the pages munmap had freed.
        assertThat(between(shown.out(), "5. A.main: preempted", "6. ")).contains("      + " + userptr + "none\n");
        assertThat(between(shown.out(), "8. A.main: vm_bind userptr", "9. ")).contains(
                "      - " + userptr + "none\n", "      + " + userptr + "pfn 1..4 (stale: frame freed)\n");
        assertThat(between(shown.out(), "10. A.main: vm_bind map", "11. ")).contains("      + gpu0 gem object 1 "
                + "(16K, vram) held by handle 1 of gpu0 file 1 and vm 1 mapping va 0x200000 -> pfn 5..8@gpu0 vram\n");
    }

    @Test
    void replay_show_invalidationZapsTheGpuPtes_theUserptrLineLosesItsFrames() {
        Ran shown = run("replay", "--width", "1000", RACE, "--design", "userptr=hmm", "--schedule", "-", "--show");

        String userptr = "gpu0 userptr 1 cpu 0x10000000 -> va 0x100000 16K (hmm) held by vm 1; gpu ptes -> ";
        assertThat(shown.out()).containsSubsequence(
                "A.main: vm_bind userptr addr=0x10000000 va=0x100000 size=16K -> ok\n",
                "      + " + userptr + "pfn 1..4\n",
                "A.unmapper: userptr 1 invalidate UNMAP -> zapped\n", "      - " + userptr + "pfn 1..4\n",
                "      + " + userptr + "none\n");
    }

    @Test
    void replay_show_memoryRegion_namesItsMttFramesAndWhenTheyGoStale() {
        Ran shown = run("replay", "--width", "1000", "catalog/accel-rdma-mr-outlives-exporter", "--design", "dmabuf-export=no-hold",
                "--schedule", "a41605:0*16.1*4", "--show");

        String mr = "nic0 mr 1 (4K of dma-buf 2) held by uverbs file 1; mtt -> pfn 1@acc0 dram";
        // The exporter frees the memory behind the region, then B's allocation reuses the frame.
        assertThat(shown.out()).containsSubsequence("      + " + mr + "\n", "      - " + mr + "\n",
                "      + " + mr + " (stale: frame freed)\n", "      + " + mr + " (stale: frame reused)\n");
    }

    @Test
    void replay_show_leakLines_keepTheirFormWithoutFrames() {
        Ran shown = run("replay", "--width", "1000", "catalog/vm-teardown-leak", "--design", "teardown=refcount-only", "--schedule",
                "18e5da:-", "--show");

        // The state lines name the frames a mapping points at; the leak names only the mapping.
        assertThat(shown.out())
                .contains("vm 1 mapping va 0x200000 -> pfn 1..4 and vm 2 mapping va 0x400000 -> pfn 1..4")
                .contains("violation: leak at step 23: still alive after every process exited: gpu0 gem object 1 (16K) "
                        + "held by vm 1 mapping va 0x200000 and vm 2 mapping va 0x400000, ");
    }

    /** The text of {@code out} from {@code start} (which must occur) up to the next {@code end} after it. */
    private static String between(String out, String start, String end) {
        int from = out.indexOf(start);
        assertThat(from).as("%s in %s", start, out).isNotNegative();
        int to = out.indexOf(end, from + start.length());
        return out.substring(from + start.length(), to < 0 ? out.length() : to);
    }

    @Test
    void replay_trace_alsoPrintsEverySchedulingPoint() {
        Ran r = run("replay", RACE, "--design", "userptr=hmm-no-retry", "--schedule", "0*18.1", "--trace");

        assertThat(r.out()).contains("trace (every scheduling point):\n1. A.main @ A.main line 11\n",
                "switch A.main -> A.unmapper");
    }

    @Test
    void replay_scheduleFromCheck_reproducesTheViolationAndExitsOne() {
        Matcher m = Pattern.compile("--schedule '([0-9a-f]{6}:[^']+)'").matcher(run("check", RACE).out());
        assertThat(m.find()).isTrue();

        Ran r = run("replay", RACE, "--design", "userptr=hmm-no-retry", "--schedule", m.group(1));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("violation: use-after-free");
    }

    @Test
    void run_sameSeedTwice_printsIdenticalTraces() {
        Ran first = run("run", RACE, "--design", "userptr=hmm", "--seed", "42");
        Ran second = run("run", RACE, "--design", "userptr=hmm", "--seed", "42");

        assertThat(first.out()).isEqualTo(second.out()).contains("result: clean");
        assertThat(first.code()).isZero();
    }

    @Test
    void check_syntaxError_printsFileLineColumnWithCaretAndExitsTwo() throws IOException {
        Path bad = file("bad.scn", "scenario \"x\"\nprocess A\nthread A.main:\n  p = mmapp 4K\n");

        Ran r = run("check", bad.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(bad + ":4:7: unknown operation 'mmapp'")
                .contains("\n  p = mmapp 4K\n      ^");
    }

    @Test
    void check_notModelledStatement_isRefusedAtLoadTime() throws IOException {
        Path f = file("dbg.scn", "scenario \"x\"\nprocess A\nprocess B\nthread A.main:\n  d = debug_attach B\n");

        Ran r = run("check", f.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(f + ":5:7: 'debug_attach' is not modelled yet");
    }

    @Test
    void check_violationWhereCleanExpected_reportsUnexpectedAndExitsOne() throws IOException {
        Path f = file("leaky.scn", """
                scenario "expects clean but deadlocks"
                process A
                thread A.main:
                  await never
                expect clean
                """);

        Ran r = run("check", f.toString(), "--executions", "5");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("violation deadlock").contains("UNEXPECTED (expected clean)")
                .contains("A.main waits for event never");
    }

    @Test
    void check_directory_checksEveryScenarioInIt() throws IOException {
        file("a.scn", "scenario \"a\"\nprocess A\nthread A.main:\n  p = mmap 4K\nexpect clean\n");
        file("b.scn", "scenario \"b\"\nprocess A\nthread A.main:\n  await A.exit\nexpect violation deadlock\n");

        Ran r = run("check", dir.toString(), "--executions", "3");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("scenario \"a\"", "scenario \"b\"", "2 scenarios, 2 combinations: 2 as expected");
    }

    @Test
    void check_jsonFormat_reportsVerdictsAndSchedules() {
        Ran r = run("check", RACE, "--format", "json");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"verdict\": \"violation use-after-free\"", "\"invariant\": \"use-after-free\"",
                "\"holds\": true", "\"schedule\": ", "\"allHold\": true", "\"shrunk\": ",
                "\"actor\": \"A.unmapper\"", "\"accelmm\": \"", "\"options\": {", "\"replay\": \"bin/accelmm replay ");
        // Structured steps: numbered, with kind, operation, result and source line; "step" is the last one's number.
        assertThat(r.out()).containsPattern("\"index\": 1,\\s+\"actor\": \"A.main\",\\s+\"kind\": \"operation\",\\s+"
                        + "\"operation\": \"open gpu0\",\\s+\"result\": \"0\",\\s+\"line\": 11,")
                .containsPattern("\"kind\": \"preempted\",\\s+\"operation\": \"notifier_lock vm 1 read\",\\s+"
                        + "\"result\": \"A.unmapper\"");
        Matcher step = Pattern.compile("\"step\": (\\d+),").matcher(r.out());
        assertThat(step.find()).isTrue();
        assertThat(r.out()).containsPattern("\"index\": " + step.group(1) + ",\\s+\"actor\": \"gpu0 engine\",\\s+"
                + "\"kind\": \"violation\"");
    }

    @Test
    void runAndReplay_expectLinesAboutOtherCombinations_runTheDesignAsked() throws IOException {
        // No design line: check runs fork=modern only, so its 'when fork=legacy' checks nothing
        // and check refuses it; run and replay judge no expect line and run the design given.
        Path f = file("legacy.scn", """
                scenario "only the legacy rule is stated"
                process A

                thread A.main:
                  p = mmap 4K
                  fork B

                expect violation leak when fork=legacy
                """);

        Ran ran = run("run", f.toString(), "--design", "fork=legacy");
        Ran replayed = run("replay", f.toString(), "--design", "fork=legacy", "--schedule", "-");
        Ran checked = run("check", f.toString());

        assertThat(ran.code()).as(ran.err()).isZero();
        assertThat(ran.out()).startsWith("scenario \"only the legacy rule is stated\" fork=legacy, seed 1");
        assertThat(replayed.code()).as(replayed.err()).isZero();
        assertThat(checked.code()).isEqualTo(2);
        assertThat(checked.err()).contains("'when fork=legacy' matches no design combination");
    }

    @Test
    void run_unknownDesignKey_isOneLineUsageErrorWithExitTwo() {
        Ran r = run("run", RACE, "--design", "colour=blue");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: unknown design key 'colour'" + System.lineSeparator());
    }

    @Test
    void run_unknownDesignValue_namesTheValidOnes() {
        Ran r = run("run", RACE, "--design", "userptr=maybe");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("design userptr has no value 'maybe' (values: hmm, pin, hmm-no-retry)");
    }

    @Test
    void run_designKeyTheScenarioDoesNotVary_runsWithIt() {
        Ran r = run("run", RACE, "--design", "kvm=pfn-walk");

        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("result: clean");
    }

    @Test
    void check_badTime_isUsageError() {
        Ran r = run("check", RACE, "--time", "soon");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--time takes a duration");
    }

    @Test
    void check_missingFile_isScenarioErrorWithExitTwo() {
        Ran r = run("check", dir.resolve("nope.scn").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.scn:1:1: no such file");
    }

    @Test
    void check_fileWithSeveralProblems_printsEveryOneWithItsLineAndExitsTwo() throws IOException {
        Path p = file("bad.scn", """
                scenario "a typo and a statement the model does not run"
                device nic0 kind=rdma
                process A

                thread A.main:
                  p = mmap 4K
                  munmap pp 4K
                  dbg = devcoredump_read nic0
                expect clean
                """);

        Ran r = run("check", p.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(p + ":7:10: name 'pp' is never bound in process A (did you mean 'p'?)\n"
                + "  munmap pp 4K\n"
                + "         ^\n"
                + p + ":8:9: 'devcoredump_read' takes a device of kind gpu (the xe device coredump)\n"
                + "  dbg = devcoredump_read nic0\n"
                + "        ^\n");
    }

    @Test
    void check_jsonWithBadFiles_carriesEveryProblemAsAnErrorEntryAndRunsTheOthers() throws IOException {
        Path one = file("one.scn", "scenario \"one\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");
        Path two = file("two.scn", "scenario \"two\"\ndevice nic0 kind=rdma\nprocess A\nthread A.main:\n"
                + "  k = devcoredump_read nic0\nexpect clean\n");

        Ran r = run("check", one.toString(), RACE, two.toString(), "--format", "json", "--executions", "300");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("\"errors\": [", "\"file\": \"" + one + "\"", "\"line\": 4", "\"column\": 10",
                        "\"message\": \"name 'q' is never bound in process A\"", "\"source\": \"  munmap q 4K\"",
                        "\"file\": \"" + two + "\"", "\"message\": \"'devcoredump_read' takes a device of kind gpu (the xe device coredump)\"",
                        "\"allHold\": false")
                // The good file ran, and only it is among the scenarios.
                .contains("\"file\": \"" + RACE + "\"", "\"invariant\": \"use-after-free\"");
        assertThat(r.out().split("\"title\": ", -1)).hasSize(2);
        assertThat(r.err()).contains(one + ":4:10: name 'q' is never bound in process A", two + ":5:7:");
    }

    @Test
    void check_textWithABadFile_runsTheOthersSaysHowManyWereRefusedAndExits2EvenWhenTheyHold() throws IOException {
        Path bad = file("bad.scn", "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran r = run("check", "--width", "1000", bad.toString(), RACE, "--design", "userptr=hmm", "--executions", "300");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("userptr=hmm  clean", "as expected",
                "1 scenario, 1 combination: 1 as expected, 0 not; 1 file refused (its problems are on stderr)");
        assertThat(r.err()).isEqualTo(bad + ":4:10: name 'q' is never bound in process A\n  munmap q 4K\n         ^\n");
    }

    @Test
    void check_badFileAndAnExpectationThatFails_exitsWithTheWorse2() throws IOException {
        Path bad = file("bad.scn", "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");
        // The catalog's race expects hmm-no-retry to break use-after-free; forced clean-only here it fails.
        Path wrong = file("wrong.scn", Catalog.find("userptr-munmap-race").text()
                .replaceAll("(?m)^expect violation.*$", "expect clean"));

        Ran alone = run("check", wrong.toString(), "--design", "userptr=hmm-no-retry", "--executions", "300");
        Ran both = run("check", bad.toString(), wrong.toString(), "--design", "userptr=hmm-no-retry",
                "--executions", "300");

        assertThat(alone.code()).isEqualTo(1);
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.out()).contains("violation use-after-free", "UNEXPECTED (expected clean)");
    }

    @Test
    void check_design_runsOnlyTheGivenValuesAndAddsAKeyTheScenarioDoesNotVary() {
        Ran two = run("check", RACE, "--design", "userptr=pin", "--design", "userptr=hmm", "--executions", "200");
        Ran forced = run("check", RACE, "--design", "userptr=hmm", "--design", "fork=legacy", "--executions", "200");
        Ran json = run("check", RACE, "--design", "userptr=pin", "--executions", "200", "--format", "json");

        assertThat(two.code()).isZero();
        // In the order given, and nothing of the value left out.
        assertThat(two.out()).containsSubsequence("  userptr=pin ", "  userptr=hmm ")
                .contains("2 combinations").doesNotContain("hmm-no-retry");
        assertThat(forced.out()).contains("  userptr=hmm fork=legacy  clean", "1 combination");
        assertThat(json.out()).contains("\"userptr\": \"pin\"").doesNotContain("\"userptr\": \"hmm\"");
    }

    @Test
    void check_design_refusesAnUnknownKeyOrValueInOneLine() {
        Ran key = run("check", RACE, "--design", "nosuch=x");
        Ran value = run("check", RACE, "--design", "userptr=bogus");

        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).isEqualTo("accelmm: unknown design key 'nosuch'\n");
        assertThat(value.code()).isEqualTo(2);
        assertThat(value.err()).isEqualTo("accelmm: design userptr has no value 'bogus' (values: hmm, pin, hmm-no-retry)\n");
        assertThat(key.out() + value.out()).isEmpty();
    }

    @Test
    void run_designGivenTwoValues_isRefusedAsARunHasOne() {
        Ran r = run("run", RACE, "--design", "userptr=hmm", "--design", "userptr=pin");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --design userptr given 2 values; a run has one (check runs several)\n");
    }

    @Test
    void help_printsTheUsageOfACommandOrOfAccelmm_andRefusesAnUnknownOne() {
        Ran top = run("help");
        Ran check = run("help", "check");
        Ran unknown = run("help", "nosuch");

        assertThat(top.code()).isZero();
        assertThat(top.out()).startsWith("Usage: accelmm ").contains("  help ", "  check ");
        assertThat(check.code()).isZero();
        assertThat(check.out()).startsWith("Usage: accelmm check ").contains("--design=KEY=VALUE");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo(run("nosuch").err())
                .isEqualTo("accelmm: unknown command 'nosuch' (see accelmm --help)\n");
    }

    @Test
    void help_commandList_givesEachCommandAWholeSentence() {
        String list = run("--help").out();
        String commands = list.substring(list.indexOf("Commands:"), list.indexOf("Examples:"));

        // Each command's first line of description, with its continuation lines, ends a sentence.
        for (String entry : commands.split("\n(?=  [a-z])")) {
            if (entry.startsWith("Commands:")) {
                continue;
            }
            assertThat(entry.strip()).as(entry).endsWith(".");
        }
    }

    /**
     * The JSON of a violation says who held whom when its run ended, as data: for the leak, the
     * VM/object cycle (each VM maps the object, the object holds each VM by its back-reference)
     * and the frames behind them, with no process left.
     */
    @Test
    @SuppressWarnings("unchecked")
    void checkJson_leak_objectsAtEndGiveWhoHeldWhomAsData() {
        String json = run("check", "catalog/vm-teardown-leak", "--design", "teardown=refcount-only", "--format",
                "json").out();

        Map<String, Object> root = (Map<String, Object>) accelmm.report.JsonReader.read(json);
        Map<String, Object> combination = (Map<String, Object>) ((List<Object>) ((Map<String, Object>)
                ((List<Object>) root.get("scenarios")).get(0)).get("combinations")).get(0);
        Map<String, Object> graph = (Map<String, Object>) combination.get("objectsAtEnd");
        Map<Long, String> labels = new java.util.TreeMap<>();
        for (Object o : (List<Object>) graph.get("objects")) {
            Map<String, Object> node = (Map<String, Object>) o;
            labels.put((Long) node.get("id"), node.get("kind") + " " + node.get("label"));
        }
        List<String> references = ((List<Object>) graph.get("references")).stream().map(o -> (Map<String, Object>) o)
                .map(r -> labels.get((Long) r.get("holder")) + " -> " + labels.get((Long) r.get("held")) + " via "
                        + r.get("via")).toList();

        assertThat(combination.get("invariant")).isEqualTo("leak");
        assertThat(labels.values()).noneMatch(l -> l.startsWith("process "));
        assertThat(references).contains("vm gpu0 vm 1 -> gem gpu0 gem object 1 (16K) via mapping va 0x200000",
                "gem gpu0 gem object 1 (16K) -> vm gpu0 vm 1 via back-reference",
                "gem gpu0 gem object 1 (16K) -> frame pfn 1..4 via page");
    }

    /** With every file refused the JSON still says which accelmm ran with which options. */
    @Test
    void check_jsonWithEveryFileRefused_stillCarriesVersionAndOptions() throws IOException {
        Path one = file("one.scn", "scenario \"one\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran r = run("check", one.toString(), "--format", "json", "--seed", "7");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).startsWith("{\n  \"accelmm\": \"" + Main.version() + "\",\n  \"options\": {")
                .contains("\"seed\": 7", "\"errors\": [", "\"scenarios\": []");
    }

    @Test
    void check_unknownCatalogNameAmongBadFiles_isOneMoreProblemInTextAndJson() throws IOException {
        Path one = file("one.scn", "scenario \"one\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran json = run("check", one.toString(), "catalog/no-such-race", RACE, "--format", "json");
        Ran text = run("check", "catalog/no-such-race", one.toString());

        assertThat(json.code()).isEqualTo(2);
        assertThat(json.out()).contains("\"errors\": [", "\"file\": \"" + one + "\"",
                "\"file\": \"catalog/no-such-race\"", "\"line\": 1", "\"column\": 1",
                "\"message\": \"no built-in scenario 'no-such-race' (see accelmm catalog list)\"",
                "\"allHold\": false");
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).isEqualTo("catalog/no-such-race:1:1: no built-in scenario 'no-such-race'"
                + " (see accelmm catalog list)\n"
                + one + ":4:10: name 'q' is never bound in process A\n  munmap q 4K\n         ^\n");
    }

    @Test
    void check_expectedFailedExpectation_isAVerdictAsExpectedInTextAndJson() {
        String file = "catalog/pinned-userptr-fork-parent-write";

        Ran text = run("check", "--width", "1000", file);
        Ran json = run("check", "--width", "1000", file, "--format", "json");

        assertThat(text.code()).isZero();
        assertThat(text.out()).containsPattern("userptr=pin fork=legacy +violation expectation +as expected")
                .contains("`expect read d 12 == \"parent wrote\"` does not hold");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"expected\": \"violation expectation\"", "\"invariant\": \"expectation\"");
    }

    @Test
    void replay_malformedSchedule_isUsageError() {
        Ran r = run("replay", RACE, "--schedule", "1..2");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("accelmm: --schedule: ");
    }

    @Test
    void catalog_listShowsEveryEntryWithItsTitle() {
        Ran r = run("catalog", "list");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("userptr-munmap-race +userptr mirror survives munmap race")
                .contains("self-join-deadlock");
    }

    @Test
    void catalog_showPrintsTheScenarioText() {
        Ran r = run("catalog", "show", "dontfork");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("madvise p 8K dontfork");
    }

    @Test
    void catalog_showUnknown_isUsageError() {
        Ran r = run("catalog", "show", "nothing-here");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no built-in scenario 'nothing-here'");
    }

    @Test
    void demo_everyCatalogVerdictAsExpected() {
        Ran r = run("demo", "--executions", "1000", "--width", "1000");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("scenario +designs +verdict +as expected\\?")
                .containsPattern("userptr-munmap-race +userptr=hmm +clean +yes")
                .containsPattern("userptr=pin fork=legacy +violation secret-leak +yes")
                .containsPattern("\nscenario +designs +sys +")
                .doesNotContain("NO (expected");
    }

    /**
     * In 80 columns each scenario's name heads its rows and cost table; every line fits. The
     * HTML page says it is the demo.
     */
    @Test
    void demo_width80_everyLineFits_andItsHtmlIsTheDemos() throws IOException {
        Path html = dir.resolve("demo.html");

        Ran r = run("demo", "--executions", "100", "--width", "80", "--html", html.toString());

        assertThat(r.out().lines()).allMatch(l -> l.length() <= 80, "fits 80 columns");
        assertThat(r.out()).contains("\nuserptr-munmap-race\n  userptr=hmm ", "\nuacce-dma-map-fork\n  designs ");
        assertThat(Files.readString(html)).contains("<title>accelmm demo</title>", "<h1>accelmm demo</h1>");
        // A width the wide table just fits gives the wide table.
        String wide = run("demo", "--executions", "100", "--width", "1000").out();
        String table = wide.substring(wide.indexOf("\nscenario  ") + 1, wide.indexOf("\n\n", wide.indexOf("\nscenario  ")));
        int widest = table.lines().mapToInt(String::length).max().orElseThrow();
        assertThat(run("demo", "--executions", "100", "--width", String.valueOf(widest)).out()).contains(table);
    }

    @Test
    void everyCommand_hasHelpWithExamples() {
        for (String command : new String[] {"run", "check", "replay", "catalog", "demo"}) {
            Ran r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: accelmm " + command).contains("Example");
        }
    }

    @Test
    void check_dfsWithBound_saysTheSearchWasCompleteForTheBound() {
        Ran r = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "1");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("default +clean +as expected +complete for 1 preemption, \\d+ executions");
    }

    @Test
    void check_dfsWithoutPreemptions_missesTheRaceThatNeedsOneAndExitsOne() {
        Ran r = run("check", "--width", "1000", RACE, "--strategy", "dfs", "--preemptions", "0");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).containsPattern(
                "userptr=hmm-no-retry +clean +UNEXPECTED \\(expected violation use-after-free\\) +complete for 0 preemptions");
    }

    @Test
    void check_preemptionsUnbounded_estimatesTheSearchOnStderrThenSearchesEveryInterleaving() {
        Ran r = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "unbounded");

        assertThat(r.code()).isZero();
        assertThat(r.err()).containsPattern("dontfork.* default: about \\S+ executions \\(Knuth's estimate over 32"
                + " probes of the unreduced search, which the reduced one does not exceed; often low on lopsided"
                + " trees\\), dfs\\(unbounded, dpor\\)");
        assertThat(r.out()).containsPattern("default +clean +as expected +complete \\(every interleaving\\), \\d+ executions");
    }

    @Test
    void check_preemptionsNeitherCountNorUnbounded_refusedWithTheValue() {
        Ran r = run("check", "catalog/dontfork", "--preemptions", "many");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'many' is not a number of preemptions or 'unbounded'");
    }

    @Test
    void check_auto_reportsWhichPartFoundTheViolationAndWhatTheDfsCovered() {
        // Too few executions for the DFS of userptr=hmm (432 within 2 preemptions) to complete.
        Ran r = run("check", "--width", "1000", RACE, "--executions", "300");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("userptr=hmm-no-retry +violation use-after-free +as expected +found in"
                + " execution \\d+ of auto, by (dfs\\(preemptions 2\\)|random walk|pct\\(depth \\d\\)) in its \\d+\\w\\w execution; ");
        assertThat(r.out()).containsPattern("userptr=hmm +clean +as expected +dfs\\(preemptions 2\\) ran \\d+ executions,"
                + " incomplete; sampling ran \\d+ executions, found none");
    }

    @Test
    void check_autoDfsCompleteForTheBound_endsCleanBeforeTheBudget() {
        Ran r = run("check", "--width", "1000", RACE);

        assertThat(r.code()).isZero();
        Matcher m = Pattern.compile("userptr=hmm +clean +as expected +dfs complete for 2 preemptions \\((\\d+)"
                + " executions\\); sampling ran (\\d+) executions, found none").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))).as("the default budget left unused")
                .isLessThan(10_000);
    }

    @Test
    void check_autoPreemptionsUnbounded_endsCleanAfterEveryInterleaving() {
        Ran r = run("check", "catalog/dontfork", "--preemptions", "unbounded", "--format", "json");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"strategy\": \"auto(dfs(unbounded, dpor), random+pct(seed 1))\"")
                .contains("\"completeFor\": \"every interleaving\"")
                .containsPattern("\"coverage\": \"dfs complete for every interleaving \\(\\d+ executions\\)");
    }

    @Test
    void check_reduction_namedInTheReportsStrategy() {
        for (String[] reduction : new String[][] {{"none", "dfs(preemptions 1)"}, {"sleep", "dfs(preemptions 1, sleep sets)"},
            {"dpor", "dfs(preemptions 1, dpor)"}}) {
            Ran r = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "1", "--reduction",
                    reduction[0], "--format", "json");

            assertThat(r.code()).as(reduction[0]).isZero();
            assertThat(r.out()).as(reduction[0]).contains("\"strategy\": \"" + reduction[1] + "\"");
        }
        assertThat(run("check", "catalog/dontfork", "--reduction", "sleep", "--format", "json").out())
                .contains("\"strategy\": \"auto(dfs(preemptions 2, sleep sets), random+pct(seed 1))\"");
    }

    @Test
    void check_stateCaching_byDefaultForUnboundedSearchesOnly_andAChoiceAgainstItNamedInTheStrategy() {
        Ran bounded = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "1", "--stats",
                "--format", "json");
        Ran boundedOn = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "1", "--state-caching",
                "on", "--stats", "--format", "json");
        Ran unbounded = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "unbounded", "--stats",
                "--format", "json");
        Ran unboundedOff = run("check", "catalog/dontfork", "--strategy", "dfs", "--preemptions", "unbounded",
                "--state-caching", "off", "--stats", "--format", "json");

        assertThat(bounded.code()).isZero();
        assertThat(bounded.out()).contains("\"strategy\": \"dfs(preemptions 1, dpor)\"").doesNotContain("statesStored");
        // The scenario models are fingerprinted between statements: a caching search stores states.
        assertThat(boundedOn.out()).contains("\"strategy\": \"dfs(preemptions 1, dpor, state caching)\"")
                .containsPattern("\"statesStored\": [1-9]");
        assertThat(unbounded.out()).contains("\"strategy\": \"dfs(unbounded, dpor)\"")
                .containsPattern("\"statesStored\": [1-9]");
        assertThat(unboundedOff.out()).contains("\"strategy\": \"dfs(unbounded, dpor, no state caching)\"")
                .doesNotContain("statesStored");
    }

    @Test
    void check_stateCachingNeitherOnNorOff_refusedInOneLineWithExitTwo() {
        Ran r = run("check", "catalog/dontfork", "--state-caching", "maybe");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("accelmm: Invalid value for option '--state-caching':").contains("maybe")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void check_reductionUnknown_refusedInOneLineWithExitTwo() {
        Ran r = run("check", "catalog/dontfork", "--reduction", "partial");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: Invalid value for option '--reduction': 'partial' is not a reduction:"
                + " none, sleep or dpor (see accelmm check --help)" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void check_stats_showsTheDfsPrunedRunsInTextAndJson() {
        Ran dfs = run("check", "--width", "1000", "catalog/dontfork", "--strategy", "dfs", "--stats");
        Ran auto = run("check", "--width", "1000", "catalog/dontfork", "--stats", "--format", "json");
        Ran sampled = run("check", "--width", "1000", "catalog/dontfork", "--strategy", "random", "--executions", "20", "--stats",
                "--format", "json");

        assertThat(dfs.out()).containsPattern("default +clean +as expected +complete .* steps/s, \\d+ pruned runs?\\R");
        assertThat(auto.out()).containsPattern("\"prunedRuns\": \\d+").containsPattern("\"schedulingSteps\": [1-9]\\d*,\n");
        assertThat(sampled.out()).doesNotContain("prunedRuns");
        assertThat(run("check", "--width", "1000", "catalog/dontfork", "--format", "json").out()).doesNotContain("prunedRuns");
    }
}
