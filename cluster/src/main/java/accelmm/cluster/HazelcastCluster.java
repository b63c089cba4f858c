package accelmm.cluster;

import accelmm.cli.ClusterSupport;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * accelmm's cluster support on Hazelcast: each member is an embedded Hazelcast member of the
 * named cluster, found through the TCP/IP member list only (multicast, auto-detection and the
 * phone-home call are off; Hazelcast's own logging is silenced). A member runs search tasks (DFS
 * subtrees, sampling chunks) on an executor of one thread per core ({@value #EXECUTOR}), tells the
 * others how many cores it has and which accelmm it runs (a member of another version is refused
 * at join), and reads only accelmm's and the JDK's classes from Java serialization.
 */
public final class HazelcastCluster implements ClusterSupport {

    /** The executor that runs search tasks on each member. */
    static final String EXECUTOR = "accelmm-dfs";
    /** The map of scenario texts, by fingerprint, that members build models from. */
    static final String SCENARIOS = "accelmm-scenarios";
    /** The topic on which a running task's hand-overs and requests go back to the searcher. */
    static final String FOUND = "accelmm-found";
    /** The topic on which the searcher cancels a call: what it could still run cannot count. */
    static final String CANCEL = "accelmm-cancel";
    /** The member attribute that says which accelmm a member runs: members of one cluster agree. */
    static final String VERSION = "accelmm.version";
    /** The member attribute that says how many tasks a member runs at once. */
    static final String CORES = "accelmm.cores";
    /** The first port a member tries when none is given (Hazelcast's own default). */
    static final int DEFAULT_PORT = 5701;

    @Override
    public Member join(String name, List<String> members, String listen) {
        return join(name, members, listen, ClusterSupport.version());
    }

    /** {@link #join} as a member that says it runs accelmm {@code version} (tests play another release). */
    Member join(String name, List<String> members, String listen, String version) {
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "none");
        }
        Config config = new Config();
        config.setClusterName(name);
        config.setInstanceName("accelmm-" + name + "-" + System.nanoTime());
        config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type"));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Join at once: the member list is given, there is nothing to wait for.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // A member that goes away is noticed within seconds, not the default minute.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        int cores = Runtime.getRuntime().availableProcessors();
        config.getMemberAttributeConfig().setAttribute(CORES, Integer.toString(cores));
        config.getMemberAttributeConfig().setAttribute(VERSION, version);
        // What members send each other by Java serialization: accelmm's records and the JDK's
        // own types, nothing else (the cluster is for trusted networks all the same).
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
        filter.getWhitelist().addPrefixes("accelmm.", "java.lang.", "java.util.", "[");
        config.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        config.getExecutorConfig(EXECUTOR).setPoolSize(cores);

        NetworkConfig network = config.getNetworkConfig();
        int port = DEFAULT_PORT;
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            String host = listen.substring(0, colon);
            port = Integer.parseInt(listen.substring(colon + 1));
            network.setPortAutoIncrement(false);
            network.getInterfaces().setEnabled(true).addInterface(host);
            config.setProperty("hazelcast.socket.bind.any", "false");
        } else {
            network.setPortAutoIncrement(true).setPortCount(100);
        }
        network.setPort(port);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3).setMembers(List.copyOf(members));
        HazelcastInstance hz;
        try {
            hz = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
            String theirs = m.getAttribute(VERSION);
            if (!version.equals(theirs)) {
                hz.shutdown();
                throw new IllegalStateException("member " + m.getAddress().getHost() + ":" + m.getAddress().getPort()
                        + " runs accelmm " + theirs + ", this one " + version
                        + "; a cluster's members must run the same accelmm");
            }
        }
        hz.<String>getTopic(CANCEL).addMessageListener(m -> RunTask.CANCELLED.add(m.getMessageObject()));
        return new HazelcastMember(hz);
    }
}
