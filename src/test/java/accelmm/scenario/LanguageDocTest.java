package accelmm.scenario;

import accelmm.check.InvariantKind;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/LANGUAGE.md stays true to the parser: its example parses and it shows every statement. */
class LanguageDocTest {

    private static String doc() throws IOException {
        return Files.readString(Path.of("docs/LANGUAGE.md"));
    }

    /** The fenced code blocks that are whole scenario files. */
    private static List<String> scenarioBlocks(String doc) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```\\n(scenario .*?)```", Pattern.DOTALL).matcher(doc);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void languageDoc_examples_parse() throws IOException {
        List<String> blocks = scenarioBlocks(doc());

        assertThat(blocks).isNotEmpty();
        for (String block : blocks) {
            assertThat(Parser.parse("LANGUAGE.md", block).threads()).isNotEmpty();
        }
    }

    @Test
    void languageDoc_showsEveryOperationsSyntax() throws IOException {
        String doc = doc().replace("\\|", "|");

        for (Operation op : Operation.values()) {
            assertThat(doc).as("syntax of %s", op).contains(op.usage());
        }
    }

    @Test
    void languageDoc_listsEveryDesignValueAndInvariant() throws IOException {
        String doc = doc();

        for (DesignKey key : DesignKey.values()) {
            assertThat(doc).contains("| `" + key.word() + "` | `" + String.join("`, `", key.choices()) + "` |");
        }
        for (InvariantKind invariant : InvariantKind.invariants()) {
            assertThat(doc).contains("`" + invariant.scenarioName() + "`");
        }
    }
}
