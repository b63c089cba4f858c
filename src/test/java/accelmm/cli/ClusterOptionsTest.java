package accelmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.cli.Cli.Ran;
import org.junit.jupiter.api.Test;

/**
 * The cluster options of the core jar, which has no cluster support: each use says how to get it
 * or what is wrong, in one line with exit 2, and nothing runs.
 */
class ClusterOptionsTest {

    private static final String NO_SUPPORT = "accelmm: --cluster: this accelmm was built without cluster support;"
            + " bin/accelmm builds cluster/target/accelmm-cluster.jar and runs it for worker and check --cluster\n";

    @Test
    void check_clusterWithoutClusterSupport_saysHowToGetIt() {
        Ran r = Cli.run("check", "catalog/userptr-munmap-race", "--cluster", "lab", "--member", "127.0.0.1:5701");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(NO_SUPPORT);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void worker_withoutClusterSupport_saysHowToGetIt() {
        Ran r = Cli.run("worker", "--member", "127.0.0.1:5701");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(NO_SUPPORT);
    }

    @Test
    void check_memberWithoutCluster_refused() {
        Ran r = Cli.run("check", "catalog/userptr-munmap-race", "--member", "127.0.0.1:5701");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --member goes with --cluster NAME\n");
    }

    @Test
    void check_listenWithoutPort_refusedBeforeAnythingRuns() {
        Ran r = Cli.run("check", "catalog/userptr-munmap-race", "--cluster", "lab", "--listen", "127.0.0.1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("accelmm: --listen: expected IP:PORT with a port from 1 to 65535, got"
                + " '127.0.0.1'\n");
    }
}
