package accelmm.cluster;

import accelmm.check.RemoteTasks;
import accelmm.sim.Deadline;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** How often a call waiting on a member looks whether it was cancelled. */
    private static final long CANCEL_POLL_MILLIS = 50;

    private final HazelcastInstance hz;
    /** Tasks in flight per member; guarded by {@code this}. */
    private final Map<UUID, Integer> inFlight = new HashMap<>();
    /** Who hears the events of each call in flight, by the call's name. */
    private final Map<String, Found> listening = new ConcurrentHashMap<>();
    /** Whether this member listens to the events yet: only a member that searches does. */
    private boolean listens;
    /** Whether the searcher was told that a task ran here because no member could run it. */
    private boolean toldOfFallback;
    /** Tasks sent again because their member went away, and tasks given back to run here. */
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger givenBack = new AtomicInteger();

    DistributedTasks(HazelcastInstance hz) {
        this.hz = hz;
    }

    /** Listens to the tasks' events, from the first task this member sends out. */
    private synchronized void listen() {
        if (listens) {
            return;
        }
        listens = true;
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
    public byte[] run(byte[] model, byte[] task, long maxExecutions, long nanosLeft, Found found,
            Deadline cancelled) {
        listen();
        IExecutorService executor = hz.getExecutorService(HazelcastCluster.EXECUTOR);
        String name = UUID.randomUUID().toString();
        long end = nanosLeft == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanosLeft;
        listening.put(name, found);
        try {
            return attempt(executor, name, model, task, maxExecutions, end, found, cancelled);
        } catch (UncheckedIOException e) {
            givenBack.incrementAndGet();
            tellOfFallback(e);
            throw e;
        } finally {
            listening.remove(name);
        }
    }

    /**
     * Runs the work on a member, on another when its member goes away; each attempt gets the
     * time left to {@code end}, and a cancel when {@code cancelled} passes while it runs.
     */
    private byte[] attempt(IExecutorService executor, String name, byte[] model, byte[] task, long maxExecutions,
            long end, Found found, Deadline cancelled) {
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long left = end == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, end - System.nanoTime());
            RunTask call = new RunTask(name, model, task, maxExecutions, left);
            Member member = leastLoaded();
            try {
                if (member.localMember()) {
                    return call.runOn(hz, found, cancelled);
                }
                return await(executor.submitToMember(call, member), name, cancelled);
            } catch (ExecutionException e) {
                // Hazelcast's MemberLeftException is itself an ExecutionException, with no cause.
                if (!memberWentAway(e) && !memberWentAway(e.getCause())) {
                    throw new UncheckedIOException(new IOException("a member failed a search task: "
                            + (e.getCause() != null ? e.getCause() : e), e));
                }
                retried.incrementAndGet();
                last = e;
            } catch (RuntimeException e) {
                if (!memberWentAway(e)) {
                    throw e;
                }
                retried.incrementAndGet();
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

    /** The outcome of {@code f}; once {@code cancelled} passes, the call's member is told to stop it. */
    private byte[] await(Future<byte[]> f, String name, Deadline cancelled)
            throws ExecutionException, InterruptedException {
        boolean told = false;
        while (true) {
            try {
                return f.get(CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!told && cancelled.passed()) {
                    hz.<String>getTopic(HazelcastCluster.CANCEL).publish(name);
                    told = true;
                }
            }
        }
    }

    /** Says once, on stderr, that the search runs work here because no member could. */
    private synchronized void tellOfFallback(UncheckedIOException e) {
        if (!toldOfFallback) {
            toldOfFallback = true;
            System.err.println("accelmm: cluster: " + e.getCause().getMessage() + "; running it on this machine");
        }
    }

    /** Tasks sent again because their member went away (for tests). */
    int retried() {
        return retried.get();
    }

    /** Tasks given back to the search to run on its own thread because no member could (for tests). */
    int givenBack() {
        return givenBack.get();
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
