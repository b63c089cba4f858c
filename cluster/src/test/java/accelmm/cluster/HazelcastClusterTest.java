package accelmm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.cli.ClusterSupport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Joining a cluster, on the loopback address only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastClusterTest {

    /**
     * Members of two accelmm releases could read each other's tasks differently: the one that
     * joins sees the other's release and leaves, saying which member runs what; the cluster goes
     * on without it.
     */
    @Test
    void join_memberOfAnotherRelease_refusedNamingItsAddressAndRelease() throws InterruptedException {
        String name = "version-" + System.nanoTime();
        String older = "127.0.0.1:" + LoopbackPorts.free();
        String newer = "127.0.0.1:" + LoopbackPorts.free();
        List<String> both = List.of(older, newer);
        ClusterSupport.Member first = new HazelcastCluster().join(name, both, older, "0.0.1-older");
        try {
            assertThatThrownBy(() -> new HazelcastCluster().join(name, both, newer))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("member " + older + " runs accelmm 0.0.1-older, this one " + ClusterSupport.version()
                            + "; a cluster's members must run the same accelmm");

            // The leaving member's shutdown reaches the other within a heartbeat or two.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (first.size() > 1 && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(first.size()).as("the member that was there first, alone again").isEqualTo(1);
        } finally {
            first.close();
        }
    }
}
