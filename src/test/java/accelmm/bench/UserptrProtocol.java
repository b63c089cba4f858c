package accelmm.bench;

import accelmm.check.InvariantBroken;
import accelmm.check.InvariantKind;
import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.Access;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
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
 * Each step declares the copy it touches (a read or a write), so the DFS's sleep sets see that
 * copies commute. With {@code states} set, every global state reached (all variables, every
 * actor's program counter and the binder's locals) is added to it, to count states as Spin
 * does.
 */
final class UserptrProtocol implements Model {

    private final int copies;
    private final boolean retry;
    private final Set<State> states;

    /** A global state, packed: 25 bits per copy, two copies per long. */
    record State(long a, long b) {
    }

    UserptrProtocol(int copies, boolean retry, Set<State> states) {
        if (copies < 1 || copies > 4) {
            throw new IllegalArgumentException("1 to 4 copies");
        }
        this.copies = copies;
        this.retry = retry;
        this.states = states;
    }

    @Override
    public RunResult execute(ChoiceSource choices, boolean recordTrace) {
        Run run = new Run(choices, recordTrace);
        Outcome outcome = run.sim.run();
        Violation v = outcome instanceof Outcome.Failed f && f.cause() instanceof InvariantBroken b
                ? b.violation() : null;
        return new RunResult(outcome, v, run.sim.schedule(), run.sim.trace(), run.sim.steps());
    }

    /** The resource a step of copy {@code index} touches. */
    private record Copy(int index) {
    }

    /** One execution's variables and actors. */
    private final class Run {
        final Simulation sim;
        final int[] invSeq = new int[copies];
        final int[] subSeq = new int[copies];
        final boolean[] cpuPresent = new boolean[copies];
        final boolean[] freed = new boolean[copies];
        final boolean[] gpuPresent = new boolean[copies];
        final boolean[] driverLock = new boolean[copies];
        final boolean[] bindDone = new boolean[copies];
        final int[] seq = new int[copies];
        final boolean[] got = new boolean[copies];
        final int[] binderPc = new int[copies];
        final int[] unmapperPc = new int[copies];
        final int[] devicePc = new int[copies];
        final WaitQueue[] seqWait = new WaitQueue[copies];
        final WaitQueue[] lockWait = new WaitQueue[copies];
        final WaitQueue[] doneWait = new WaitQueue[copies];

        Run(ChoiceSource choices, boolean recordTrace) {
            sim = new Simulation(choices, recordTrace, 100_000);
            for (int i = 0; i < copies; i++) {
                invSeq[i] = 2;
                subSeq[i] = 1;
                cpuPresent[i] = true;
                seqWait[i] = new WaitQueue(sim, "seq " + i);
                lockWait[i] = new WaitQueue(sim, "driver lock " + i);
                doneWait[i] = new WaitQueue(sim, "bind done " + i);
            }
            for (int i = 0; i < copies; i++) {
                int c = i;
                sim.spawn("binder " + c, () -> binder(c));
                sim.spawn("unmapper " + c, () -> unmapper(c));
                sim.spawn("device " + c, () -> device(c));
            }
            record();
        }

        /** Before each step: the program counter, the state reached, the preemption point. */
        private void step(int[] pcs, int i, int pc, boolean write) {
            pcs[i] = pc;
            record();
            sim.preemptionPoint("step", new Access(new Copy(i), write));
        }

        private void lock(int i) {
            lockWait[i].waitEvent(() -> !driverLock[i]);
            driverLock[i] = true;
        }

        private void unlock(int i) {
            driverLock[i] = false;
            lockWait[i].wakeUpAll();
        }

        void binder(int i) {
            while (true) {
                step(binderPc, i, 1, false);
                seqWait[i].waitEvent(() -> subSeq[i] != invSeq[i]);
                seq[i] = subSeq[i];
                step(binderPc, i, 2, false);
                if (subSeq[i] != seq[i]) {
                    continue;
                }
                got[i] = cpuPresent[i];
                if (got[i]) {
                    step(binderPc, i, 3, true);
                    lock(i);
                    step(binderPc, i, 4, true);
                    if (retry && subSeq[i] != seq[i]) {
                        unlock(i);
                        continue;
                    }
                    step(binderPc, i, 5, true);
                    gpuPresent[i] = true;
                    step(binderPc, i, 6, true);
                    unlock(i);
                }
                step(binderPc, i, 7, true);
                bindDone[i] = true;
                doneWait[i].wakeUpAll();
                binderPc[i] = 8;
                record();
                return;
            }
        }

        void unmapper(int i) {
            step(unmapperPc, i, 1, true);
            invSeq[i] |= 1;
            step(unmapperPc, i, 2, true);
            lock(i);
            step(unmapperPc, i, 3, true);
            subSeq[i] = invSeq[i];
            step(unmapperPc, i, 4, true);
            gpuPresent[i] = false;
            step(unmapperPc, i, 5, true);
            unlock(i);
            step(unmapperPc, i, 6, true);
            cpuPresent[i] = false;
            step(unmapperPc, i, 7, true);
            freed[i] = true;
            step(unmapperPc, i, 8, true);
            invSeq[i]++;
            seqWait[i].wakeUpAll();
            unmapperPc[i] = 9;
            record();
        }

        void device(int i) {
            step(devicePc, i, 1, false);
            doneWait[i].waitEvent(() -> bindDone[i]);
            step(devicePc, i, 2, false);
            if (gpuPresent[i] && freed[i]) {
                throw new InvariantBroken(new Violation(InvariantKind.USE_AFTER_FREE, sim.steps(), "device " + i,
                        "the GPU read page " + i + " through its PTE after it was freed"));
            }
            devicePc[i] = 3;
            record();
        }

        private void record() {
            if (states == null) {
                return;
            }
            long[] packed = new long[2];
            for (int i = 0; i < copies; i++) {
                long v = invSeq[i] & 7;
                v = v << 3 | (subSeq[i] & 7);
                v = v << 5 | bits(cpuPresent[i], freed[i], gpuPresent[i], driverLock[i], bindDone[i]);
                v = v << 4 | binderPc[i];
                v = v << 4 | unmapperPc[i];
                v = v << 2 | devicePc[i];
                v = v << 3 | (seq[i] & 7);
                v = v << 1 | (got[i] ? 1 : 0);
                packed[i / 2] |= v << (32 * (i % 2));
            }
            states.add(new State(packed[0], packed[1]));
        }

        private static long bits(boolean... flags) {
            long v = 0;
            for (boolean f : flags) {
                v = v << 1 | (f ? 1 : 0);
            }
            return v;
        }
    }
}
