package accelmm.report;

import accelmm.check.CostSummary;
import accelmm.check.ShardedDfs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A shard's part of a DFS ({@link ShardedDfs}) in the JSON of {@code accelmm check --shard I/N}:
 * one object per task it ran, in key order, and the same read back for {@code accelmm merge}.
 * A task that ended the shard's search names how ({@code "ending"}); its execution is the
 * shard's {@code "schedule"}.
 */
final class ShardedDfsJson {

    private ShardedDfsJson() {
    }

    static List<Object> json(ShardedDfs part) {
        List<Object> tasks = new ArrayList<>();
        for (ShardedDfs.Task t : part.tasks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> key = new ArrayList<>();
            for (int k : t.key()) {
                key.add((long) k);
            }
            m.put("key", key);
            m.put("executions", t.executions());
            m.put("steps", t.steps());
            m.put("prunedRuns", t.prunedRuns());
            m.put("exhausted", t.exhausted());
            m.put("boundHit", t.boundHit());
            if (t.ending() != ShardedDfs.Ending.NONE) {
                m.put("ending", t.ending().name().toLowerCase(Locale.ROOT));
            }
            m.put("costs", CostTable.json(t.costs()));
            tasks.add(m);
        }
        return tasks;
    }

    /** The part recorded in a shard's {@code "shard"} object; bad input: an IllegalArgumentException. */
    static ShardedDfs read(Map<String, Object> details) {
        if (!(details.get("dfsTasks") instanceof List<?> list) || !(details.get("dfsMaxExecutions") instanceof Long max)
                || max < 1) {
            throw new IllegalArgumentException("a shard's DFS without its tasks or budget");
        }
        List<ShardedDfs.Task> tasks = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("a DFS task that is not a JSON object");
            }
            tasks.add(task(m));
        }
        if (!(details.get("dfsBeyondBudget") instanceof Boolean beyond)) {
            throw new IllegalArgumentException("a shard's DFS that does not say whether tasks lay past its budget");
        }
        return new ShardedDfs(max, tasks, beyond);
    }

    private static ShardedDfs.Task task(Map<?, ?> m) {
        if (!(m.get("key") instanceof List<?> key)) {
            throw new IllegalArgumentException("a DFS task without its key");
        }
        int[] k = new int[key.size()];
        for (int i = 0; i < k.length; i++) {
            if (!(key.get(i) instanceof Long n) || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a DFS task's key " + key + " is not a list of integers");
            }
            k[i] = (int) (long) n;
        }
        ShardedDfs.Ending ending = ending(m.get("ending"));
        CostSummary costs = CostTable.read(m);
        return new ShardedDfs.Task(k, count(m, "executions"), count(m, "steps"), count(m, "prunedRuns"),
                flag(m, "exhausted"), flag(m, "boundHit"), ending, costs);
    }

    private static ShardedDfs.Ending ending(Object text) {
        if (text == null) {
            return ShardedDfs.Ending.NONE;
        }
        for (ShardedDfs.Ending e : ShardedDfs.Ending.values()) {
            if (e != ShardedDfs.Ending.NONE && e.name().toLowerCase(Locale.ROOT).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("a DFS task's \"ending\" is neither violation nor step_limit: " + text);
    }

    private static long count(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Long n) || n < 0) {
            throw new IllegalArgumentException("a DFS task's \"" + key + "\" is not a count");
        }
        return n;
    }

    private static boolean flag(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException("a DFS task's \"" + key + "\" is not true or false");
        }
        return b;
    }
}
