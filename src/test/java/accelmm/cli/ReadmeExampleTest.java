package accelmm.cli;

import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README shows what {@code check examples/first.scn} prints, as it prints it now. */
class ReadmeExampleTest {

    private static final String OPENING = "```\nscenario \"userptr mirror survives munmap race\" (examples/first.scn)\n";

    /**
     * The README's block, its {@code ...} lines standing for lines left out: each stretch between
     * them is a run of consecutive lines of the output, the stretches in order.
     */
    @Test
    void readme_firstScenarioOutput_isWhatCheckPrints() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(OPENING);
        assertThat(start).as("the README's example output").isNotNegative();
        List<String> shown = readme.substring(start + 4, readme.indexOf("```", start + 4)).lines().toList();
        List<String> printed = run("check", "examples/first.scn").out().lines().toList();

        List<List<String>> stretches = new ArrayList<>();
        stretches.add(new ArrayList<>());
        for (String line : shown) {
            if (line.strip().equals("...")) {
                stretches.add(new ArrayList<>());
            } else {
                stretches.get(stretches.size() - 1).add(line);
            }
        }
        int from = 0;
        for (List<String> stretch : stretches) {
            int at = Collections.indexOfSubList(printed.subList(from, printed.size()), stretch);
            assertThat(at).as("README lines not printed in that order:\n%s", String.join("\n", stretch))
                    .isNotNegative();
            from += at + stretch.size();
        }
        assertThat(stretches).hasSizeGreaterThan(3);
    }
}
