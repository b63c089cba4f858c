package accelmm.cli;

import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code check} is given in place of scenario files: a check of nothing must not pass. */
class ScenarioInputsTest {

    @TempDir
    Path dir;

    private static void assertOneLineExitTwo(Ran r, String line) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(line + "\n");
    }

    @Test
    void check_emptyDirectory_exitTwo() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertOneLineExitTwo(run("check", empty.toString()),
                "accelmm: " + empty + ": a directory without .scn files (nothing to check)");
    }

    @Test
    void check_directoryNamedLikeAScenario_exitTwo() throws IOException {
        Path named = Files.createDirectory(dir.resolve("x.scn"));
        Files.writeString(named.resolve("notes.txt"), "not a scenario");

        assertOneLineExitTwo(run("check", named.toString()),
                "accelmm: " + named + ": a directory without .scn files (nothing to check)");
    }

    @Test
    void check_unreadableSubdirectory_oneLineExitTwo() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every directory");
        Path top = Files.createDirectory(dir.resolve("top"));
        Files.writeString(top.resolve("a.scn"), "scenario \"a\"\nprocess A\n");
        Path locked = Files.createDirectory(top.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assertOneLineExitTwo(run("check", top.toString()),
                    "accelmm: cannot read directory " + locked + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void check_devZero_refusedWithoutReading() {
        Ran r = run("check", "/dev/zero");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("/dev/zero:1:1: not a regular file (a device, FIFO or socket is not read)\n");
    }
}
