package accelmm.check;

import accelmm.scenario.Catalog;
import accelmm.scenario.DesignKey;
import accelmm.scenario.ScenarioChecker;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.Deadline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a cluster can give a DFS, estimated from the search's own tasks: runs the search of a
 * catalog scenario's combination task by task on one thread (twice, timing the second), records
 * each task's compute time, who made it and when, then replays the task graph on P slots with a
 * per-task overhead, taking the first ready task in the search's order as {@link DfsSearch} does.
 * Two cases: a task's children ready only when it ends, and ready when they are handed over (as
 * {@link RemoteTasks} streams them back while the task runs).
 *
 * <p>Not a test: {@code java -cp target/test-classes:target/classes:... accelmm.check.DfsTaskScaling
 * NAME KEY=VALUE PREEMPTIONS OVERHEAD_MS}.
 */
public final class DfsTaskScaling {

    /** One task of the search: its order key, its maker, when the maker made it, and its compute time. */
    private record Task(int[] key, int maker, long madeAtNanos, long computeNanos, long executions) {
    }

    private DfsTaskScaling() {
    }

    public static void main(String[] args) {
        String name = args[0];
        String[] kv = args[1].split("=");
        int preemptions = Integer.parseInt(args[2]);
        double overheadMs = Double.parseDouble(args[3]);
        Map<DesignKey, String> combination = ScenarioChecker.combinations(Catalog.find(name).scenario()).stream()
                .filter(c -> kv[1].equals(c.get(DesignKey.named(kv[0]).orElseThrow()))).findFirst().orElseThrow();
        ScenarioModel model = new ScenarioModel(Catalog.find(name).scenario(), combination);
        Strategy.Dfs dfs = new Strategy.Dfs(preemptions, Strategy.Reduction.DPOR, false);
        record(model, dfs);
        List<Task> tasks = record(model, dfs);
        long work = tasks.stream().mapToLong(Task::computeNanos).sum();
        long executions = tasks.stream().mapToLong(Task::executions).sum();
        System.out.printf("%s %s, dfs(preemptions %d, dpor): %d executions in %d tasks, %.1f ms of compute"
                + " (%.2f ms per task, %.1f executions per task); overhead %.2f ms per task%n", name, args[1],
                preemptions, executions, tasks.size(), work / 1e6, work / 1e6 / tasks.size(),
                (double) executions / tasks.size(), overheadMs);
        long overhead = (long) (overheadMs * 1e6);
        for (int slots : new int[] {1, 2, 4, 8, 20, 40, 200}) {
            double atEnd = makespan(tasks, slots, overhead, false) / 1e6;
            double streamed = makespan(tasks, slots, overhead, true) / 1e6;
            System.out.printf("  %3d slots: %8.1f ms (speed-up %5.2f); hand-overs streamed: %8.1f ms (speed-up %5.2f)%n",
                    slots, atEnd, work / 1e6 / atEnd, streamed, work / 1e6 / streamed);
        }
    }

    /** Runs the whole search task by task in key order on this thread, recording each task. */
    private static List<Task> record(ScenarioModel model, Strategy.Dfs dfs) {
        TreeMap<int[], DfsTask> pending = new TreeMap<>(Arrays::compare);
        TreeSet<int[]> made = new TreeSet<>(Arrays::compare);
        TreeMap<int[], int[]> makerOf = new TreeMap<>(Arrays::compare);
        TreeMap<int[], Long> madeAt = new TreeMap<>(Arrays::compare);
        List<Task> out = new ArrayList<>();
        TreeMap<int[], Integer> index = new TreeMap<>(Arrays::compare);
        DfsTask root = DfsTask.root(dfs, DfsTask.DONATE_EVERY);
        pending.put(root.key, root);
        made.add(root.key);
        while (!pending.isEmpty()) {
            DfsTask t = pending.pollFirstEntry().getValue();
            long start = System.nanoTime();
            DfsTask.Host host = new DfsTask.Host() {
                @Override
                public boolean stop(DfsTask task) {
                    return false;
                }

                @Override
                public void discovered(DfsTask parent, List<DfsTask> children) {
                    add(children);
                }

                @Override
                public void requested(DfsTask requester, List<DfsTask> requests) {
                    add(requests);
                }

                private void add(List<DfsTask> tasks) {
                    long at = System.nanoTime() - start;
                    for (DfsTask c : tasks) {
                        if (made.add(c.key)) {
                            pending.put(c.key, c);
                            makerOf.put(c.key, t.key);
                            madeAt.put(c.key, at);
                        }
                    }
                }

                @Override
                public void ran() {
                }

                @Override
                public boolean settled(DfsTask task) {
                    return true;
                }
            };
            t.run(model, host, Deadline.NONE);
            long compute = System.nanoTime() - start;
            int[] maker = makerOf.get(t.key);
            index.put(t.key, out.size());
            out.add(new Task(t.key, maker == null ? -1 : index.get(maker), madeAt.getOrDefault(t.key, 0L), compute,
                    t.executions()));
        }
        return out;
    }

    /**
     * The time {@code slots} slots take to run every task, each taking its compute time plus
     * {@code overhead}; a task is ready when its maker ended, or, {@code streamed}, when its
     * maker made it (plus the overhead's half for the way back). Free slots take the first ready
     * task in key order.
     */
    private static long makespan(List<Task> tasks, int slots, long overhead, boolean streamed) {
        List<List<Integer>> made = new ArrayList<>();
        tasks.forEach(t -> made.add(new ArrayList<>()));
        for (int i = 1; i < tasks.size(); i++) {
            made.get(tasks.get(i).maker()).add(i);
        }
        // Ready tasks by key order (their index is key order: the recording ran them in it).
        PriorityQueue<Integer> readyQueue = new PriorityQueue<>();
        PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        events.add(new long[] {0, 0, 0}); // {time, kind 0 = ready, task}
        int free = slots;
        long now = 0;
        int done = 0;
        while (done < tasks.size()) {
            long[] e = events.poll();
            now = e[0];
            int task = (int) e[2];
            if (e[1] == 0) {
                readyQueue.add(task);
            } else {
                free++;
                done++;
                for (int c : made.get(task)) {
                    if (!streamed) {
                        events.add(new long[] {now, 0, c});
                    }
                }
            }
            // Start whatever can start at this time.
            while (!events.isEmpty() && events.peek()[0] == now && events.peek()[1] == 0) {
                readyQueue.add((int) events.poll()[2]);
            }
            while (free > 0 && !readyQueue.isEmpty()) {
                int t = readyQueue.poll();
                free--;
                events.add(new long[] {now + tasks.get(t).computeNanos() + overhead, 1, t});
                if (streamed) {
                    for (int c : made.get(t)) {
                        events.add(new long[] {now + overhead / 2 + tasks.get(c).madeAtNanos(), 0, c});
                    }
                }
            }
        }
        return now;
    }
}
