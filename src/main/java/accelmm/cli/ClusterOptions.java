package accelmm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --cluster NAME}, {@code --member HOST:PORT} and {@code --listen HOST:PORT}: where the cluster is. */
final class ClusterOptions {

    /** The cluster's name when {@code worker} is given none. */
    static final String DEFAULT_NAME = "accelmm";

    @Option(names = "--cluster", paramLabel = "NAME", description = "join the cluster of this name: its members "
            + "run the search's tasks, exhaustive-search subtrees and sampling batches (start the others with accelmm "
            + "worker)")
    String name;

    @Option(names = "--member", paramLabel = "IP:PORT", description = "a member of the cluster to join through "
            + "(repeatable), by IP address and port; members find each other through this list only: no multicast, "
            + "no discovery")
    List<String> members = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "IP:PORT", description = "the IP address and port this member listens "
            + "on for the others (default: port 5701, or the next free one, on every address of the machine)")
    String listen;

    /** Whether a cluster was asked for; --member or --listen without --cluster is a usage error. */
    boolean given() {
        if (name == null && (!members.isEmpty() || listen != null)) {
            throw new CliError((listen != null ? "--listen" : "--member") + " goes with --cluster NAME");
        }
        return name != null;
    }

    /**
     * Joins the cluster {@code clusterName} as these options say; a usage error when this build
     * has no cluster support, an address is malformed, or the member cannot start.
     */
    ClusterSupport.Member join(String clusterName) {
        for (String m : members) {
            check("--member", m);
        }
        if (listen != null) {
            check("--listen", listen);
        }
        ClusterSupport support = ClusterSupport.find().orElseThrow(() -> new CliError("--cluster: this accelmm was "
                + "built without cluster support; bin/accelmm builds cluster/target/accelmm-cluster.jar and runs it "
                + "for worker and check --cluster"));
        try {
            return support.join(clusterName, List.copyOf(members), listen);
        } catch (IllegalStateException e) {
            throw new CliError("cannot join cluster '" + clusterName + "': " + e.getMessage());
        }
    }

    /** {@code host:port} with a port from 1 to 65535. */
    private static void check(String option, String address) {
        int colon = address.lastIndexOf(':');
        String port = colon < 0 ? "" : address.substring(colon + 1);
        boolean ok = colon > 0 && port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1
                && Integer.parseInt(port) <= 65535;
        if (!ok) {
            throw new CliError(option + ": expected IP:PORT with a port from 1 to 65535, got '" + address + "'");
        }
    }
}
