package accelmm.check;

import accelmm.sim.ChoiceSource;

/**
 * Something the explorer can execute again and again: a scenario under one design combination.
 * Each call builds a fresh world (simulation, kernel, devices, processes), runs it with {@code
 * choices} deciding every interleaving, judges the invariants and reports.
 */
@FunctionalInterface
public interface Model {

    RunResult execute(ChoiceSource choices, boolean recordTrace);
}
