package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the input, the parser either returns a scenario or throws a {@link ScenarioError}
 * located inside the text: never another exception, never a position off the text.
 */
class ParserPropertyTest {

    /** Fragments that reach deep into the grammar when pasted into a file. */
    private static final List<String> FRAGMENTS = List.of(
            "\n", "\n  ", "\n    ", "  ", "\t", "\r\n", "#", " # c", ":", "=", "=>", "==", "!=", "|", ",", "*", "+",
            "-", ".", "\"", "\\", "\\x", "\\n", "\"s\"", "0x", "0xAB", "4K", "16M", "1G", "0", "99999999999999999999",
            "scenario", "scenario \"t\"\n", "design", "userptr=*", "fork=legacy", "device", "gpu0", "kind=gpu",
            "process", "A", "B", "A.p", "kernel", "thread", "thread A.main:\n  ", "thread kernel.k:\n  ", "after",
            "expect", "clean", "violation", "when", "use-after-free", "mmap", "munmap", "write", "read", "ioctl",
            "fd", "vm_bind", "map", "userptr", "gem_create", "exec", "queue=q", "copy", "secret", "size=", "allow",
            "ok", "EFAULT", "error", "p", "p+4K", "p-4K", "fork", "recv", "send", "to", "as", "migrate", "é", "\u0000",
            "\uFEFF", "\uD83D\uDE00");

    @Property(tries = 400, seed = "20261121")
    void randomText_onlyScenarioErrorEscapes(@ForAll("noise") String text) {
        check(text);
    }

    @Property(tries = 400, seed = "42")
    void mutatedContractExample_onlyScenarioErrorEscapes(@ForAll("seeds") long seed) {
        check(mutate(Scenarios.CONTRACT_EXAMPLE, new Random(seed)));
    }

    @Property(tries = 400, seed = "4242")
    void mutatedKitchenSink_onlyScenarioErrorEscapes(@ForAll("seeds") long seed) {
        check(mutate(Scenarios.KITCHEN_SINK, new Random(seed)));
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("aAzZ_09.:=>|,*+-#\"\\x \t\n\réK").ofMaxLength(60);
        Arbitrary<String> fragments = Arbitraries.of(FRAGMENTS).list().ofMaxSize(40).map(l -> String.join("", l));
        Arbitrary<String> both = Arbitraries.oneOf(chars, fragments).list().ofMaxSize(6).map(l -> String.join(" ", l));
        return Arbitraries.oneOf(chars, fragments, both);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** One to five random edits: characters or lines deleted, duplicated or swapped, fragments inserted. */
    static String mutate(String text, Random random) {
        String result = text;
        int edits = 1 + random.nextInt(5);
        for (int i = 0; i < edits; i++) {
            result = random.nextBoolean() ? mutateChars(result, random) : mutateLines(result, random);
        }
        return result;
    }

    private static String mutateChars(String text, Random random) {
        if (text.isEmpty()) {
            return FRAGMENTS.get(random.nextInt(FRAGMENTS.size()));
        }
        StringBuilder s = new StringBuilder(text);
        int at = random.nextInt(s.length());
        switch (random.nextInt(4)) {
            case 0 -> s.deleteCharAt(at);
            case 1 -> s.insert(at, s.charAt(at));
            case 2 -> {
                int other = random.nextInt(s.length());
                char c = s.charAt(at);
                s.setCharAt(at, s.charAt(other));
                s.setCharAt(other, c);
            }
            default -> s.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
        }
        return s.toString();
    }

    private static String mutateLines(String text, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int at = random.nextInt(lines.size());
        switch (random.nextInt(3)) {
            case 0 -> lines.remove(at);
            case 1 -> lines.add(at, lines.get(at));
            default -> {
                int other = random.nextInt(lines.size());
                String line = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, line);
            }
        }
        return String.join("\n", lines);
    }

    /** Parses; any exception but ScenarioError fails the property, as does a position off the text. */
    private static void check(String text) {
        try {
            Parser.parse("fuzz.scn", text);
        } catch (ScenarioError e) {
            String[] lines = text.split("\n", -1);
            assertThat(e.line()).as("line of %s", e.getMessage()).isBetween(1, lines.length);
            String line = lines[e.line() - 1];
            int length = line.codePointCount(0, line.length());
            assertThat(e.column()).as("column of %s", e.getMessage()).isBetween(1, length + 1);
            assertThat(e.render()).startsWith(e.getMessage());
        }
    }
}
