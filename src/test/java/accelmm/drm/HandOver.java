package accelmm.drm;

import accelmm.sim.Actor;
import accelmm.sim.ChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.List;

/**
 * A scripted schedule: {@code first} runs whenever it can until it has passed the preemption
 * points {@code labels}, in that order (other points in between are allowed); from the last of
 * them on, {@code second} runs whenever it can. When the preferred actor cannot run, the
 * running actor continues if it can, else the lowest id. Data choices take 0.
 *
 * <p>Handing over at a point means the other actor runs there, before {@code first} does what
 * the point announces: with {@code "notifier_lock vm 1 read"} the second actor runs between a
 * {@code hmm_range_fault} and the driver lock.
 */
final class HandOver implements ChoiceSource {

    private final String first;
    private final List<String> labels;
    private final String second;
    private int matched;

    HandOver(String first, List<String> labels, String second) {
        this.first = first;
        this.labels = List.copyOf(labels);
        this.second = second;
    }

    /** Whether {@code first} reached the last label. */
    boolean handedOver() {
        return matched == labels.size();
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        Actor running = point.running();
        if (!handedOver() && running != null && running.name().equals(first)
                && point.label().equals(labels.get(matched))) {
            matched++;
        }
        String preferred = handedOver() ? second : first;
        for (int i = 0; i < point.candidateCount(); i++) {
            if (point.candidate(i).name().equals(preferred)) {
                return i;
            }
        }
        return Math.max(running == null ? -1 : point.indexOf(running), 0);
    }

    @Override
    public int pickValue(String label, int bound) {
        return 0;
    }
}
