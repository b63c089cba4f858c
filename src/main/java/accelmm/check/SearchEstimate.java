package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.SchedulingPoint;

/**
 * An estimate of how many executions a {@link Strategy.Dfs} search has, before it runs: Knuth's
 * estimator ("Estimating the efficiency of backtrack programs", Math. Comp. 1975). A probe is
 * one execution that takes a uniformly random option at every decision, among those the
 * preemption bound allows, and multiplies the numbers of options it had; that product's mean
 * over probes is an unbiased estimate of the number of leaves of the decision tree within the
 * bound. Its variance is large on lopsided trees (a few deep subtrees hold most leaves): a probe
 * seldom enters them, so 32 probes often come out low, by orders of magnitude on some catalog
 * rows. Reduction only removes executions from that tree: the reduced search does not exceed
 * the size estimated, as far as the estimate is right.
 */
final class SearchEstimate {

    /** Probes per estimate. */
    static final int PROBES = 32;
    /** A DFS allowed more executions than this gets an estimate first. */
    static final long LONG_SEARCH = 100_000;

    private SearchEstimate() {
    }

    /** Whether a search with {@code strategy} within {@code budget} is long enough to be estimated first. */
    static boolean worthIt(Strategy.Dfs strategy, Budget budget) {
        return !strategy.bounded() || budget.maxExecutions() > LONG_SEARCH;
    }

    /** The mean of {@code probes} probes of {@code model}'s decision tree within {@code strategy}'s bound. */
    static double executions(Model model, Strategy.Dfs strategy, int probes, long seed) {
        return executions(model, strategy, probes, seed, Deadline.NONE);
    }

    /**
     * As {@link #executions(Model, Strategy.Dfs, int, long)}, probing no more once {@code stop}
     * has passed (the user interrupted the check): the mean of the probes done, or NaN for none.
     */
    static double executions(Model model, Strategy.Dfs strategy, int probes, long seed, Deadline stop) {
        double sum = 0;
        int done = 0;
        for (int i = 0; i < probes && !stop.passed(); i++) {
            Probe p = new Probe(strategy.preemptionBound(), Explorer.mix(seed, i));
            model.execute(p, false, stop);
            sum += p.leaves;
            done++;
        }
        return done == 0 ? Double.NaN : sum / done;
    }

    /** One random path down the tree, counting the options on the way. */
    private static final class Probe implements ChoiceSource {
        private final int bound;
        private final RandomChoiceSource random;
        private int preemptions;
        double leaves = 1;

        Probe(int bound, long seed) {
            this.bound = bound;
            this.random = new RandomChoiceSource(seed);
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            int running = point.running() == null ? -1 : point.indexOf(point.running());
            // Another actor while the running one could go on is a preemption, as in the DFS.
            if (running >= 0 && preemptions >= bound) {
                return running;
            }
            int n = point.candidateCount();
            int pick = random.nextInt(n);
            leaves *= n;
            if (running >= 0 && pick != running) {
                preemptions++;
            }
            return pick;
        }

        @Override
        public int pickValue(String label, int bound) {
            leaves *= bound;
            return random.nextInt(bound);
        }
    }
}
