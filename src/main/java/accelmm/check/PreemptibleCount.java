package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.SchedulingPoint;

/**
 * Passes every choice to another {@link ChoiceSource} and counts the preemptible decisions
 * (the running actor could go on, another could run instead): the span a {@link
 * PctChoiceSource} draws its change points from, measured on the explorer's first executions.
 */
final class PreemptibleCount implements ChoiceSource {

    private final ChoiceSource inner;
    long preemptible;

    PreemptibleCount(ChoiceSource inner) {
        this.inner = inner;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        if (point.running() != null) {
            preemptible++;
        }
        return inner.pickActor(point);
    }

    @Override
    public int pickValue(String label, int bound) {
        return inner.pickValue(label, bound);
    }
}
