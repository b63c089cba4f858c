package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.SchedulingPoint;
import java.util.Arrays;

/**
 * Watches a replay for the {@link Shrinker}: for each decision, the running actor's id (-1
 * after a block or an exit) or that it was a data choice, the options it had, and the default
 * the replay would have taken past its end; and the context switches (a decision at a
 * preemption point that picked another actor than the running one). A replay that does not fit
 * the run is marked {@link #diverged}.
 */
final class DecisionRecorder implements ChoiceSource {

    private final ReplayChoiceSource replay;
    private int[] running = new int[64];
    private boolean[] value = new boolean[64];
    private int[] fallback = new int[64];
    private int[][] options = new int[64][];
    private int size;
    int switches;
    boolean diverged;

    DecisionRecorder(ReplayChoiceSource replay) {
        this.replay = replay;
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        int index;
        try {
            index = replay.pickActor(point);
        } catch (ReplayChoiceSource.ReplayDivergence e) {
            diverged = true;
            throw e;
        }
        int self = point.running() == null ? -1 : point.running().id();
        int chosen = point.candidate(index).id();
        if (self >= 0 && chosen != self) {
            switches++;
        }
        int selfIndex = point.running() == null ? -1 : point.indexOf(point.running());
        int[] ids = new int[point.candidateCount()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = point.candidate(i).id();
        }
        add(self, false, point.candidate(Math.max(selfIndex, 0)).id(), ids);
        return index;
    }

    @Override
    public int pickValue(String label, int bound) {
        try {
            int v = replay.pickValue(label, bound);
            int[] values = new int[bound];
            Arrays.setAll(values, k -> k);
            add(-1, true, 0, values);
            return v;
        } catch (ReplayChoiceSource.ReplayDivergence e) {
            diverged = true;
            throw e;
        }
    }

    private void add(int self, boolean isValue, int byDefault, int[] choices) {
        if (size == running.length) {
            running = Arrays.copyOf(running, size * 2);
            value = Arrays.copyOf(value, size * 2);
            fallback = Arrays.copyOf(fallback, size * 2);
            options = Arrays.copyOf(options, size * 2);
        }
        options[size] = choices;
        running[size] = self;
        value[size] = isValue;
        fallback[size] = byDefault;
        size++;
    }

    int[] running() {
        return Arrays.copyOf(running, size);
    }

    boolean[] value() {
        return Arrays.copyOf(value, size);
    }

    int[][] options() {
        return Arrays.copyOf(options, size);
    }

    /** {@code executed} without the trailing decisions a replay takes by default anyway. */
    Schedule minimal(Schedule executed) {
        int n = Math.min(executed.length(), size);
        while (n > 0 && executed.decision(n - 1) == fallback[n - 1]) {
            n--;
        }
        return executed.prefix(n);
    }
}
