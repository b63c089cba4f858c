package accelmm.virt;

import accelmm.sim.Actor;
import accelmm.sim.ChoiceSource;
import accelmm.sim.SchedulingPoint;

/**
 * A fixed schedule for one race: actor {@code first} runs until it reaches a preemption point
 * whose label starts with {@code pauseAt}; there {@code second} runs until it ends; then {@code
 * first} goes on. Where the wanted actor is not runnable the running one keeps the CPU. Data
 * choices take 0.
 */
final class PausingChoices implements ChoiceSource {

    private final String first;
    private final String pauseAt;
    private final String second;
    private boolean paused;

    PausingChoices(String first, String pauseAt, String second) {
        this.first = first;
        this.pauseAt = pauseAt;
        this.second = second;
    }

    /** Whether {@code first} reached the pause. */
    boolean paused() {
        return paused;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        Actor running = point.running();
        if (!paused && running != null && running.name().equals(first) && point.label().startsWith(pauseAt)) {
            paused = true;
        }
        String wanted = paused ? second : first;
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
