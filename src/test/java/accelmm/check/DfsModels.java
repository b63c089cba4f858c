package accelmm.check;

import accelmm.sim.Access;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Completion;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Outcome;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.StateHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small hand-made models for the DFS tests: actors whose steps read or write a few shared
 * cells, declaring (or not) what they touch, and a brute-force count of their interleavings.
 */
final class DfsModels {

    private DfsModels() {
    }

    /** One step of an actor: the cell it touches and whether it writes it. */
    record Step(int cell, boolean write) {
    }

    /**
     * Actor {@code i} runs {@code actors.get(i)}'s steps, each after a preemption point that
     * declares it (if {@code declare}). A write folds the actor into the cell, a read records
     * the cell's value; the end state (cells and reads) goes into {@code outcomes}. The run
     * breaks an invariant when the end state equals {@code target} (null: never).
     */
    static Model cells(List<List<Step>> actors, int cellCount, boolean declare, Set<String> outcomes, String target) {
        return (choices, trace) -> runCells(choices, trace, actors, cellCount, declare, outcomes, target);
    }

    /**
     * As {@link #cells}, keeping a fingerprint of its state when asked ({@link
     * Model#fingerprintsStates()}): the cells, each actor's next step and what it read.
     */
    static Model fingerprintedCells(List<List<Step>> actors, int cellCount, boolean declare, Set<String> outcomes,
            String target) {
        return new Model() {
            @Override
            public RunResult execute(ChoiceSource choices, boolean trace) {
                return runCells(choices, trace, actors, cellCount, declare, outcomes, target);
            }

            @Override
            public boolean fingerprintsStates() {
                return true;
            }
        };
    }

