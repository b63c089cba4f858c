package accelmm.cluster;

import accelmm.check.RemoteTasks;
import accelmm.cli.ClusterSupport;
import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;

/** This JVM as a member of a Hazelcast cluster (see {@link HazelcastCluster}). */
final class HazelcastMember implements ClusterSupport.Member {

    private final HazelcastInstance hz;
    private final DistributedTasks tasks;

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
    }

    @Override
    public RemoteTasks tasks() {
        return tasks;
    }

    @Override
    public void close() {
        if (hz.getLifecycleService().isRunning()) {
            hz.shutdown();
        }
    }
}
