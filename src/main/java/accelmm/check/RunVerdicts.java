package accelmm.check;

import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.sim.LockDep;
import accelmm.sim.Outcome;
import accelmm.sim.RefcountError;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the end of an execution into its first violation: an invariant that broke during the
 * run (an {@link InvariantBroken} or a model bug ending the run), a deadlock, a lock-order
 * cycle seen by lockdep, or — after a run in which every process exited — objects left alive.
 */
public final class RunVerdicts {

    private RunVerdicts() {
    }

    /**
     * The first violation of a finished execution, or {@code null}.
     *
     * @param liveObjects descriptions of device-level objects still alive (GEM objects, VMs, ...)
     */
    public static Violation judge(Simulation sim, Kernel kernel, Outcome outcome, List<String> liveObjects) {
        switch (outcome) {
            case Outcome.Failed failed -> {
                return failure(failed);
            }
            case Outcome.Deadlock deadlock -> {
                List<String> parts = new ArrayList<>();
                for (Outcome.BlockedActor b : deadlock.blocked()) {
                    parts.add(b.actor() + " waits for " + b.waitsFor());
                }
                return new Violation(InvariantKind.DEADLOCK, sim.steps(), "", String.join("; ", parts));
            }
            case Outcome.StepLimitExceeded limit -> {
                return new Violation(InvariantKind.DEADLOCK, sim.steps(), "",
                        "no progress: " + limit.limit() + " steps without finishing (livelock)");
            }
            case Outcome.Completed completed -> {
                Violation order = lockOrder(sim.lockDep());
                return order != null ? order : leaks(sim, kernel, liveObjects);
            }
        }
    }

    private static Violation failure(Outcome.Failed failed) {
        Throwable cause = failed.cause();
        if (cause instanceof InvariantBroken broken) {
            return broken.violation();
        }
        if (cause instanceof ExpectationFailed expectation) {
            return new Violation(InvariantKind.EXPECTATION, failed.step(), failed.actor(), expectation.getMessage());
        }
        if (cause instanceof RefcountError refcount) {
            return new Violation(InvariantKind.REFCOUNT, failed.step(), failed.actor(), refcount.getMessage());
        }
        throw new ModelBugException("model bug in " + failed.actor() + " at step " + failed.step() + ": " + cause,
                cause);
    }

    private static Violation lockOrder(LockDep lockDep) {
        if (lockDep.violations().isEmpty()) {
            return null;
        }
        LockDep.Violation v = lockDep.violations().get(0);
        return new Violation(InvariantKind.LOCK_ORDER, v.step(), v.actor(), v.describe());
    }

    private static Violation leaks(Simulation sim, Kernel kernel, List<String> liveObjects) {
        List<String> left = new ArrayList<>(liveObjects);
        kernel.openFiles().forEach(f -> left.add(f.toString()));
        for (PageFrame f : kernel.physicalMemory().frames()) {
            if (!f.isFree() && !f.isZeroPage()) {
                left.add(f + " (refcount " + f.refCount() + ", mapcount " + f.mapCount() + ", pins " + f.pinCount() + ")");
            }
        }
        if (left.isEmpty()) {
            return null;
        }
        return new Violation(InvariantKind.LEAK, sim.steps(), "", "still alive after every process exited: "
                + String.join(", ", left));
    }
}
