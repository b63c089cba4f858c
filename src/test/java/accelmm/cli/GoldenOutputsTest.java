package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outputs of {@code check} for catalog scenarios, byte for byte, against the files in
 * {@code src/test/resources/golden/}: text, JSON, TAP and JUnit, so that a change of a report
 * shows in review as a change of these files. After a deliberate change, write them anew with
 * {@code ACCELMM_UPDATE_GOLDEN=1 bin/test -Dtest=GoldenOutputsTest} and read the diff.
 */
class GoldenOutputsTest {

    private static final Path DIR = Path.of("src", "test", "resources", "golden");
    private static final boolean UPDATE = "1".equals(System.getenv("ACCELMM_UPDATE_GOLDEN"));

    /** A violation, clean and complete combinations; a leak; an expected failing expectation. */
    private static final List<String> SCENARIOS = List.of("userptr-munmap-race", "vm-teardown-leak",
            "pinned-userptr-fork-parent-write");
    private static final List<String> FORMATS = List.of("text", "json", "tap", "junit");

    static Stream<Arguments> outputs() {
        return SCENARIOS.stream().flatMap(s -> FORMATS.stream().map(f -> Arguments.of(s, f)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("outputs")
    void check_output_isTheGoldenFile(String scenario, String format) throws IOException {
        Ran r = Cli.run("check", "catalog/" + scenario, "--format", format, "--executions", "300", "--width", "80");
        Path golden = DIR.resolve(scenario + "." + (format.equals("junit") ? "xml" : format));

        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
        }

        assertThat(Files.exists(golden)).as("%s is missing: write it with ACCELMM_UPDATE_GOLDEN=1", golden).isTrue();
        assertThat(r.out()).as("%s (after a deliberate change: ACCELMM_UPDATE_GOLDEN=1 bin/test -Dtest=%s)", golden,
                getClass().getSimpleName()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
