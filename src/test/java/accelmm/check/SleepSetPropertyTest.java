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
 * Sleep sets never lose what plain DFS finds: over random small models of two or three actors
 * touching a few shared cells with declared accesses, the search with sleep sets reaches every
 * end state plain DFS reaches (so every violation, whichever end state it is), for bounded and
 * unbounded searches, in no more executions.
 */
class SleepSetPropertyTest {

    private static final Budget LARGE = new Budget(1_000_000, null);

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void sleepSets_reachEveryEndStateOfPlainDfs(@ForAll("models") List<List<Step>> actors,
            @ForAll @IntRange(min = 0, max = 3) int bound) {
        int k = bound == 3 ? Strategy.Dfs.UNBOUNDED : bound;
        Set<String> plainEnds = new TreeSet<>();
        Set<String> sleepEnds = new TreeSet<>();

        Exploration plain = new Explorer().explore(DfsModels.cells(actors, 3, true, plainEnds, null),
                new Strategy.Dfs(k, false), LARGE);
        Exploration sleep = new Explorer().explore(DfsModels.cells(actors, 3, true, sleepEnds, null),
                new Strategy.Dfs(k, true), LARGE);

        assertThat(sleepEnds).containsAll(plainEnds);
        assertThat(sleep.executions()).isLessThanOrEqualTo(plain.executions());
        assertThat(sleep.complete()).isTrue();
        if (k == Strategy.Dfs.UNBOUNDED) {
            assertThat(sleepEnds).isEqualTo(plainEnds);
        }
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
    void sleepSets_findEveryViolationPlainDfsFinds(@ForAll("models") List<List<Step>> actors,
            @ForAll @IntRange(min = 0, max = 2) int bound) {
        Set<String> plainEnds = new TreeSet<>();
        new Explorer().explore(DfsModels.cells(actors, 3, true, plainEnds, null), new Strategy.Dfs(bound, false),
                LARGE);

        for (String target : plainEnds) {
            Exploration sleep = new Explorer().explore(DfsModels.cells(actors, 3, true, new TreeSet<>(), target),
                    new Strategy.Dfs(bound, true), LARGE);
            assertThat(sleep.violated()).as("end state %s", target).isTrue();
            assertThat(sleep.firstViolation().violation().message()).isEqualTo("reached " + target);
        }
    }

    @Provide
    Arbitrary<List<List<Step>>> models() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(3);
    }
}
