package accelmm.cli;

import static accelmm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import accelmm.scenario.Catalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code check --format tap} (KTAP as kselftest writes it) and {@code --format junit}. */
class MachineFormatsTest {

    private static final String RACE = "catalog/userptr-munmap-race";

    @TempDir
    Path dir;

    /** The catalog's race with its expectation for hmm-no-retry turned into "clean": that one fails. */
    private Path wrongExpectation() throws IOException {
        return write("wrong.scn", Catalog.find("userptr-munmap-race").text()
                .replaceAll("(?m)^expect violation.*$", "expect clean"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void tap_givesATestPerCombination_XfailForAnExpectedViolation_andKselftestTotals() {
        Ran r = run("check", RACE, "--format", "tap", "--executions", "300");

        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("TAP version 13");
        assertThat(lines.get(1)).isEqualTo("1..3");
        assertThat(lines).contains("ok 1 " + RACE + " userptr=hmm", "ok 2 " + RACE + " userptr=pin",
                "ok 3 " + RACE + " userptr=hmm-no-retry # XFAIL use-after-free",
                "# Totals: pass:2 fail:0 xfail:1 xpass:0 skip:0 error:0");
        // Each test line follows its diagnostic, the combination's line of the text report.
        int xfail = lines.indexOf("ok 3 " + RACE + " userptr=hmm-no-retry # XFAIL use-after-free");
        assertThat(lines.get(xfail - 1)).startsWith("# userptr=hmm-no-retry: violation use-after-free, as expected;");
    }

    @Test
    void tap_unexpectedVerdict_isNotOkAfterItsCounterexample_andNoVerdictIsASkipWithItsReason() throws IOException {
        Path wrong = wrongExpectation();

        Ran failed = run("check", wrong.toString(), "--design", "userptr=hmm-no-retry", "--format", "tap",
                "--executions", "300", "--width", "1000");
        Ran limited = run("check", RACE, "--design", "userptr=hmm", "--format", "tap", "--max-steps", "5");

        assertThat(failed.code()).isEqualTo(1);
        List<String> lines = failed.out().lines().toList();
        int notOk = lines.indexOf("not ok 1 " + wrong + " userptr=hmm-no-retry");
        assertThat(notOk).isPositive();
        assertThat(lines.subList(2, notOk)).allMatch(l -> l.startsWith("#"))
                .contains("# userptr=hmm-no-retry: use-after-free at step 14 (gpu0 engine): DEVICE read on behalf of A"
                        + " through gpu va 0x100000: pfn 1 is free (reference taken at generation 2)")
                .anyMatch(l -> l.startsWith("#     1. A.main: open gpu0 -> 0"))
                .anyMatch(l -> l.startsWith("#     replay: bin/accelmm replay " + wrong));
        assertThat(failed.out()).endsWith("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
        assertThat(limited.code()).isEqualTo(4);
        assertThat(limited.out()).containsPattern(
                "(?m)^ok 1 " + RACE + " userptr=hmm # SKIP no verdict: execution \\d+ passed 5 steps$");
    }

    @Test
    void tap_refusedFile_isNotOkCountedAsAnError_andAHashInANameCannotStartADirective() throws IOException {
        Path bad = write("bad#1.scn", "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran r = run("check", bad.toString(), "--format", "tap");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("TAP version 13\n1..1\n# " + bad
                + ":4:10: name 'q' is never bound in process A\nnot ok 1 " + bad.toString().replace("#", "\\#")
                + "\n# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:1\n");
    }

    @Test
    void tap_aBackslashInANameCannotEscapeTheHashIntoADirective() throws IOException {
        Path odd = write("x\\# TODO y.scn", "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran r = run("check", odd.toString(), "--format", "tap");

        // TAP reads \\ as a backslash and \# as a hash: the name ends the line, no directive.
        assertThat(r.out()).contains("not ok 1 " + odd.toString().replace("\\", "\\\\").replace("#", "\\#") + "\n")
                .contains("x\\\\\\# TODO y.scn\n");
    }

    @Test
    void junit_suitePerScenario_casePerCombination_failureCarriesTheCounterexample() throws Exception {
        Path wrong = wrongExpectation();
        Path bad = write("bad.scn", "scenario \"bad\"\nprocess A\nthread A.main:\n  munmap q 4K\nexpect clean\n");

        Ran r = run("check", RACE, wrong.toString(), bad.toString(), "--format", "junit", "--executions", "300");
        Ran again = run("check", RACE, wrong.toString(), bad.toString(), "--format", "junit", "--executions", "300");

        assertThat(r.code()).isEqualTo(2);
        assertThat(again.out()).isEqualTo(r.out());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(List.of(root.getAttribute("tests"), root.getAttribute("failures"), root.getAttribute("errors"),
                root.getAttribute("skipped"))).containsExactly("7", "1", "1", "0");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly(bad.toString(), RACE,
                wrong.toString());
        assertThat(children(suites.get(0), "testcase").get(0).getElementsByTagName("error").item(0).getTextContent())
                .isEqualTo(bad + ":4:10: name 'q' is never bound in process A");
        List<Element> cases = children(suites.get(2), "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name"))
                .containsExactly("userptr=hmm", "userptr=pin", "userptr=hmm-no-retry");
        assertThat(cases.get(0).getElementsByTagName("failure").getLength()).isZero();
        Element failure = (Element) cases.get(2).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("violation use-after-free, UNEXPECTED (expected clean)");
        assertThat(failure.getTextContent()).contains("1. A.main: open gpu0 -> 0", "broke use-after-free",
                "replay: bin/accelmm replay " + wrong);
        assertThat(r.out()).doesNotContain("time=");
    }

    @Test
    void junit_noVerdictIsSkippedWithItsReason_andStatsAddTimes() throws Exception {
        Ran limited = run("check", RACE, "--design", "userptr=hmm", "--format", "junit", "--max-steps", "5");
        Ran timed = run("check", RACE, "--design", "userptr=pin", "--format", "junit", "--executions", "20",
                "--stats");

        assertThat(limited.code()).isEqualTo(4);
        assertThat(limited.out()).containsPattern(
                "<skipped message=\"no verdict: execution \\d+ passed 5 steps\"/>")
                .contains("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\"");
        assertThat(timed.out()).containsPattern("<testcase name=\"userptr=pin\" classname=\"" + RACE
                + "\" time=\"\\d+\\.\\d{3}\">");
    }

    @Test
    void junit_escapesWhatWouldBreakTheXml() throws Exception {
        Path odd = write("odd.scn", Catalog.find("userptr-munmap-race").text()
                .replaceFirst("(?m)^scenario \"[^\"]*\"", "scenario \"a <b> & \\\\\"c\\\\\"\""));
        Path oddName = Files.move(odd, dir.resolve("x&<y>.scn"));

        Ran r = run("check", oddName.toString(), "--design", "userptr=pin", "--format", "junit", "--executions", "20");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(children(doc.getDocumentElement(), "testsuite").get(0).getAttribute("name"))
                .isEqualTo(oddName.toString());
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
