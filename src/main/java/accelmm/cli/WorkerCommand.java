package accelmm.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code accelmm worker}: a member of a cluster that runs the DFS tasks {@code check --cluster}
 * hands out, until it is stopped (SIGINT or SIGTERM), when it leaves the cluster; the tasks it
 * was running run again on another member.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Join a cluster and run the search tasks (exhaustive-search subtrees, sampling batches) that "
            + "accelmm check --cluster hands out, until stopped with Ctrl-C or SIGTERM.",
            "Tasks a worker was running when it stopped run again on another member: nothing is lost or counted "
            + "twice. Without --cluster it joins the cluster named accelmm."},
        footer = {"", "Example (two machines, then the check from a third or either):",
            "  accelmm worker --cluster lab --listen 10.0.0.1:5701 --member 10.0.0.2:5701",
            "  accelmm worker --cluster lab --listen 10.0.0.2:5701 --member 10.0.0.1:5701",
            "  accelmm check DIR --cluster lab --member 10.0.0.1:5701 --strategy dfs"})
final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        String name = cluster.name != null ? cluster.name : ClusterOptions.DEFAULT_NAME;
        ClusterSupport.Member member = cluster.join(name);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread leave = new Thread(() -> {
            member.close();
            stopped.countDown();
        }, "accelmm worker leave");
        Runtime.getRuntime().addShutdownHook(leave);
        Terminal.err(spec).println("accelmm worker: member " + member.address() + " of cluster '" + name + "' ("
                + member.size() + (member.size() == 1 ? " member" : " members") + "); Ctrl-C or SIGTERM leaves it");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
