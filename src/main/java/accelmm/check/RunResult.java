package accelmm.check;

import accelmm.sim.CostCounters;
import accelmm.sim.Outcome;
import accelmm.sim.Schedule;
import accelmm.sim.Trace;

/**
 * What one execution produced: how the simulation ended, the first broken invariant (or
 * {@code null}), the schedule that reproduces it, the trace if one was recorded, its length, and
 * what it cost (a snapshot of the simulation's {@link CostCounters} when it ended).
 */
public record RunResult(Outcome outcome, Violation violation, Schedule schedule, Trace trace, long steps,
        CostCounters costs) {

    /** A result of a model that counts no costs: all counts zero. */
    public RunResult(Outcome outcome, Violation violation, Schedule schedule, Trace trace, long steps) {
        this(outcome, violation, schedule, trace, steps, new CostCounters());
    }

    /** This result with another violation (or none), everything else kept. */
    public RunResult withViolation(Violation other) {
        return new RunResult(outcome, other, schedule, trace, steps, costs);
    }

    public boolean violated() {
        return violation != null;
    }

    /** Whether the run passed its step limit: it was cut, and its end was never judged. */
    public boolean stepLimited() {
        return outcome instanceof Outcome.StepLimitExceeded;
    }

    /**
     * Whether the run went to its end: it neither stopped where an invariant broke nor reached
     * the step limit (a run the deadline cut is not counted at all).
     */
    public boolean ranToEnd() {
        return !violated() && !stepLimited();
    }

    /** Whether the run's deadline passed before it finished: it does not count as explored. */
    public boolean outOfTime() {
        return outcome instanceof Outcome.OutOfTime;
    }
}
