package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Exploration;
import accelmm.check.Explorer;
import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.fuzz.GeneratedScenario;
import accelmm.fuzz.InternalErrorSearch;
import accelmm.sim.ChoiceSource;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import accelmm.sim.SchedulingPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State caching on the scenario models loses nothing: a DFS that caches states ({@link
 * accelmm.sim.StateWalk fingerprints walked from the world}) reaches the same end states as the same search
 * without caching, with the same verdicts and the same completeness, on every catalog row the
 * search completes. An end state is the walked fingerprint of the world when the run ended (every
 * thread done, daemons idle) with the run's outcome and verdict; a run a cache hit cut short
 * reaches no end state of its own, the stored subtree having reached the same ones.
 *
 * <p>The searches run with the default reduction (DPOR), at two preemptions and unbounded on the
 * catalog and at one preemption on generated scenarios ({@link GeneratedScenario}); the caching
 * one must also meet stored states on the entries known to share subtrees, or the comparison
 * would prove nothing there.
 */
class StateCachingScenarioTest {

    private static final int BUDGET = 20_000;
    private static final String NOT_WALKABLE = "(not walkable)";
    private static final int BOUND = 2;
    /** Catalog entries whose searches at {@link #BOUND} meet stored states: more than 100 cache hits each. */
    private static final Set<String> SHARING = Set.of("prime-import-eviction", "eviction-races-job",
            "prime-rdma-import-eviction");

    static Stream<String> entryNames() {
        return Catalog.entries().stream().map(Catalog.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void cachingSearch_catalogEntry_reachesTheEndStatesAndVerdictsOfTheSearchWithout(String name) {
        long hits = compareEveryCombination(name, BOUND);
        if (SHARING.contains(name)) {
            // The comparison is only worth something where the caching search cut runs short.
            assertThat(hits).as(name).isGreaterThan(100);
        }
    }

    /**
     * Without a preemption bound, where caching is on by default and cuts the most: the race of
     * munmap and a userptr bind under every design, and two rows of forks and dma-buf lifetimes.
     */
    @Test
    void cachingSearch_unbounded_reachesTheEndStatesAndVerdictsOfTheSearchWithout() {
        long hits = 0;
        for (String name : List.of("userptr-munmap-race", "prime-lifetime", "cow-fork")) {
            hits += compareEveryCombination(name, Strategy.Dfs.UNBOUNDED);
        }
        assertThat(hits).isPositive();
    }

    /** {@link #compare} under every design combination of catalog entry {@code name}; the cache hits. */
    private static long compareEveryCombination(String name, int bound) {
        Scenario scenario = Catalog.find(name).scenario();
        long hits = 0;
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            hits += compare(name, scenario, combination, bound);
        }
        return hits;
    }

    /** Random scenarios of up to three threads: the same end states and verdicts with caching as without. */
    @Property(tries = 25, seed = "20261204", edgeCases = EdgeCasesMode.NONE)
    void cachingSearch_generatedScenario_reachesTheEndStatesAndVerdictsOfTheSearchWithout(
            @ForAll("scenarios") GeneratedScenario generated) {
        Scenario scenario = InternalErrorSearch.load(generated.text());
        for (Map<DesignKey, String> combination : ScenarioChecker.combinations(scenario)) {
            compare("generated", scenario, combination, 1);
        }
    }

    @Provide
    Arbitrary<GeneratedScenario> scenarios() {
        return GeneratedScenario.arbitrary(3, 5);
    }

    /** The comparison for one combination at {@code bound} preemptions; returns the cache hits of the caching search. */
    static long compare(String name, Scenario scenario, Map<DesignKey, String> combination, int bound) {
        ScenarioModel model = new ScenarioModel(scenario, combination);
        Map<String, String> plain = new TreeMap<>();
        Exploration without = explore(model, new Strategy.Dfs(bound, Strategy.Reduction.DPOR, false), plain);
        Map<String, String> cached = new TreeMap<>();
        Exploration with = explore(model, new Strategy.Dfs(bound, Strategy.Reduction.DPOR, true), cached);
        String row = name + " " + ScenarioChecker.describe(combination);

        if (with.complete() && !with.violated()) {
            // A clean complete search with caching: the search without finds nothing either.
            assertThat(without.violated()).as("%s: a violation only the search without caching found", row).isFalse();
        }
        if (!without.complete() || without.violated()) {
            // Caching may complete where the search without runs out of budget; a violation,
            // found by both, may be another one when the two orders reach them differently.
            return with.cacheHits();
        }
        assertThat(with.complete()).as("%s: complete without caching, not with", row).isTrue();
        assertThat(with.violated()).as("%s: a violation only the caching search found", row).isFalse();
        Set<String> missing = new TreeSet<>(plain.keySet());
        missing.removeAll(cached.keySet());
        Set<String> extra = new TreeSet<>(cached.keySet());
        extra.removeAll(plain.keySet());
        assertThat(missing).as("%s: end states only the search without caching reached (%d vs %d executions);"
                + " first by %s", row, with.executions(), without.executions(),
                missing.isEmpty() ? "" : plain.get(missing.iterator().next())).isEmpty();
        assertThat(extra).as("%s: end states only the caching search reached", row).isEmpty();
        // Every thread done and every daemon idle: a world the walk cannot take apart would make
        // caching silently stateless.
        assertThat(plain.keySet()).as("%s: end states the walk refused", row).noneMatch(k -> k.endsWith(NOT_WALKABLE));
        return with.cacheHits();
    }

    /**
     * Explores {@code model}, keeping each end state with the first schedule that reached it. The
     * end state of a run is taken on a replay of its schedule by the model's {@linkplain
     * ScenarioModel#withEndStateFingerprints end-state fingerprints}, which do not tell apart
     * runs that created independent objects in another order (the reduction explores one of
     * them, and which one may differ with caching).
     */
    static Exploration explore(ScenarioModel model, Strategy strategy, Map<String, String> endStates) {
        List<RunResult> ended = new ArrayList<>();
        Model recording = Recording.of(model, false, ended::add);
        Exploration exploration = new Explorer().explore(recording, strategy, new Budget(BUDGET, null).withJobs(1));
        ScenarioModel endStateModel = model.withEndStateFingerprints();
        for (RunResult r : ended) {
            String verdict = r.violated() ? r.violation().invariant().toString() : r.outcome().getClass().getSimpleName();
            endStates.putIfAbsent(verdict + " " + endState(endStateModel, r.schedule()), r.schedule().toString());
        }
        return exploration;
    }

    /** The end state's fingerprint of the run {@code schedule} makes, replayed. */
    private static String endState(ScenarioModel model, Schedule schedule) {
        EndState end = new EndState(new ReplayChoiceSource(schedule));
        model.execute(end, false);
        return end.state;
    }

    /** A replay that asks for fingerprints and notes the end state's. */
    private static final class EndState implements ChoiceSource {
        private final ChoiceSource source;
        String state = "(stopped before its end)";

        EndState(ChoiceSource source) {
            this.source = source;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            return source.pickActor(point);
        }

        @Override
        public int pickValue(String label, int bound) {
            return source.pickValue(label, bound);
        }

        @Override
        public boolean wantsFootprints() {
            // The end state is noted when the run ends, which only a source that wants footprints hears.
            return true;
        }

        @Override
        public boolean wantsFingerprints() {
            return true;
        }

        @Override
        public void runEnded(SchedulingPoint last) {
            state = last.fingerprinted() ? Long.toHexString(last.fingerprintHigh()) + Long.toHexString(last.fingerprintLow())
                    : NOT_WALKABLE;
            source.runEnded(last);
        }
    }
}
