package accelmm.cluster;

import accelmm.check.RemoteTasks;
import accelmm.cli.ClusterSupport;
import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;

/** This JVM as a member of a Hazelcast cluster (see {@link HazelcastCluster}). */
final class HazelcastMember implements ClusterSupport.Member {

    private final HazelcastInstance hz;
    private final DistributedTasks tasks;
    /** The fingerprints of the texts this member shared. */
    private final java.util.Set<String> shared = new java.util.LinkedHashSet<>();

    HazelcastMember(HazelcastInstance hz) {
        this.hz = hz;
        this.tasks = new DistributedTasks(hz);
    }

    /** The Hazelcast member itself (tests stop one as if its machine went away). */
    HazelcastInstance instance() {
        return hz;
    }

    @Override
    public String address() {
        Address a = hz.getCluster().getLocalMember().getAddress();
        return a.getHost() + ":" + a.getPort();
    }

    @Override
    public int size() {
        return hz.getCluster().getMembers().size();
    }

    @Override
    public void share(String fingerprint, String fileName, byte[] text) {
        hz.<String, ScenarioText>getMap(HazelcastCluster.SCENARIOS).put(fingerprint, new ScenarioText(fileName, text));
        shared.add(fingerprint);
    }

    @Override
    public RemoteTasks tasks() {
        return tasks;
    }

    /** Takes the texts it shared out of the cluster's map (long-lived workers keep no others), then leaves. */
    @Override
    public void close() {
        if (hz.getLifecycleService().isRunning()) {
            shared.forEach(fp -> hz.getMap(HazelcastCluster.SCENARIOS).delete(fp));
            hz.shutdown();
        }
    }
}
