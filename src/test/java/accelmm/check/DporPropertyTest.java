package accelmm.check;

import static accelmm.check.DfsModels.Kind;
import static accelmm.check.DfsModels.Op;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Source-DPOR never loses what the unreduced search finds: over random small models of two or
 * three actors reading and writing shared cells, under a mutex, waiting for a completion
 * another completes, and choosing values, the DPOR search reaches every end state (so every
 * violation, whichever end state it is) the search without reduction reaches within the same
 * preemption bound (0 to 3, or none), running no more than the unreduced search (pruned runs
 * included). Sleep sets alone are checked alongside on these richer models too.
 * Unbounded, every end state is reachable either way, so the sets are equal.
 */
class DporPropertyTest {

    private static final Budget LARGE = new Budget(1_000_000, null);

    private static int bound(int k) {
        return k == 4 ? Strategy.Dfs.UNBOUNDED : k;
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void dpor_reachesEveryEndStateOfTheUnreducedSearch(@ForAll("models") List<List<Op>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll boolean observe) {
        int bound = bound(k);
        Set<String> noneEnds = new TreeSet<>();
        Set<String> sleepEnds = new TreeSet<>();
        Set<String> dporEnds = new TreeSet<>();

        Exploration none = new Explorer().explore(DfsModels.ops(actors, 2, observe, noneEnds, null),
                new Strategy.Dfs(bound, Strategy.Reduction.NONE), LARGE);
        DfsSearch sleep = new DfsSearch(DfsModels.ops(actors, 2, observe, sleepEnds, null),
                new Strategy.Dfs(bound, Strategy.Reduction.SLEEP));
        long sleepRuns = sleep.explore(LARGE).executions() + sleep.prunedRuns();
        DfsSearch dporSearch = new DfsSearch(DfsModels.ops(actors, 2, observe, dporEnds, null),
                new Strategy.Dfs(bound, Strategy.Reduction.DPOR));
        Exploration dpor = dporSearch.explore(LARGE);

        assertThat(dporEnds).containsAll(noneEnds);
        assertThat(sleepEnds).containsAll(noneEnds);
        // Some models' unreduced trees hold more executions than the budget (three actors of
        // three operations, several steps each: millions of interleavings); with declared
        // footprints, which reduce little, DPOR need not finish within it either.
        if (none.complete()) {
            assertThat(dpor.complete()).isTrue();
        }
        // Every run, pruned ones included, is a distinct path of the unreduced tree.
        assertThat(dpor.executions() + dporSearch.prunedRuns()).isLessThanOrEqualTo(none.executions());
        if (observe && bound == Strategy.Dfs.UNBOUNDED) {
            // Bounded, DPOR gives up sleep sets (see DfsTask), so only unbounded it never runs more.
            assertThat(dpor.executions() + dporSearch.prunedRuns()).isLessThanOrEqualTo(sleepRuns);
        }
        if (bound == Strategy.Dfs.UNBOUNDED && none.complete() && dpor.complete()) {
            assertThat(dporEnds).isEqualTo(noneEnds);
        }
    }

    @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
    void dpor_findsEveryViolationTheUnreducedSearchFinds(@ForAll("models") List<List<Op>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll boolean observe) {
        int bound = bound(k);
        Set<String> noneEnds = new TreeSet<>();
        new Explorer().explore(DfsModels.ops(actors, 2, observe, noneEnds, null), new Strategy.Dfs(bound, Strategy.Reduction.NONE),
                LARGE);

        for (String target : noneEnds) {
            Exploration dpor = new Explorer().explore(DfsModels.ops(actors, 2, observe, new TreeSet<>(), target),
                    new Strategy.Dfs(bound, Strategy.Reduction.DPOR), LARGE);
            assertThat(dpor.violated()).as("end state %s", target).isTrue();
            assertThat(dpor.firstViolation().violation().message()).isEqualTo("reached " + target);
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void dpor_jobs_sameResultForEveryNumberOfThreads(@ForAll("models") List<List<Op>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll boolean observe) {
        Strategy.Dfs s = new Strategy.Dfs(bound(k));
        // Hand-overs every 2 executions: small models still cut into many tasks and requests.
        Exploration one = new DfsSearch(DfsModels.ops(actors, 2, observe, new TreeSet<>(), null), s, 2).explore(LARGE);
        for (int jobs : new int[] {2, 4}) {
            DfsSearch search = new DfsSearch(DfsModels.ops(actors, 2, observe, new TreeSet<>(), null), s, 2);
            Exploration many = search.explore(LARGE.withJobs(jobs));
            assertThat(many.executions()).isEqualTo(one.executions());
            assertThat(many.steps()).isEqualTo(one.steps());
            assertThat(many.coverage()).isEqualTo(one.coverage());
        }
    }

    /**
     * Waiters and wakers: most steps wait for the completion, complete it or take the mutex, so
     * most races are an actor woken by another (observed footprints, where DPOR tells a wake
     * from a race it can reverse).
     */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void dpor_wakes_reachesEveryEndStateOfTheUnreducedSearch(@ForAll("wakeModels") List<List<Op>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k) {
        int bound = bound(k);
        Set<String> noneEnds = new TreeSet<>();
        Set<String> dporEnds = new TreeSet<>();
        Exploration none = new Explorer().explore(DfsModels.ops(actors, 2, true, noneEnds, null),
                new Strategy.Dfs(bound, Strategy.Reduction.NONE), LARGE);
        Exploration dpor = new Explorer().explore(DfsModels.ops(actors, 2, true, dporEnds, null),
                new Strategy.Dfs(bound, Strategy.Reduction.DPOR), LARGE);
        assertThat(dporEnds).containsAll(noneEnds);
        if (none.complete()) {
            assertThat(dpor.complete()).isTrue();
            if (bound == Strategy.Dfs.UNBOUNDED) {
                assertThat(dporEnds).isEqualTo(noneEnds);
            }
        }
    }

    @Provide
    Arbitrary<List<List<Op>>> wakeModels() {
        // Weights of READ, WRITE, LOCKED_WRITE, CHOOSE, WAIT, COMPLETE.
        return DfsModels.opModels(2, 2, 2, 0, 3, 3);
    }

    @Provide
    Arbitrary<List<List<Op>>> models() {
        return DfsModels.opModels(4, 4, 2, 1, 1, 1);
    }
}
