package accelmm.virt;

import accelmm.sim.Actor;
import accelmm.sim.ChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.List;

/**
 * A fixed schedule for one race, in stages: the actor of a stage runs until it reaches the
 * {@code nth} preemption point whose label starts with the stage's label; there the next stage's
 * actor runs, and the last stage's actor runs until it ends. Where the wanted actor is not
 * runnable the running one keeps the CPU (or the first runnable one takes it). Data choices take 0.
 */
final class PausingChoices implements ChoiceSource {

    /** Actor {@code actor} runs until its {@code nth} point labelled {@code pauseAt...}. */
    record Stage(String actor, String pauseAt, int nth) {
    }

    private final List<Stage> stages;
    private final String last;
    private int stage;
    private int seen;

    /** {@code first} runs until its first point labelled {@code pauseAt...}; then {@code second}. */
    PausingChoices(String first, String pauseAt, String second) {
        this(List.of(new Stage(first, pauseAt, 1)), second);
    }

    PausingChoices(List<Stage> stages, String last) {
        this.stages = stages;
        this.last = last;
    }

    /** Whether every stage reached its pause. */
    boolean paused() {
        return stage == stages.size();
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        Actor running = point.running();
        if (stage < stages.size()) {
            Stage current = stages.get(stage);
            if (running != null && running.name().equals(current.actor()) && point.label().startsWith(current.pauseAt())
                    && ++seen == current.nth()) {
                stage++;
                seen = 0;
            }
        }
        String wanted = stage < stages.size() ? stages.get(stage).actor() : last;
        for (int i = 0; i < point.candidateCount(); i++) {
            if (point.candidate(i).name().equals(wanted)) {
                return i;
            }
        }
        int index = running == null ? -1 : point.indexOf(running);
        return index >= 0 ? index : 0;
    }

    @Override
    public int pickValue(String label, int bound) {
        return 0;
    }
}
