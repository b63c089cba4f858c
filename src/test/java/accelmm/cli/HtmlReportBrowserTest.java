package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import accelmm.cli.Cli.Ran;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --html} opened in a real headless Chromium (Debian's, which {@code .ci/run}
 * installs when missing; without one the test is skipped, saying so): the page renders without a
 * console error, holds a sequence diagram per violation with a lane per actor and the breaking step
 * marked, links each step to its scenario line, draws who held whom when each violation's run
 * ended (the stale reference in red), and works with no network. A screenshot is kept
 * as {@code target/html-report.png}.
 */
class HtmlReportBrowserTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void htmlReport_inChromium_rendersTheDiagramsWithTheirLanesAndNoConsoleError() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "no Chromium on this machine (.ci/run installs Debian's chromium)");
        Path html = dir.resolve("report.html");
        Ran r = Cli.run("check", "catalog/userptr-munmap-race", "catalog/vm-teardown-leak", "--html", html.toString(),
                "--executions", "300");
        assertThat(r.code()).isZero();
        String page = Files.readString(html, StandardCharsets.UTF_8);
        // Self-contained: nothing fetched from elsewhere.
        assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script src", "@import");

        Run dom = chromium(chromium, "--dump-dom", html.toUri().toString());
        Path screenshot = Path.of("target", "html-report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Run shot = chromium(chromium, "--screenshot=" + screenshot, "--window-size=1100,1600", html.toUri().toString());

        assertThat(dom.exit()).as(dom.err()).isZero();
        assertThat(consoleErrors(dom.err() + shot.err())).isEmpty();
        String rendered = dom.out();
        // Two violations, two diagrams; the race's lanes and its breaking step, marked and numbered.
        assertThat(count(rendered, "<svg class=\"sequence\"")).isEqualTo(2);
        assertThat(rendered).contains("data-actor=\"A.main\"", "data-actor=\"A.unmapper\"", "data-actor=\"gpu0 engine\"",
                "data-actor=\"(end of run)\"");
        Matcher breaking = Pattern.compile("<g class=\"step violation\" data-step=\"(\\d+)\">").matcher(rendered);
        List<String> broken = new ArrayList<>();
        while (breaking.find()) {
            broken.add(breaking.group(1));
        }
        assertThat(broken).hasSize(2);
        assertThat(rendered).contains("use-after-free at step " + broken.get(0) + " (gpu0 engine)");
        // Each linked step points at a statement line that the page lists.
        Matcher link = Pattern.compile("<a href=\"#(s\\d+-L\\d+)\">").matcher(rendered);
        int links = 0;
        while (link.find()) {
            links++;
            assertThat(rendered).contains("<span id=\"" + link.group(1) + "\">");
        }
        assertThat(links).isGreaterThan(10);
        assertThat(rendered).contains("<table class=\"verdicts\">", "violation leak", "<pre class=\"costs\">");
        // Per violation, who held whom when it ended: the race's GPU page table still maps the
        // freed frames (drawn stale), the leak's VM and object hold each other.
        assertThat(count(rendered, "<svg class=\"objects\"")).isEqualTo(2);
        assertThat(rendered).contains("data-kind=\"process\" data-label=\"A[1]\"",
                "data-kind=\"vm\" data-label=\"gpu0 vm 1\"", "data-kind=\"gem\" data-label=\"gpu0 gem object 1 (16K)\"",
                "<g class=\"ref\" data-via=\"back-reference\">");
        assertThat(rendered).containsPattern("<g class=\"node frame stale\" data-kind=\"frame\" data-label=\"pfn \\d+\\.\\.\\d+\">");
        assertThat(rendered).containsPattern("<g class=\"ref stale\" data-via=\"gpu pte 0x100000\\.\\.0x103000 "
                + "\\(stale: frame freed\\)\">");
        assertThat(shot.exit()).as(shot.err()).isZero();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    /** What Chromium printed: its exit code, stdout and stderr. */
    private record Run(int exit, String out, String err) {
    }

    private Run chromium(String chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + dir.resolve("profile"),
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    /** The page's console messages at error level, and uncaught errors (Chromium logs them as CONSOLE). */
    private static List<String> consoleErrors(String log) {
        return log.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList();
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** Debian's chromium (or chromium-browser), or null. */
    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }
}
