package accelmm.check;

import accelmm.sim.Outcome;
import accelmm.sim.Schedule;
import accelmm.sim.Trace;

/**
 * What one execution produced: how the simulation ended, the first broken invariant (or
 * {@code null}), the schedule that reproduces it, the trace if one was recorded, and its length.
 */
public record RunResult(Outcome outcome, Violation violation, Schedule schedule, Trace trace, long steps) {

    public boolean violated() {
        return violation != null;
    }
}
