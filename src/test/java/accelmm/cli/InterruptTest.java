package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ctrl-C during a long check, in a JVM of its own: the search stops, the results explored so far
 * are printed marked as interrupted, the files not begun are named, and the process exits with
 * 128 plus the signal's number. SIGINT where this JVM lets its children receive it (a shell
 * without job control starts background jobs with SIGINT ignored, and the JVM keeps it so);
 * SIGTERM, which the same shutdown handles, otherwise.
 */
class InterruptTest {

    /** SIGINT's bit in /proc's signal masks. */
    private static final long SIGINT_BIT = 1L << 1;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void check_interrupted_printsTheResultsSoFarMarkedAndNamesTheFilesNotBegun() throws Exception {
        boolean sigint = !sigintIgnored();
        // A search that prints its size estimate on stderr as it begins, then runs for minutes.
        Process p = new ProcessBuilder(List.of(java(), "-Djdk.virtualThreadScheduler.parallelism=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check",
                "catalog/userptr-munmap-race", "catalog/eviction-races-job", "--strategy", "dfs", "--width", "1000",
                "--preemptions", "unbounded", "--state-caching", "off", "--reduction", "none",
                "--executions", "100000000"))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String first = err.readLine();
        assertThat(first).contains("catalog/userptr-munmap-race userptr=hmm (1/3): about");
        // Into the search (an interrupt before its first execution ends shows as such, below).
        Thread.sleep(1_500);

        new ProcessBuilder("kill", sigint ? "-INT" : "-TERM", Long.toString(p.pid())).start().waitFor();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(sigint ? 130 : 143);
        // The first combination cut, the other two and the second file not begun, each named.
        assertThat(out.get()).contains("scenario \"userptr mirror survives munmap race\"",
                        "interrupted: the results explored until then (a combination under way was cut short);"
                                + " not begun: 3 (catalog/userptr-munmap-race userptr=pin,"
                                + " catalog/userptr-munmap-race userptr=hmm-no-retry, catalog/eviction-races-job)")
                .containsPattern("(?m)^  userptr=hmm  (clean .*incomplete: interrupted after \\d+ executions|"
                        + "interrupted .*interrupted before an execution finished)$")
                .doesNotContain("eviction of a VRAM buffer", "budget (--executions or --time) ran out");
    }

    @Test
    void merge_refusesAnInterruptedShard() throws IOException {
        Path shard = Files.createTempFile("shard", ".json");
        try {
            Files.writeString(shard, "{\"scenarios\": [], \"allHold\": false, \"interrupted\": {\"notBegun\": []},"
                    + " \"shard\": \"1/1\", \"run\": {}}");

            Cli.Ran r = Cli.run("merge", shard.toString());

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("accelmm: " + shard
                    + ": this shard was interrupted (Ctrl-C) before it finished; run it again\n");
        } finally {
            Files.delete(shard);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /** Whether this JVM ignores SIGINT (its children then do too): bit 1 of /proc's SigIgn. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & SIGINT_BIT) != 0;
            }
        }
        return true;
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
