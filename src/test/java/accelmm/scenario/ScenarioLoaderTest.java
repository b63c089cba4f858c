package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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

        assertThat(e.getMessage()).startsWith(dir + ":1:1: cannot read file");
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
