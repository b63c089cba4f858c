package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cluster.HazelcastCluster;
import accelmm.cluster.LoopbackPorts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code accelmm check --cluster} with the cluster support on the class path: with two more
 * members on the loopback address, the report is the one {@code check} prints on one machine,
 * byte for byte, as text and as JSON (each combination's {@code elapsedNanos} aside), for a DFS
 * and for the default strategy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterCommandsTest {

    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, out, err);
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The report with JSON's elapsed times, the one field two runs of a search differ in, set to 0. */
    private static String untimed(String report) {
        return report.replaceAll("\"elapsedNanos\": \\d+", "\"elapsedNanos\": 0");
    }

    @Test
    void check_withTwoWorkers_sameReportAsOneMachine() {
        String name = "cli-" + System.nanoTime();
        String a = "127.0.0.1:" + LoopbackPorts.free();
        String b = "127.0.0.1:" + LoopbackPorts.free();
        List<ClusterSupport.Member> workers = new ArrayList<>();
        try {
            workers.add(new HazelcastCluster().join(name, List.of(a, b), a));
            workers.add(new HazelcastCluster().join(name, List.of(a, b), b));
            for (String format : List.of("text", "json", "auto")) {
                // The default strategy (auto: a DFS and sampling) in text; a DFS alone in text and JSON.
                String[] check = format.equals("auto")
                        ? new String[] {"check", "catalog/userptr-munmap-race", "catalog/accel-rdma-mr-outlives-exporter"}
                        : new String[] {"check", "catalog/userptr-munmap-race", "catalog/vm-teardown-leak", "--strategy",
                            "dfs", "--preemptions", "3", "--format", format};
                Ran alone = run(check);
                List<String> clustered = new ArrayList<>(List.of(check));
                clustered.addAll(List.of("--cluster", name, "--member", a, "--listen",
                        "127.0.0.1:" + LoopbackPorts.free()));
                Ran together = run(clustered.toArray(String[]::new));

                assertThat(together.code()).as(together.err()).isEqualTo(alone.code());
                assertThat(untimed(together.out())).isEqualTo(untimed(alone.out()));
                assertThat(together.err()).contains("cluster '" + name + "': 3 members");
            }
        } finally {
            workers.forEach(ClusterSupport.Member::close);
        }
    }

    @Test
    void check_clusterWithShard_refused() {
        Ran r = run("check", "catalog/userptr-munmap-race", "--cluster", "x", "--shard", "1/2");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --cluster shares the work out itself: run it without --shard\n");
    }

    @Test
    void worker_malformedMember_oneLineAndExit2() {
        Ran r = run("worker", "--member", "10.0.0.1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --member: expected IP:PORT with a port from 1 to 65535, got"
                + " '10.0.0.1'\n");
    }
}
