package accelmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/KERNEL-SEMANTICS.md defines every debugger, coredump and guest fact id (EUD, PTR, DCD; KVM,
 * DBI, CA) that the code, the tests, the scenarios and the other docs cite, so that a cited id
 * leads to its fact and its kernel source.
 */
class KernelSemanticsDocTest {

    private static final Path COPY = Path.of("docs/KERNEL-SEMANTICS.md");
    /** An id, or a range of them written {@code EUD-09..11}. */
    private static final Pattern CITED = Pattern.compile("\\b(EUD|PTR|DCD|KVM|DBI|CA)-(\\d{2})(?:\\.\\.(\\d{2}))?\\b");
    /** A fact's own entry in the copy: a list item that starts with the id in bold. */
    private static final Pattern DEFINED = Pattern.compile("(?m)^- \\*\\*((?:EUD|PTR|DCD|KVM|DBI|CA)-\\d{2})\\b");

    @Test
    void kernelSemanticsCopy_idCitedInSourcesOrDocs_isDefined() throws IOException {
        Set<String> defined = defined(Files.readString(COPY));
        Set<String> cited = new TreeSet<>();
        for (Path file : citingFiles()) {
            cited.addAll(cited(Files.readString(file)));
        }

        assertThat(cited).contains("EUD-01", "PTR-01", "DCD-01", "KVM-01", "DBI-01", "CA-01");
        assertThat(defined).containsAll(cited);
    }

    @Test
    void kernelSemanticsCopy_debuggerCoredumpAndGuestSections_defineEveryIdOnce() throws IOException {
        String copy = Files.readString(COPY);
        Matcher m = DEFINED.matcher(copy);
        List<String> entries = m.results().map(r -> r.group(1)).toList();

        assertThat(entries).doesNotHaveDuplicates();
        assertThat(entries).containsAll(cited("EUD-01..13 PTR-01..04 DCD-01..10 KVM-01..06 DBI-01..05 CA-01..03"));
    }

    private static Set<String> defined(String copy) {
        Set<String> ids = new TreeSet<>();
        DEFINED.matcher(copy).results().forEach(r -> ids.add(r.group(1)));
        return ids;
    }

    /** The ids a text cites, ranges expanded. */
    private static Set<String> cited(String text) {
        Set<String> ids = new TreeSet<>();
        Matcher m = CITED.matcher(text);
        while (m.find()) {
            int first = Integer.parseInt(m.group(2));
            int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
            for (int n = first; n <= last; n++) {
                ids.add(String.format("%s-%02d", m.group(1), n));
            }
        }
        return ids;
    }

    private static List<Path> citingFiles() throws IOException {
        List<Path> roots = List.of(Path.of("src/main"), Path.of("src/test"), Path.of("docs"), Path.of("README.md"));
        try (Stream<Path> all = roots.stream().flatMap(KernelSemanticsDocTest::walk)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.equals(COPY))
                    .filter(p -> p.toString().matches(".*\\.(java|md|scn)"))
                    .sorted()
                    .toList();
        }
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
