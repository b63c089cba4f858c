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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

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
        return fingerprinting(cells(actors, cellCount, declare, outcomes, target));
    }

    /** {@code model}, saying it keeps a fingerprint of its state ({@link Model#fingerprintsStates()}). */
    private static Model fingerprinting(Model model) {
        return new Model() {
            @Override
            public RunResult execute(ChoiceSource choices, boolean trace) {
                return model.execute(choices, trace);
            }

            @Override
            public boolean fingerprintsStates() {
                return true;
            }
        };
    }

    /** A run's result: its end state goes into {@code outcomes} (unless the search cut it short), a violation if it is {@code target}. */
    private static RunResult ended(Simulation sim, Outcome outcome, String end, Set<String> outcomes, String target) {
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
            return ended(sim, outcome, java.util.Arrays.toString(cells) + reads, outcomes, target);
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
        return (choices, trace) -> runOps(choices, trace, actors, cellCount, observe, outcomes, target);
    }

    /**
     * As {@link #ops} with observed footprints, keeping a fingerprint of its state when asked
     * ({@link Model#fingerprintsStates()}): the cells, the completion's count, each actor's
     * position (its next step, and whether it is inside the wait) and what it read. No {@link
     * Kind#LOCKED_WRITE}: the order of a mutex's waiters decides who gets it next, and no slot
     * holds it.
     */
    static Model fingerprintedOps(List<List<Op>> actors, int cellCount, Set<String> outcomes, String target) {
        for (List<Op> ops : actors) {
            for (Op op : ops) {
                if (op.kind() == Kind.LOCKED_WRITE) {
                    throw new IllegalArgumentException("the mutex's waiter order is not fingerprinted");
                }
            }
        }
        return fingerprinting(ops(actors, cellCount, true, outcomes, target));
    }

    private static RunResult runOps(ChoiceSource choices, boolean trace, List<List<Op>> actors, int cellCount,
            boolean observe, Set<String> outcomes, String target) {
        Simulation sim = new Simulation(choices, trace, 10_000);
        sim.observeFootprints(observe);
        StateHash hash = sim.stateHash();
        Shared memory = sim.shared("cells");
        Mutex mutex = new Mutex(sim, "m", new LockClass("m"));
        Completion completion = new Completion(sim, "c");
        long[] cells = new long[cellCount];
        int[] cellSlots = slots(hash, cellCount);
        int[] positionSlots = slots(hash, actors.size());
        int[] readSlots = slots(hash, actors.size());
        // The completion's count: completions less waits that took one.
        int[] done = new int[1];
        int[] doneSlot = slots(hash, 1);
        List<List<Long>> reads = new ArrayList<>();
        for (int a = 0; a < actors.size(); a++) {
            int id = a;
            List<Long> seen = new ArrayList<>();
            reads.add(seen);
            sim.spawn("t" + a, () -> {
                int index = 0;
                for (Op op : actors.get(id)) {
                    int c = op.cell();
                    Object cell = "cell " + c;
                    set(hash, positionSlots, id, 4L * index++);
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
                            set(hash, positionSlots, id, 4L * index - 3);
                            completion.waitForCompletion();
                            set(hash, doneSlot, 0, --done[0]);
                            set(hash, positionSlots, id, 4L * index - 2);
                            sim.preemptionPoint("read after wait", Access.read(cell));
                            memory.read(c, c + 1);
                            seen.add(cells[c]);
                        }
                        case COMPLETE -> {
                            sim.preemptionPoint("complete");
                            completion.complete();
                            set(hash, doneSlot, 0, ++done[0]);
                        }
                    }
                    set(hash, cellSlots, c, cells[c]);
                    set(hash, readSlots, id, seen.hashCode());
                }
            });
        }
        if (hash != null) {
            hash.covers(true);
        }
        Outcome outcome = sim.run();
        return ended(sim, outcome, java.util.Arrays.toString(cells) + reads + " " + outcome.getClass().getSimpleName(),
                outcomes, target);
    }

    /** Two or three actors of one to three operations, each kind drawn with the weight given, in {@link Kind}'s order. */
    static Arbitrary<List<List<Op>>> opModels(int... weights) {
        Kind[] kinds = {Kind.READ, Kind.WRITE, Kind.LOCKED_WRITE, Kind.CHOOSE, Kind.WAIT, Kind.COMPLETE};
        List<Tuple.Tuple2<Integer, Arbitrary<Kind>>> weighted = new ArrayList<>();
        for (int k = 0; k < kinds.length; k++) {
            if (weights[k] > 0) {
                weighted.add(Tuple.of(weights[k], Arbitraries.just(kinds[k])));
            }
        }
        @SuppressWarnings("unchecked")
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(weighted.toArray(Tuple.Tuple2[]::new));
        Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 1)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(3);
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
