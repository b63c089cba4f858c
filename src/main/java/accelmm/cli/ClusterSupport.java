package accelmm.cli;

import accelmm.check.RemoteTasks;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A cluster of accelmm JVMs, on this machine or others, that run the tasks of a search's
 * exhaustive part ({@link RemoteTasks}). The core jar has none: the {@code accelmm-cluster}
 * module (built from {@code cluster/} with Hazelcast) provides one through {@link ServiceLoader},
 * and {@code bin/accelmm} runs that jar for {@code worker} and {@code check --cluster}.
 */
public interface ClusterSupport {

    /**
     * Starts a member here and joins the cluster {@code name} through the members listed
     * ({@code host:port}; none: it forms one), listening on {@code listen} ({@code host:port},
     * or null for the implementation's default).
     *
     * @throws IllegalStateException with a one-line reason when it cannot start or join
     */
    Member join(String name, List<String> members, String listen);

    /** This accelmm's version: the members of one cluster must run the same one. */
    static String version() {
        return Main.version();
    }

    /** The cluster support on the class path, if this build has one. */
    static Optional<ClusterSupport> find() {
        return ServiceLoader.load(ClusterSupport.class).findFirst();
    }

    /** This JVM as a member of a cluster. Closing it leaves the cluster. */
    interface Member extends AutoCloseable {

        /** Where the other members reach this one: {@code host:port}. */
        String address();

        /** The members now, this one included. */
        int size();

        /**
         * Gives every member the text of a scenario, from which they build its models: {@code
         * fingerprint} is the loaded scenario's, which the models' descriptions name.
         */
        void share(String fingerprint, String fileName, byte[] text);

        /** The cluster as a place to run a DFS's tasks: every member, this one included. */
        RemoteTasks tasks();

        /** Leaves the cluster. */
        @Override
        void close();
    }
}