    private static RunResult runCells(ChoiceSource choices, boolean trace, List<List<Step>> actors, int cellCount,
            boolean declare, Set<String> outcomes, String target) {
        {
            Simulation sim = new Simulation(choices, trace, 10_000);
            StateHash hash = sim.stateHash();
            long[] cells = new long[cellCount];
            int[] cellSlots = slots(hash, cellCount);
            int[] stepSlots = slots(hash, actors.size());
            int[] readSlots = slots(hash, actors.size());
            List<List<Long>> reads = new ArrayList<>();
            for (int a = 0; a < actors.size(); a++) {
                int id = a;
                List<Long> seen = new ArrayList<>();
                reads.add(seen);
                sim.spawn("t" + a, () -> {
                    int next = 0;
                    for (Step s : actors.get(id)) {
                        Object cell = "cell " + s.cell();
                        set(hash, stepSlots, id, ++next);
                        sim.preemptionPoint("step", declare ? new Access(cell, s.write()) : null);
                        if (s.write()) {
                            cells[s.cell()] = cells[s.cell()] * 7 + id + 1;
                            set(hash, cellSlots, s.cell(), cells[s.cell()]);
                        } else {
                            seen.add(cells[s.cell()]);
                            set(hash, readSlots, id, seen.hashCode());
                        }
                    }
                });
            }
            if (hash != null) {
                hash.covers(true);
            }
            Outcome outcome = sim.run();
            String end = java.util.Arrays.toString(cells) + reads;
            if (outcome instanceof Outcome.Pruned) {
                // Cut short by the search: not an end state.
                return new RunResult(outcome, null, sim.schedule(), sim.trace(), sim.steps());
            }
            // Tasks of a parallel search run executions on several threads at once.
            synchronized (outcomes) {
                outcomes.add(end);
            }
            Violation v = end.equals(target)
                    ? new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "", "reached " + end) : null;
            return new RunResult(outcome, v, sim.schedule(), sim.trace(), sim.steps());
        }
    }

    private static int[] slots(StateHash hash, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n && hash != null; i++) {
            out[i] = hash.slot();
        }
        return out;
    }

    private static void set(StateHash hash, int[] slots, int i, long value) {
        if (hash != null) {
            hash.set(slots[i], value);
        }
    }

    static Model cells(List<List<Step>> actors, int cellCount, boolean declare) {
        return cells(actors, cellCount, declare, new TreeSet<>(), null);
    }

    /** What one step of an {@link #ops} actor does. */
    enum Kind {
        /** Reads the cell, declared. */
        READ,
        /** Writes the cell, declared. */
        WRITE,
        /** Writes the cell under the model's one mutex (lock, write, unlock). */
        LOCKED_WRITE,
        /** Writes one of two values into the cell, a data choice of the model. */
        CHOOSE,
        /** Waits for the model's one completion, then reads the cell. */
        WAIT,
        /** Completes the model's one completion (wakes a waiter), undeclared. */
        COMPLETE
    }

    /** One step of an {@link #ops} actor. */
    record Op(Kind kind, int cell) {
    }

    /**
     * As {@link #cells}, with locks, a completion to wait for and data choices besides reads
     * and writes: actor {@code i} runs {@code actors.get(i)}. The end state records the cells,
     * the values each actor read and how the run ended (a wait nobody completes deadlocks).
     * With {@code observe}, the simulation observes footprints: the cells are entries of one
     * {@link Shared} (ranges), touched where they are read and written, and undeclared steps
     * touch only what they touch; without, the preemption points' declarations say it.
     */
    static Model ops(List<List<Op>> actors, int cellCount, boolean observe, Set<String> outcomes, String target) {
        return (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 10_000);
            sim.observeFootprints(observe);
            Shared memory = sim.shared("cells");
            Mutex mutex = new Mutex(sim, "m", new LockClass("m"));
            Completion completion = new Completion(sim, "c");
            long[] cells = new long[cellCount];
            List<List<Long>> reads = new ArrayList<>();
            for (int a = 0; a < actors.size(); a++) {
                int id = a;
                List<Long> seen = new ArrayList<>();
                reads.add(seen);
                sim.spawn("t" + a, () -> {
                    for (Op op : actors.get(id)) {
                        int c = op.cell();
                        Object cell = "cell " + c;
                        switch (op.kind()) {
                            case READ -> {
                                sim.preemptionPoint("read", Access.read(cell));
                                memory.read(c, c + 1);
                                seen.add(cells[c]);
                            }
                            case WRITE -> {
                                sim.preemptionPoint("write", Access.write(cell));
                                memory.write(c, c + 1);
                                cells[c] = cells[c] * 7 + id + 1;
                            }
                            case LOCKED_WRITE -> {
                                mutex.lock();
                                sim.preemptionPoint("locked write", Access.write(cell));
                                memory.write(c, c + 1);
                                cells[c] = cells[c] * 5 + id + 1;
                                mutex.unlock();
                            }
                            case CHOOSE -> {
                                sim.preemptionPoint("choose", Access.write(cell));
                                memory.write(c, c + 1);
                                cells[c] = cells[c] * 3 + sim.choose("value", 2) + 1;
                            }
                            case WAIT -> {
                                completion.waitForCompletion();
                                sim.preemptionPoint("read after wait", Access.read(cell));
                                memory.read(c, c + 1);
                                seen.add(cells[c]);
                            }
                            case COMPLETE -> {
                                sim.preemptionPoint("complete");
                                completion.complete();
                            }
                        }
                    }
                });
            }
            Outcome outcome = sim.run();
            String end = java.util.Arrays.toString(cells) + reads + " " + outcome.getClass().getSimpleName();
            if (outcome instanceof Outcome.Pruned) {
                return new RunResult(outcome, null, sim.schedule(), sim.trace(), sim.steps());
            }
            synchronized (outcomes) {
                outcomes.add(end);
            }
            Violation v = end.equals(target)
                    ? new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "", "reached " + end) : null;
            return new RunResult(outcome, v, sim.schedule(), sim.trace(), sim.steps());
        };
    }

    /** Actor {@code i} passes {@code points[i]} undeclared preemption points. */
    static Model points(int... points) {
        return (ChoiceSource choices, boolean trace) -> {
            Simulation sim = new Simulation(choices, trace, 10_000);
            for (int a = 0; a < points.length; a++) {
                int n = points[a];
                sim.spawn("t" + a, () -> {
                    for (int k = 0; k < n; k++) {
                        sim.preemptionPoint("p" + k);
                    }
                });
            }
            Outcome o = sim.run();
            return new RunResult(o, null, sim.schedule(), sim.trace(), sim.steps());
        };
    }

    /**
     * Brute force: the interleavings of actors with {@code points[i] + 1} atomic segments each
     * (before the first point, between points, after the last), with at most {@code bound}
     * preemptions — a switch away from an actor that still has segments left.
     */
    static long interleavings(int bound, int... points) {
        int[] left = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            left[i] = points[i] + 1;
        }
        return count(left, -1, 0, bound);
    }

    private static long count(int[] left, int last, int preemptions, int bound) {
        long total = 0;
        boolean any = false;
        for (int a = 0; a < left.length; a++) {
            if (left[a] == 0) {
                continue;
            }
            any = true;
            int cost = last >= 0 && last != a && left[last] > 0 ? 1 : 0;
            if (preemptions + cost > bound) {
                continue;
            }
            left[a]--;
            total += count(left, a, preemptions + cost, bound);
            left[a]++;
        }
        return any ? total : 1;
    }
}
