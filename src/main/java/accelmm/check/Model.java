package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;

/**
 * Something the explorer can execute again and again: a scenario under one design combination.
 * Each call builds a fresh world (simulation, kernel, devices, processes), runs it with {@code
 * choices} deciding every interleaving, judges the invariants and reports.
 */
@FunctionalInterface
public interface Model {

    RunResult execute(ChoiceSource choices, boolean recordTrace);

    /**
     * As {@link #execute(ChoiceSource, boolean)}, the run ending as {@link
     * accelmm.sim.Outcome.OutOfTime} once {@code deadline} has passed. A model whose runs are
     * short may ignore it: the explorer then stops between executions.
     */
    default RunResult execute(ChoiceSource choices, boolean recordTrace, Deadline deadline) {
        return execute(choices, recordTrace);
    }
}
