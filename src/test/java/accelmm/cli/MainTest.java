package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void version_fromBuild_printsProjectVersion() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).matches("accelmm \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(err()).isEmpty();
    }

    @Test
    void help_listsCommandsToCome_exitsZero() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("run", "check", "replay", "catalog", "demo");
        assertThat(err()).isEmpty();
    }

    @Test
    void noArguments_printsUsage_exitsTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(out()).startsWith("Usage: accelmm");
    }

    @Test
    void unknownCommand_oneLineOnStderr_exitsTwo() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("accelmm: unknown command 'frobnicate' (see accelmm --help)"
                + System.lineSeparator());
    }
}
