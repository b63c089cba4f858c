package accelmm.sim;

import java.util.List;

/** How a run ended, as far as the simulation kernel can tell. */
public sealed interface Outcome {

    /** Every actor finished. */
    record Completed() implements Outcome {
    }

    /**
     * No actor was runnable while some had not finished: each of {@code blocked} waits for
     * something that no runnable actor remains to provide.
     */
    record Deadlock(List<BlockedActor> blocked) implements Outcome {
        public Deadlock {
            blocked = List.copyOf(blocked);
        }
    }

    /**
     * An actor threw: a broken invariant, a failed precondition of the model (a model bug), or
     * an expectation of the scenario. The run stopped at once.
     */
    record Failed(String actor, long step, Throwable cause) implements Outcome {
    }

    /**
     * The run passed {@code limit} preemption points without finishing: long work, a livelock
     * or a loop. Inconclusive: the run was cut, so nothing can be said about its end.
     */
    record StepLimitExceeded(long limit) implements Outcome {
    }

    /**
     * The run's {@link Deadline} passed after {@code steps} preemption points, before it
     * finished. Inconclusive, as a step limit.
     */
    record OutOfTime(long steps) implements Outcome {
    }

    /**
     * The choice source ended the run ({@link ChoiceSource#PRUNE}) after {@code steps}
     * preemption points: every continuation was explored in other executions. Not a verdict.
     */
    record Pruned(long steps) implements Outcome {
    }

    /** One participant of a deadlock: who waits, and on what. */
    record BlockedActor(String actor, String waitsFor) {
    }
}
