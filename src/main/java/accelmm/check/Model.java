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

    /**
     * Whether the model keeps the simulation's {@link accelmm.sim.StateHash} whenever the choice
     * source wants fingerprints, so that a {@link Strategy.Dfs} can cache the states it explored
     * (it then searches on one thread, see {@link DfsSearch}). The hash must cover everything
     * that decides a run's future and its verdicts at the decisions where it says it does:
     * history an end-of-run invariant judges (lock order, say) included. The simulation hashes
     * each actor's scheduler state and what it is blocked on, not the order of a lock's or wait
     * queue's waiters nor the lock-dependency graph: a model whose future depends on those (two
     * waiters of one mutex, lockdep) must hash them itself or not fingerprint. Slots and actor
     * ids are numbered in creation order, so actors and slots must be created in an order no
     * schedule changes; the step limit is not in the key (a state met deeper on another path
     * could pass the limit there). A model may instead have its states walked ({@link
     * accelmm.sim.StateWalk}, as the scenario models do): the walk hashes waiter orders, the
     * lockdep graph and each actor's id with what it runs, so actors may be created in any order.
     */
    default boolean fingerprintsStates() {
        return false;
    }

    /**
     * A description from which another JVM builds this same model, for a search that runs tasks
     * there ({@link RemoteTasks}); null when the model cannot be described (it then runs here).
     */
    default byte[] portable() {
        return null;
    }
}
