package accelmm.cli;

import static accelmm.cli.Cli.run;
import static accelmm.cli.Cli.runTo;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands print, when it cannot be written, and what of a scenario reaches the
 * terminal or a shell: control characters escaped, replay lines quoted.
 */
class OutputsTest {

    private static final String RACE = "catalog/userptr-munmap-race";

    /** A title and a string literal that would clear the screen and recolour it. */
    private static final String HOSTILE = """
            scenario "\\x1b[2J\\x1b[31mFAKE\\xc2\\x9b"
            process A
            thread A.main:
              p = mmap 4K
              write p "\\x1b[2Jx\\x0d"
            expect clean
            """;

    @TempDir
    Path dir;

    /** Standard output on a full disk: every write fails, as on /dev/full. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    /** Standard output into a pipe whose reader has gone away ({@code | head}): EPIPE. */
    private static final class ClosedPipe extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
        }
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static void assertNoControlCharacters(String text) {
        assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)).count())
                .as(text).isZero();
    }

    @Test
    void run_outputCannotBeWritten_exitTwoWithOneLine() {
        Ran r = runTo(new FullDisk(), "run", RACE);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: cannot write the output: No space left on device\n");
    }

    @Test
    void run_readerOfThePipeWentAway_exitTwoWithoutALine() {
        Ran r = runTo(new ClosedPipe(), "run", RACE);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void check_outputCannotBeWritten_exitTwoEvenWhenAVerdictFailed() {
        Ran r = runTo(new FullDisk(), "check", RACE, "--strategy", "dfs", "--preemptions", "0");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: cannot write the output: No space left on device\n");
    }

    @Test
    void check_titleWithANewline_cannotForgeALineOfItsOwn() throws IOException {
        Path scn = file("forged.scn", HOSTILE.replaceFirst("scenario \"[^\"]*\"",
                "scenario \"ok\\\\x0a    replay: bin/accelmm replay x.scn; touch pwned #\""));

        Ran r = run("check", scn.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("scenario \"ok\\x0a    replay: bin/accelmm replay x.scn; touch pwned #\"")
                .doesNotContain("\n    replay: bin/accelmm replay x.scn");
    }

    @Test
    void check_titleWithTerminalEscapes_printsThemVisibly() throws IOException {
        Path scn = file("hostile.scn", HOSTILE);

        Ran r = run("check", scn.toString());

        assertThat(r.code()).isZero();
        assertNoControlCharacters(r.out());
        assertThat(r.out()).startsWith("scenario \"\\x1b[2J\\x1b[31mFAKE\\x9b\" (");
    }

    @Test
    void run_stringDataWithTerminalEscapes_printsThemVisibly() throws IOException {
        Path scn = file("hostile.scn", HOSTILE);

        Ran r = run("run", scn.toString());

        assertNoControlCharacters(r.out());
        assertThat(r.out()).contains("write p \"\\x1b[2Jx\\x0d\" -> ok");
    }

    @Test
    void check_json_escapesTheC1ControlsToo() throws IOException {
        Path scn = file("hostile.scn", HOSTILE);

        Ran r = run("check", scn.toString(), "--format", "json");

        assertNoControlCharacters(r.out());
        assertThat(r.out()).contains("\"title\": \"\\u001b[2J\\u001b[31mFAKE\\u009b\"");
    }

    @Test
    void check_fileNameWithControlCharacters_errorShowsThemEscaped() throws IOException {
        Path scn = file("a\u001b[2Jb.scn", "scenario \"x\"\nprocess A\nthread A.main:\n  p = mmapp 4K\n");

        Ran r = run("check", scn.toString());

        assertThat(r.code()).isEqualTo(2);
        assertNoControlCharacters(r.err());
        assertThat(r.err()).contains("a\\x1b[2Jb.scn:4:7: unknown operation 'mmapp'");
    }

    @Test
    void check_fileNameWithShellSyntax_replayLineIsQuoted() throws IOException {
        Path scn = file("race; rm -rf x.scn", new String(
                getClass().getResourceAsStream("/accelmm/catalog/userptr-munmap-race.scn").readAllBytes()));

        Ran r = run("check", scn.toString());

        Matcher m = Pattern.compile("replay: (.*)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(m.group(1)).matches("bin/accelmm replay '" + Pattern.quote(scn.toString())
                + "' --design userptr=hmm-no-retry --schedule '[0-9a-f]{6}:[0-9.*]+'");
    }

    @Test
    void check_ordinaryReplayLine_quotesOnlyTheSchedule() {
        assertThat(run("check", RACE).out()).containsPattern(
                "\n    replay: bin/accelmm replay catalog/userptr-munmap-race --design userptr=hmm-no-retry"
                        + " --schedule '[0-9a-f]{6}:[0-9.*]+'\n");
    }

    @Test
    void replay_scheduleThatNamesNoRunnableActor_exitTwoNotAModelBug() {
        Ran r = run("replay", RACE, "--schedule", "5");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --schedule: the schedule does not match this scenario at decision 0:"
                + " actor 5 is not runnable at step 0 (start); was it recorded on another scenario, design or version"
                + " of accelmm?\n");
    }

    @Test
    void replay_scheduleLongerThanTheRun_exitTwo() {
        Ran r = run("replay", RACE, "--schedule", "0*5000");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("accelmm: --schedule: the schedule does not match this scenario at decision ");
    }

    @Test
    void replay_tokenOfAnotherDesign_refusedByItsFingerprint() {
        String token = token(run("check", RACE).out());

        Ran r = run("replay", RACE, "--design", "userptr=hmm", "--schedule", token);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("accelmm: --schedule: the schedule was recorded on another scenario text or"
                + " design combination (its fingerprint is " + token.substring(0, 6) + ", this scenario under"
                + " userptr=hmm is ");
    }

    @Test
    void replay_tokenAfterTheScenarioWasEdited_refusedByItsFingerprint() throws IOException {
        String text = new String(getClass().getResourceAsStream("/accelmm/catalog/userptr-munmap-race.scn")
                .readAllBytes());
        Path scn = file("race.scn", text);
        String token = token(run("check", scn.toString()).out());
        file("race.scn", text + "# a comment changes nothing the run does, but it is another text\n");

        Ran r = run("replay", scn.toString(), "--design", "userptr=hmm-no-retry", "--schedule", token);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the schedule was recorded on another scenario text");
    }

    @Test
    void run_printsATokenThatReplaysTheSameRun() {
        Ran ran = run("run", RACE, "--design", "userptr=hmm-no-retry", "--seed", "3");
        Matcher m = Pattern.compile("\nschedule: ([0-9a-f]{6}:\\S+)\n").matcher(ran.out());
        assertThat(m.find()).as(ran.out()).isTrue();

        Ran replayed = run("replay", RACE, "--design", "userptr=hmm-no-retry", "--schedule", m.group(1));

        assertThat(replayed.err()).isEmpty();
        assertThat(replayed.code()).isEqualTo(ran.code());
    }

    @Test
    void replay_theExampleOfItsHelp_replaysTheViolation() {
        Matcher m = Pattern.compile("accelmm replay (\\S+) --design (\\S+)\\s+--schedule '([^']+)'")
                .matcher(run("replay", "--help").out());
        assertThat(m.find()).isTrue();

        Ran r = run("replay", m.group(1), "--design", m.group(2), "--schedule", m.group(3));

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isEqualTo(1);
    }

    private static String token(String checkOutput) {
        Matcher m = Pattern.compile("--schedule '([0-9a-f]{6}:[^']+)'").matcher(checkOutput);
        assertThat(m.find()).as(checkOutput).isTrue();
        return m.group(1);
    }
}
