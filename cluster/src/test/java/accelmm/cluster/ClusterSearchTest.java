package accelmm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.RemoteTasks;
import accelmm.check.Strategy;
import accelmm.cli.ClusterSupport;
import accelmm.scenario.Catalog;
import accelmm.scenario.DesignKey;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioChecker;
import accelmm.sim.Deadline;
import com.hazelcast.core.HazelcastInstance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Searches whose work (DFS tasks, chunks of sampling executions) runs on Hazelcast members in
 * this JVM, on the loopback address only:
 * the result is the one a single machine gives, also when a member goes away in the middle of a
 * task (its tasks run again elsewhere: nothing is lost or counted twice).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSearchTest {

    private final List<ClusterSupport.Member> started = new ArrayList<>();

    @AfterEach
    void leave() {
        RunTask.beforeRun = hz -> { };
        for (ClusterSupport.Member m : List.copyOf(started)) {
            m.close();
        }
    }


    /** {@code n} members of a new cluster on 127.0.0.1, the first one the one that searches. */
    private List<ClusterSupport.Member> cluster(int n) {
        String name = "test-" + System.nanoTime();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addresses.add("127.0.0.1:" + LoopbackPorts.free());
        }
        List<ClusterSupport.Member> members = new ArrayList<>();
        for (String a : addresses) {
            ClusterSupport.Member m = new HazelcastCluster().join(name, addresses, a);
            started.add(m);
            members.add(m);
        }
        assertThat(members.get(0).size()).isEqualTo(n);
        return members;
    }

    /** Which member {@code hz} is (a task is given a proxy of its member, not the instance itself). */
    private static java.util.UUID uuid(HazelcastInstance hz) {
        return hz.getCluster().getLocalMember().getUuid();
    }

    private static void share(ClusterSupport.Member m, String name) {
        Catalog.Entry e = Catalog.find(name);
        m.share(e.scenario().fingerprint(), e.scenario().fileName(), e.text().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The catalog scenario {@code name} searched at 3 preemptions (DPOR, no state caching) on one
     * thread here and with its tasks on the cluster {@code searcher} belongs to: the same search.
     */
    private static void searchHereAndThere(ClusterSupport.Member searcher, String name) {
        searchHereAndThere(searcher, name, new Strategy.Dfs(3, Strategy.Reduction.DPOR, false), 50_000);
    }

    /** {@code strategy} on {@code name}, here on one thread and with its work on the cluster: the same search. */
    private static void searchHereAndThere(ClusterSupport.Member searcher, String name, Strategy strategy,
            long executions) {
        searchHereAndThere(searcher, name, Map.of(), strategy, executions);
    }

    /** {@link #searchHereAndThere} of the combinations with the design values {@code fixed}. */
    private static void searchHereAndThere(ClusterSupport.Member searcher, String name,
            Map<DesignKey, List<String>> fixed, Strategy strategy, long executions) {
        searchHereAndThere(searcher, searcher.tasks(), name, fixed, strategy, executions);
    }

    /** {@link #searchHereAndThere} with the work sent through {@code remote}. */
    private static void searchHereAndThere(ClusterSupport.Member searcher, RemoteTasks remote, String name,
            Map<DesignKey, List<String>> fixed, Strategy strategy, long executions) {
        share(searcher, name);
        Scenario scenario = Catalog.find(name).scenario();
        Budget budget = new Budget(executions, null);

        List<ScenarioChecker.CombinationResult> here = ScenarioChecker.check(scenario, fixed, strategy, budget);
        List<ScenarioChecker.CombinationResult> there = ScenarioChecker.check(scenario, fixed, strategy,
                budget.withRemote(remote));

        assertSameSearch(name, here, there);
    }

    private static void assertSameSearch(String name, List<ScenarioChecker.CombinationResult> here,
            List<ScenarioChecker.CombinationResult> there) {
        assertThat(there).hasSameSizeAs(here);
        for (int i = 0; i < here.size(); i++) {
            Exploration a = here.get(i).exploration();
            Exploration b = there.get(i).exploration();
            String what = name + " " + here.get(i).designs();
            assertThat(b.executions()).as(what).isEqualTo(a.executions());
            assertThat(b.steps()).as(what).isEqualTo(a.steps());
            assertThat(b.prunedRuns()).as(what).isEqualTo(a.prunedRuns());
            assertThat(b.coverage()).as(what).isEqualTo(a.coverage());
            assertThat(b.costs().toString()).as(what).isEqualTo(a.costs().toString());
            assertThat(b.violated()).as(what).isEqualTo(a.violated());
            if (a.violated()) {
                assertThat(there.get(i).counterexample().schedule()).as(what)
                        .isEqualTo(here.get(i).counterexample().schedule());
            }
        }
    }

    @Test
    void dfs_onThreeMembers_sameSearchAsOneMachine() {
        List<ClusterSupport.Member> members = cluster(3);
        AtomicInteger ranOnOthers = new AtomicInteger();
        java.util.UUID searcher = uuid(((HazelcastMember) members.get(0)).instance());
        RunTask.beforeRun = hz -> ranOnOthers.addAndGet(uuid(hz).equals(searcher) ? 0 : 1);
        for (String name : List.of("userptr-munmap-race", "accel-rdma-mr-outlives-exporter",
                "prime-rdma-import-eviction")) {
            searchHereAndThere(members.get(0), name);
        }
        assertThat(ranOnOthers.get()).as("tasks the other members ran").isPositive();
    }

    /** The cluster's tasks, counting how many are out at once. */
    private record InFlight(RemoteTasks cluster, AtomicInteger now, AtomicInteger most) implements RemoteTasks {

        InFlight(RemoteTasks cluster) {
            this(cluster, new AtomicInteger(), new AtomicInteger());
        }

        @Override
        public int slots() {
            return cluster.slots();
        }

        @Override
        public byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found,
                Deadline cancelled) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                return cluster.run(model, task, maxExecutions, nanosLeft, found, cancelled);
            } finally {
                now.decrementAndGet();
            }
        }
    }

    /**
     * A worker started while a search runs adds its cores to that search (not only from the next
     * combination on): more tasks are out at once than the searcher has cores, the worker runs
     * some, and the result is unchanged. Every task waits until the worker has joined, so that
     * most of the search is still to come.
     */
    @Test
    void dfs_memberJoinsInTheMiddleOfASearch_getsTasksOfThatSearch() {
        String name = "test-" + System.nanoTime();
        List<String> addresses = List.of("127.0.0.1:" + LoopbackPorts.free(), "127.0.0.1:" + LoopbackPorts.free());
        ClusterSupport.Member searcher = new HazelcastCluster().join(name, addresses, addresses.get(0));
        started.add(searcher);
        CountDownLatch joined = new CountDownLatch(1);
        AtomicBoolean joining = new AtomicBoolean();
        AtomicReference<java.util.UUID> late = new AtomicReference<>();
        AtomicInteger ranOnLate = new AtomicInteger();
        RunTask.beforeRun = hz -> {
            if (joining.compareAndSet(false, true)) {
                ClusterSupport.Member m = new HazelcastCluster().join(name, addresses, addresses.get(1));
                synchronized (started) {
                    started.add(m);
                }
                late.set(uuid(((HazelcastMember) m).instance()));
                joined.countDown();
            }
            try {
                joined.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ranOnLate.addAndGet(uuid(hz).equals(late.get()) ? 1 : 0);
        };

        int alone = searcher.tasks().slots();
        InFlight remote = new InFlight(searcher.tasks());

        searchHereAndThere(searcher, remote, "prime-rdma-import-eviction",
                Map.of(DesignKey.IMPORTER, List.of("dynamic")), new Strategy.Dfs(3, Strategy.Reduction.DPOR, false),
                50_000);

        assertThat(searcher.size()).isEqualTo(2);
        assertThat(remote.most().get()).as("tasks out at once; the searcher alone has %d slots", alone)
                .isGreaterThan(alone);
        assertThat(ranOnLate.get()).as("tasks the member that joined ran").isPositive();
    }

    @Test
    void sampling_onThreeMembers_sameExplorationAsOneMachine() {
        List<ClusterSupport.Member> members = cluster(3);
        searchHereAndThere(members.get(0), "userptr-munmap-race", new Strategy.Mixed(3), 4000);
        searchHereAndThere(members.get(0), "vm-teardown-leak", new Strategy.RandomWalk(11), 3000);
    }

    @Test
    void dfs_memberDiesInTheMiddleOfATask_itsTasksRunElsewhereToTheSameResult() {
        List<ClusterSupport.Member> members = cluster(3);
        HazelcastInstance doomed = ((HazelcastMember) members.get(2)).instance();
        java.util.UUID doomedId = uuid(doomed);
        AtomicInteger tasksOnDoomed = new AtomicInteger();
        RunTask.beforeRun = hz -> {
            if (uuid(hz).equals(doomedId) && tasksOnDoomed.incrementAndGet() == 3) {
                // Its machine goes away now: no answer for this task or any other it holds, only
                // the member gone (this thread never returns a result).
                new Thread(() -> doomed.getLifecycleService().terminate()).start();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("member stopped");
            }
        };
        searchHereAndThere(members.get(0), "prime-rdma-import-eviction");
        DistributedTasks tasks = (DistributedTasks) members.get(0).tasks();

        assertThat(tasksOnDoomed.get()).as("tasks sent to the member that died").isGreaterThanOrEqualTo(3);
        assertThat(tasks.retried()).as("tasks sent again to another member").isPositive();
        assertThat(tasks.givenBack()).as("tasks the searcher had to run itself").isZero();
        assertThat(doomed.getLifecycleService().isRunning()).isFalse();
        assertThat(members.get(0).size()).isEqualTo(2);
    }
}
