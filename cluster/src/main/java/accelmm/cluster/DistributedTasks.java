package accelmm.cluster;

import accelmm.check.RemoteTasks;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The cluster as a place to run a search's work (DFS tasks, chunks of sampling executions): each
 * goes to the member with the fewest tasks in flight per core; a task whose member left before it
 * answered goes to another (a task is a
 * pure function of its bytes, so nothing is counted twice). The tasks a running task hands over
 * come back on the cluster's topic, named by the call, and go to the search at once (a retried
 * call tells them again; the search takes each once). Slots: the cores of every member.
 */
final class DistributedTasks implements RemoteTasks {

    /** Attempts of one task before it runs on the searching thread instead. */
    private static final int ATTEMPTS = 8;

    private final HazelcastInstance hz;
    /** Tasks in flight per member; guarded by {@code this}. */
    private final Map<UUID, Integer> inFlight = new HashMap<>();
    /** Who hears the events of each call in flight, by the call's name. */
    private final Map<String, Found> listening = new ConcurrentHashMap<>();

    DistributedTasks(HazelcastInstance hz) {
        this.hz = hz;
        hz.<FoundMessage>getTopic(HazelcastCluster.FOUND).addMessageListener(m -> {
            FoundMessage f = m.getMessageObject();
            Found to = listening.get(f.call());
            if (to != null) {
                to.found(f.seq(), f.event());
            }
        });
    }

    @Override
    public int slots() {
        int n = 0;
        for (Member m : hz.getCluster().getMembers()) {
            n += cores(m);
        }
        return Math.max(1, n);
    }

    @Override
    public byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found) {
        IExecutorService executor = hz.getExecutorService(HazelcastCluster.EXECUTOR);
        String name = UUID.randomUUID().toString();
        RunTask call = new RunTask(name, model, task, maxExecutions, nanosLeft);
        listening.put(name, found);
        try {
            return attempt(executor, call, found);
        } finally {
            listening.remove(name);
        }
    }

    /** Runs {@code call} on a member, on another when its member goes away. */
    private byte[] attempt(IExecutorService executor, RunTask call, Found found) {
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Member member = leastLoaded();
            try {
                if (member.localMember()) {
                    return call.runOn(hz, found);
                }
                Future<byte[]> f = executor.submitToMember(call, member);
                return f.get();
            } catch (ExecutionException e) {
                if (!memberWentAway(e.getCause())) {
                    throw new UncheckedIOException(new IOException("a member failed a search task: " + e.getCause(), e));
                }
                last = e;
            } catch (RuntimeException e) {
                if (!memberWentAway(e)) {
                    throw e;
                }
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted while a member ran a search task", e));
            } finally {
                done(member);
            }
        }
        throw new UncheckedIOException(new IOException("no member could run a search task", last));
    }

    /** Whether {@code e} says the task's member left or stopped, so another may run it. */
    private static boolean memberWentAway(Throwable e) {
        return e instanceof MemberLeftException || e instanceof TargetNotMemberException
                || e instanceof HazelcastInstanceNotActiveException;
    }

    /** The member with the fewest tasks in flight per core, counted as taken. */
    private synchronized Member leastLoaded() {
        Member best = null;
        double load = Double.MAX_VALUE;
        for (Member m : hz.getCluster().getMembers()) {
            double l = (double) inFlight.getOrDefault(m.getUuid(), 0) / cores(m);
            if (l < load) {
                best = m;
                load = l;
            }
        }
        inFlight.merge(best.getUuid(), 1, Integer::sum);
        return best;
    }

    private synchronized void done(Member m) {
        inFlight.computeIfPresent(m.getUuid(), (k, v) -> v > 1 ? v - 1 : null);
    }

    private static int cores(Member m) {
        String c = m.getAttribute(HazelcastCluster.CORES);
        try {
            return c == null ? 1 : Math.max(1, Integer.parseInt(c));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
