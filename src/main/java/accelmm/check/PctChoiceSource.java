package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.Arrays;

/**
 * The PCT scheduler for one execution: each actor gets a random priority above {@code depth}
 * when first seen; the runnable actor with the highest priority runs; at each of {@code depth -
 * 1} change points the running actor's priority drops below every initial one. Data choices are
 * uniform.
 *
 * <p>Change points are drawn among the first {@code expectedPreemptible} <em>preemptible</em>
 * decisions, those where the running actor could go on and another could run instead (as {@link
 * PreemptibleCount} counts them), not among all preemption points as Burckhardt et al. count steps.
 * A point where only one actor can run, or where the running one blocked or finished, offers
 * nothing to preempt: a change point there would be spent on nothing (scenarios spend most of
 * their steps alone: a setup before the other actors start, a process's syscalls between two
 * of its waits). The guarantee keeps its form with k the number of preemptible decisions, which
 * is smaller.
 */
final class PctChoiceSource implements ChoiceSource {

    private final RandomChoiceSource random;
    private final long[] changePoints;
    private long[] priorities = new long[8];
    private boolean[] assigned = new boolean[8];
    private int changesApplied;
    private long preemptible;

    PctChoiceSource(long seed, int depth, long expectedPreemptible) {
        this.random = new RandomChoiceSource(seed);
        this.changePoints = new long[depth - 1];
        long span = Math.max(1, expectedPreemptible);
        for (int i = 0; i < changePoints.length; i++) {
            changePoints[i] = 1 + (random.nextLong() >>> 1) % span;
        }
        Arrays.sort(changePoints);
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        if (point.running() != null) {
            preemptible++;
            while (changesApplied < changePoints.length && changePoints[changesApplied] <= preemptible) {
                priority(point.running().id());
                priorities[point.running().id()] = changesApplied - changePoints.length;
                changesApplied++;
            }
        }
        int best = 0;
        long bestPriority = Long.MIN_VALUE;
        for (int i = 0; i < point.candidateCount(); i++) {
            long p = priority(point.candidate(i).id());
            if (p > bestPriority) {
                best = i;
                bestPriority = p;
            }
        }
        return best;
    }

    private long priority(int actorId) {
        if (actorId >= priorities.length) {
            int size = Math.max(actorId + 1, priorities.length * 2);
            priorities = Arrays.copyOf(priorities, size);
            assigned = Arrays.copyOf(assigned, size);
        }
        if (!assigned[actorId]) {
            assigned[actorId] = true;
            priorities[actorId] = 1 + (random.nextLong() >>> 2);
        }
        return priorities[actorId];
    }

    @Override
    public int pickValue(String label, int bound) {
        return random.nextInt(bound);
    }
}
