package accelmm.check;

import static accelmm.check.DfsModels.Step;
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
 * State caching loses nothing: over random small models of two or three actors reading and
 * writing shared cells (their footprints declared, or not), which fingerprint their states, the
 * DFS with caching reaches the same end states as without, finds every violation (an end state
 * made the target) the search without caching finds, and completes, for every reduction and
 * preemption bound (0 to 3, or none).
 */
class StateCachingPropertyTest {

    private static final Budget LARGE = new Budget(1_000_000, null);

    private static int bound(int k) {
        return k == 4 ? Strategy.Dfs.UNBOUNDED : k;
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void stateCaching_randomModels_sameEndStatesAsWithout(@ForAll("models") List<List<Step>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll Strategy.Reduction reduction,
            @ForAll boolean declare) {
        int bound = bound(k);
        Set<String> without = new TreeSet<>();
        Set<String> with = new TreeSet<>();

        new Explorer().explore(DfsModels.fingerprintedCells(actors, 2, declare, without, null),
                new Strategy.Dfs(bound, reduction, false), LARGE);
        Exploration cached = new Explorer().explore(DfsModels.fingerprintedCells(actors, 2, declare, with, null),
                new Strategy.Dfs(bound, reduction, true), LARGE);

        assertThat(with).isEqualTo(without);
        assertThat(cached.complete()).isTrue();
    }

    @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
    void stateCaching_randomModels_findsEveryViolation(@ForAll("models") List<List<Step>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll Strategy.Reduction reduction) {
        int bound = bound(k);
        Set<String> ends = new TreeSet<>();
        new Explorer().explore(DfsModels.fingerprintedCells(actors, 2, true, ends, null),
                new Strategy.Dfs(bound, reduction, false), LARGE);

        assertThat(ends).isNotEmpty();
        for (String target : ends) {
            Exploration cached = new Explorer().explore(
                    DfsModels.fingerprintedCells(actors, 2, true, new TreeSet<>(), target),
                    new Strategy.Dfs(bound, reduction, true), LARGE);
            assertThat(cached.violated()).as("end state %s", target).isTrue();
        }
    }

    /**
     * Waiters and wakers of a completion beside reads, writes and data choices, footprints
     * observed (so DPOR leaves wake races alone, at cache hits too): the same end states with
     * caching as without, for every reduction and bound.
     */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void stateCaching_waitsAndCompletions_sameEndStatesAsWithout(@ForAll("waitModels") List<List<DfsModels.Op>> actors,
            @ForAll @IntRange(min = 0, max = 4) int k, @ForAll Strategy.Reduction reduction) {
        int bound = bound(k);
        Set<String> without = new TreeSet<>();
        Set<String> with = new TreeSet<>();

        new Explorer().explore(DfsModels.fingerprintedOps(actors, 2, without, null),
                new Strategy.Dfs(bound, reduction, false), LARGE);
        Exploration cached = new Explorer().explore(DfsModels.fingerprintedOps(actors, 2, with, null),
                new Strategy.Dfs(bound, reduction, true), LARGE);

        assertThat(with).isEqualTo(without);
        assertThat(cached.complete()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void stateCaching_waiterAndCompleter_hitsStoredStates() {
        List<List<DfsModels.Op>> actors = List.of(
                List.of(new DfsModels.Op(DfsModels.Kind.WRITE, 1), new DfsModels.Op(DfsModels.Kind.WAIT, 0)),
                List.of(new DfsModels.Op(DfsModels.Kind.WRITE, 0), new DfsModels.Op(DfsModels.Kind.COMPLETE, 0)));
        Set<String> ends = new TreeSet<>();

        Exploration e = new Explorer().explore(DfsModels.fingerprintedOps(actors, 2, ends, null),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE, true), LARGE);

        // The two first writes touch different cells: both orders reach one state.
        assertThat(e.cacheHits()).isPositive();
        assertThat(e.complete()).isTrue();
    }

    @Provide
    Arbitrary<List<List<DfsModels.Op>>> waitModels() {
        // Weights of READ, WRITE, LOCKED_WRITE (none: a mutex's waiter order is not fingerprinted), CHOOSE, WAIT, COMPLETE.
        return DfsModels.opModels(2, 2, 0, 1, 3, 3);
    }

    @org.junit.jupiter.api.Test
    void stateCaching_twoIndependentActors_hitsStoredStates() {
        List<List<Step>> actors = List.of(List.of(new Step(0, true), new Step(0, true)),
                List.of(new Step(1, true), new Step(1, true)));
        Set<String> ends = new TreeSet<>();

        long stateless = new Explorer().explore(DfsModels.fingerprintedCells(actors, 2, true, new TreeSet<>(), null),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE, false), LARGE).executions();
        Exploration e = new Explorer().explore(DfsModels.fingerprintedCells(actors, 2, true, ends, null),
                new Strategy.Dfs(Strategy.Dfs.UNBOUNDED, Strategy.Reduction.NONE, true), LARGE);

        // Two orders of one step of each actor reach the same state: the second meets the first's.
        assertThat(e.cacheHits()).isPositive();
        assertThat(e.executions()).isLessThan(stateless);
        assertThat(ends).hasSize(1);
    }

    @Provide
    Arbitrary<List<List<Step>>> models() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(3);
    }
}
