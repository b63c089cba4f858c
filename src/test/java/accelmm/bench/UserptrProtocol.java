package accelmm.bench;

import accelmm.check.InvariantBroken;
import accelmm.check.InvariantKind;
import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.StateHash;
import accelmm.sim.WaitQueue;
import java.util.Set;

/**
 * The userptr bind vs invalidation protocol of {@code bench/userptr/userptr.pml}, step for step,
 * as a {@link Model} on accelmm's simulation: the same actors, the same atomic steps (one
 * preemption point before each Promela statement or atomic block), the same variables. It
 * exists to compare the explorers like for like: Spin and accelmm's DFS search the same
 * protocol, while {@code userptr.scn} runs the race through the whole kernel model.
 *
 * <p>{@code copies} independent copies of the race run side by side (Promela's {@code -DN}).
 * Every shared variable of a copy is its own {@link Shared} and the simulation observes
 * footprints, so the DFS's reductions see which steps touch the same variable (the locals and
 * program counters are the actor's own): copies commute, and so do the steps of one copy that
 * touch different variables. When the choice source wants fingerprints the model keeps every
 * variable, local and program counter in a slot of the run's {@link StateHash} (a program
 * counter also tells whether its actor is inside a wait), so the DFS can cache states. With
 * {@code states} set, every global state reached (all variables, every actor's program counter
 * and the binder's locals) is added to it, to count states as Spin does.
 */
final class UserptrProtocol implements Model {

    private final int copies;
    private final boolean retry;
    private final Set<State> states;
    /** The actors' and wait queues' names per copy, built once rather than per execution. */
    private final String[][] names;

    /** A global state, packed: 25 bits per copy, two copies per long. */
    record State(long a, long b) {
    }

    /** Whether {@code state} is an end state: every actor of each of {@code copies} copies ran to its end. */
    static boolean finished(State state, int copies) {
        for (int i = 0; i < copies; i++) {
            long v = (i < 2 ? state.a() : state.b()) >>> (32 * (i % 2));
            // From the low bits: got (1), seq (3), the device's (2), unmapper's (4) and binder's (4) pcs.
            if ((v >>> 4 & 3) != 3 || (v >>> 6 & 15) != 9 || (v >>> 10 & 15) != 8) {
                return false;
            }
        }
        return true;
    }

    UserptrProtocol(int copies, boolean retry, Set<State> states) {
        if (copies < 1 || copies > 4) {
            throw new IllegalArgumentException("1 to 4 copies");
        }
        this.copies = copies;
        this.retry = retry;
        this.states = states;
        this.names = new String[copies][];
        for (int i = 0; i < copies; i++) {
            names[i] = new String[] {"binder " + i, "unmapper " + i, "device " + i, "seq " + i, "driver lock " + i,
                "bind done " + i};
        }
    }

    @Override
    public RunResult execute(ChoiceSource choices, boolean recordTrace) {
        Run run = new Run(choices, recordTrace);
        Outcome outcome = run.sim.run();
        Violation v = outcome instanceof Outcome.Failed f && f.cause() instanceof InvariantBroken b
                ? b.violation() : null;
        return new RunResult(outcome, v, run.sim.schedule(), run.sim.trace(), run.sim.steps());
    }

    /** Every variable, local and program counter is in the run's {@link StateHash} when asked for. */
    @Override
    public boolean fingerprintsStates() {
        return true;
    }

    /** One execution's variables and actors. */
    private final class Run {
        /** Marks, in an actor's program counter, that it is inside a wait (blocked, or woken and not yet past it). */
        private static final int WAITING = 16;

        final Simulation sim;
        /** The fingerprint's slots, or null when the choice source wants none. */
        final StateHash hash;
        final Cell[] invSeq = new Cell[copies];
        final Cell[] subSeq = new Cell[copies];
        final Cell[] cpuPresent = new Cell[copies];
        final Cell[] freed = new Cell[copies];
        final Cell[] gpuPresent = new Cell[copies];
        final Cell[] driverLock = new Cell[copies];
        final Cell[] bindDone = new Cell[copies];
        final Local[] seq = new Local[copies];
        final Local[] got = new Local[copies];
        final Local[] binderPc = new Local[copies];
        final Local[] unmapperPc = new Local[copies];
        final Local[] devicePc = new Local[copies];
        final WaitQueue[] seqWait = new WaitQueue[copies];
        final WaitQueue[] lockWait = new WaitQueue[copies];
        final WaitQueue[] doneWait = new WaitQueue[copies];

        Run(ChoiceSource choices, boolean recordTrace) {
            sim = new Simulation(choices, recordTrace, 100_000);
            sim.observeFootprints(true);
            hash = sim.stateHash();
            for (int i = 0; i < copies; i++) {
                invSeq[i] = new Cell("invSeq", 2);
                subSeq[i] = new Cell("subSeq", 1);
                cpuPresent[i] = new Cell("cpuPresent", 1);
                freed[i] = new Cell("freed", 0);
                gpuPresent[i] = new Cell("gpuPresent", 0);
                driverLock[i] = new Cell("driverLock", 0);
                bindDone[i] = new Cell("bindDone", 0);
                seq[i] = new Local();
                got[i] = new Local();
                binderPc[i] = new Local();
                unmapperPc[i] = new Local();
                devicePc[i] = new Local();
                seqWait[i] = new WaitQueue(sim, names[i][3]);
                lockWait[i] = new WaitQueue(sim, names[i][4]);
                doneWait[i] = new WaitQueue(sim, names[i][5]);
            }
            for (int i = 0; i < copies; i++) {
                int c = i;
                sim.spawn(names[c][0], () -> binder(c));
                sim.spawn(names[c][1], () -> unmapper(c));
                sim.spawn(names[c][2], () -> device(c));
            }
            if (hash != null) {
                // Every variable, local and program counter is in a slot; the actors' states the simulation keeps.
                hash.covers(true);
            }
            record();
        }

