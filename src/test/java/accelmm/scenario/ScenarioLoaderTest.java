package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    @TempDir
    Path dir;

    @Test
    void load_validFile_parsesWithItsPathAsFileName() throws IOException {
        Path file = dir.resolve("example.scn");
        Files.writeString(file, Scenarios.CONTRACT_EXAMPLE);

        Scenario s = ScenarioLoader.load(file);

        assertThat(s.fileName()).isEqualTo(file.toString());
        assertThat(s.threads()).hasSize(2);
    }

    @Test
    void load_errorInFile_carriesThePath() throws IOException {
        Path file = dir.resolve("bad.scn");
        Files.writeString(file, "scenario \"x\"\nproces A\n");

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(file));

        assertThat(e.getMessage()).startsWith(file + ":2:1: ");
    }

    @Test
    void load_missingFile_isAScenarioErrorAtTheStart() {
        Path file = dir.resolve("nope.scn");

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(file));

        assertThat(e.getMessage()).isEqualTo(file + ":1:1: no such file");
        assertThat(e.render()).isEqualTo(e.getMessage());
    }

    @Test
    void load_directory_isAScenarioError() {
        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(dir));

        assertThat(e.getMessage()).isEqualTo(dir + ":1:1: is a directory");
    }

    @Test
    void load_devZero_isRefusedWithoutReading() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(zero));

        assertThat(e.getMessage()).isEqualTo("/dev/zero:1:1: not a regular file (a device, FIFO or socket is not read)");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void load_fifo_isRefusedWithoutOpeningIt() throws Exception {
        // Opening a FIFO no one writes to blocks: the loader must look before it opens.
        Path fifo = dir.resolve("race.scn");
        int made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        } catch (IOException e) {
            made = -1;
        }
        assumeTrue(made == 0, "mkfifo is available");

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(fifo));

        assertThat(e.getMessage()).startsWith(fifo + ":1:1: not a regular file");
    }

    @Test
    void load_fileOverTheCap_isRefusedBeforeReading() throws IOException {
        Path big = dir.resolve("big.scn");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(InputFiles.MAX_BYTES + 1); // sparse: nothing is written
        }

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.load(big));

        assertThat(e.getMessage()).isEqualTo(big + ":1:1: larger than 64 MB, the limit on input files");
    }

    @Test
    void parse_invalidUtf8_isReportedAtTheBadByte() {
        byte[] bytes = "scenario \"x\"\nprocess é\u00ff".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xff;
        bytes[bytes.length - 1] = (byte) 0x41;

        ScenarioError e = catchThrowableOfType(ScenarioError.class, () -> ScenarioLoader.parse("u.scn", bytes));

        assertThat(e.getMessage()).isEqualTo("u.scn:2:10: invalid UTF-8 (byte 0xff)");
        assertThat(e.render()).isEqualTo("u.scn:2:10: invalid UTF-8 (byte 0xff)\nprocess é\n         ^");
    }

    @Test
    void parse_validUtf8Bytes_parse() {
        byte[] bytes = "scenario \"naïve\"\n".getBytes(StandardCharsets.UTF_8);

        assertThat(ScenarioLoader.parse("u.scn", bytes).title()).isEqualTo("naïve");
    }
}
