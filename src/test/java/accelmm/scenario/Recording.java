package accelmm.scenario;

import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.Outcome;
import java.util.function.Consumer;

/** A model that hands every run an explorer makes of it, but those it pruned, to a test. */
final class Recording {

    private Recording() {
    }

    /**
     * {@code model}, each run of which that was not pruned goes to {@code ran}; with traces
     * always when {@code trace}, else as the explorer asks. It fingerprints its states as {@code
     * model} does.
     */
    static Model of(Model model, boolean trace, Consumer<RunResult> ran) {
        return new Model() {
            @Override
            public RunResult execute(ChoiceSource choices, boolean recordTrace) {
                return execute(choices, recordTrace, Deadline.NONE);
            }

            @Override
            public RunResult execute(ChoiceSource choices, boolean recordTrace, Deadline deadline) {
                RunResult r = model.execute(choices, trace || recordTrace, deadline);
                if (!(r.outcome() instanceof Outcome.Pruned)) {
                    ran.accept(r);
                }
                return r;
            }

            @Override
            public boolean fingerprintsStates() {
                return model.fingerprintsStates();
            }
        };
    }
}