        /** A protocol variable: shared (its reads and writes are the steps' footprints) and hashed. */
        private final class Cell {
            private final Shared shared;
            private final int slot;
            private int value;

            Cell(String kind, int initial) {
                shared = sim.shared(kind);
                slot = hash == null ? -1 : hash.slot();
                value = initial;
                if (hash != null) {
                    hash.set(slot, initial);
                }
            }

            int get() {
                shared.read();
                return value;
            }

            boolean isSet() {
                return get() != 0;
            }

            void set(int v) {
                shared.write();
                value = v;
                if (hash != null) {
                    hash.set(slot, v);
                }
            }

            void set(boolean v) {
                set(v ? 1 : 0);
            }
        }

        /** An actor's own variable (a local, its program counter): hashed, touched by no one else. */
        private final class Local {
            private final int slot = hash == null ? -1 : hash.slot();
            private int value;

            int get() {
                return value;
            }

            void set(int v) {
                value = v;
                if (hash != null) {
                    hash.set(slot, v);
                }
            }
        }

        /** Before each step: the program counter, the state reached, the preemption point. */
        private void step(Local[] pcs, int i, int pc) {
            pcs[i].set(pc);
            record();
            sim.preemptionPoint("step");
        }

        /** Waits on {@code queue} for {@code condition}, the actor's program counter marked meanwhile. */
        private void await(Local pc, WaitQueue queue, java.util.function.BooleanSupplier condition) {
            pc.set(pc.get() | WAITING);
            queue.waitEvent(condition);
            pc.set(pc.get() & ~WAITING);
        }

        private void lock(Local pc, int i) {
            await(pc, lockWait[i], () -> !driverLock[i].isSet());
            driverLock[i].set(true);
        }

        private void unlock(int i) {
            driverLock[i].set(false);
            lockWait[i].wakeUpAll();
        }

        void binder(int i) {
            while (true) {
                step(binderPc, i, 1);
                await(binderPc[i], seqWait[i], () -> subSeq[i].get() != invSeq[i].get());
                seq[i].set(subSeq[i].get());
                step(binderPc, i, 2);
                if (subSeq[i].get() != seq[i].get()) {
                    continue;
                }
                got[i].set(cpuPresent[i].get());
                if (got[i].get() != 0) {
                    step(binderPc, i, 3);
                    lock(binderPc[i], i);
                    step(binderPc, i, 4);
                    if (retry && subSeq[i].get() != seq[i].get()) {
                        unlock(i);
                        continue;
                    }
                    step(binderPc, i, 5);
                    gpuPresent[i].set(true);
                    step(binderPc, i, 6);
                    unlock(i);
                }
                step(binderPc, i, 7);
                bindDone[i].set(true);
                doneWait[i].wakeUpAll();
                binderPc[i].set(8);
                record();
                return;
            }
        }

        void unmapper(int i) {
            step(unmapperPc, i, 1);
            invSeq[i].set(invSeq[i].get() | 1);
            step(unmapperPc, i, 2);
            lock(unmapperPc[i], i);
            step(unmapperPc, i, 3);
            subSeq[i].set(invSeq[i].get());
            step(unmapperPc, i, 4);
            gpuPresent[i].set(false);
            step(unmapperPc, i, 5);
            unlock(i);
            step(unmapperPc, i, 6);
            cpuPresent[i].set(false);
            step(unmapperPc, i, 7);
            freed[i].set(true);
            step(unmapperPc, i, 8);
            invSeq[i].set(invSeq[i].get() + 1);
            seqWait[i].wakeUpAll();
            unmapperPc[i].set(9);
            record();
        }

        void device(int i) {
            step(devicePc, i, 1);
            await(devicePc[i], doneWait[i], () -> bindDone[i].isSet());
            step(devicePc, i, 2);
            if (gpuPresent[i].isSet() && freed[i].isSet()) {
                throw new InvariantBroken(new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "device " + i,
                        "the GPU read page " + i + " through its PTE after it was freed"));
            }
            devicePc[i].set(3);
            record();
        }

        private void record() {
            if (states == null) {
                return;
            }
            long[] packed = new long[2];
            for (int i = 0; i < copies; i++) {
                long v = invSeq[i].value & 7;
                v = v << 3 | (subSeq[i].value & 7);
                v = v << 5 | bits(cpuPresent[i], freed[i], gpuPresent[i], driverLock[i], bindDone[i]);
                v = v << 4 | (binderPc[i].get() & 15);
                v = v << 4 | (unmapperPc[i].get() & 15);
                v = v << 2 | (devicePc[i].get() & 3);
                v = v << 3 | (seq[i].get() & 7);
                v = v << 1 | got[i].get();
                packed[i / 2] |= v << (32 * (i % 2));
            }
            states.add(new State(packed[0], packed[1]));
        }

        /** The cells' values as bits, read without touching them (counting states is no step). */
        private static long bits(Cell... flags) {
            long v = 0;
            for (Cell f : flags) {
                v = v << 1 | f.value;
            }
            return v;
        }
    }
}
