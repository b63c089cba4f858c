package accelmm.cluster;

import accelmm.check.RemoteTasks;
import accelmm.scenario.ModelCoverage;
import accelmm.scenario.Scenario;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.Deadline;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.topic.ITopic;
import java.io.Serializable;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One piece of a search sent to a member (a DFS task or a chunk of sampling executions): the
 * model's description, the work's bytes and its limits. The member builds the model (once per
 * description: the scenario's text comes from the cluster's map, by fingerprint) and runs the
 * work with {@link RemoteTasks#runHere}, publishing the tasks it hands over or asks for on the
 * cluster's topic as it does ({@link FoundMessage}) and stopping early when the searcher cancels
 * the call ({@link #CANCELLED}); the outcome's bytes come back.
 */
final class RunTask implements Callable<byte[]>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;

    /**
     * Called with the member before each task runs: tests stop a member there, as if its machine
     * went away in the middle of a task. Does nothing otherwise.
     */
    static volatile java.util.function.Consumer<HazelcastInstance> beforeRun = hz -> { };

    /** How many cancelled calls a member remembers. */
    private static final int CANCELS_KEPT = 16_384;

    /**
     * The calls the searcher cancelled (what they could still run cannot count), until they end.
     * A cancel may come before its call starts here, or after it ended, when nothing removes it,
     * and every member hears the cancels of every member's calls: only the latest {@value
     * #CANCELS_KEPT} are kept (about a megabyte), far more than the calls a member can have waiting.
     */
    static final Set<String> CANCELLED = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CANCELS_KEPT;
                }
            }));

    /** The models built here, by their description, the latest few: a search sends many tasks of one model. */
    private static final Map<String, ScenarioModel> MODELS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ScenarioModel> eldest) {
            return size() > 32;
        }
    };

    private final String call;
    private final byte[] model;
    private final byte[] task;
    private final long maxExecutions;
    private final long nanosLeft;
    private transient HazelcastInstance hz;

    /** Work {@code task} of {@code model}; {@code call} names it in the events it sends back and in a cancel. */
    RunTask(String call, byte[] model, byte[] task, long maxExecutions, long nanosLeft) {
        this.call = call;
        this.model = model;
        this.task = task;
        this.maxExecutions = maxExecutions;
        this.nanosLeft = nanosLeft;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public byte[] call() {
        ITopic<FoundMessage> found = hz.getTopic(HazelcastCluster.FOUND);
        try {
            return runOn(hz, (seq, event) -> found.publish(new FoundMessage(call, seq, event)),
                    () -> CANCELLED.contains(call));
        } finally {
            CANCELLED.remove(call);
        }
    }

    /**
     * Runs the work on member {@code member}, telling {@code found} of the tasks it hands over or
     * asks for, until its time is up or {@code cancelled} passes: {@link #call} on the member it
     * was sent to, or directly on the searching member, which skips the executor and the topic
     * (the work and its outcome still travel as bytes).
     */
    byte[] runOn(HazelcastInstance member, RemoteTasks.Found found, Deadline cancelled) {
        this.hz = member;
        beforeRun.accept(member);
        long end = System.nanoTime() + nanosLeft;
        Deadline deadline = nanosLeft == Long.MAX_VALUE ? cancelled
                : () -> cancelled.passed() || System.nanoTime() - end >= 0;
        return RemoteTasks.runHere(model(), task, maxExecutions, deadline, found);
    }

    private ScenarioModel model() {
        String key = Base64.getEncoder().encodeToString(model);
        synchronized (MODELS) {
            ScenarioModel m = MODELS.get(key);
            if (m == null) {
                m = ScenarioModel.fromPortable(model, this::scenario);
                MODELS.put(key, m);
            }
            return m;
        }
    }

    private Scenario scenario(String fingerprint) {
        ScenarioText text = hz.<String, ScenarioText>getMap(HazelcastCluster.SCENARIOS).get(fingerprint);
        return text == null ? null : ModelCoverage.parse(text.fileName(), text.text());
    }
}
