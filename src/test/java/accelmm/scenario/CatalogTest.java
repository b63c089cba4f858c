package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Budget;
import accelmm.check.Coverage;
import accelmm.check.Exploration;
import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Trace;
import accelmm.sim.TraceEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in catalog: every entry loads for running, states its verdicts, and meets them
 * under random walks and PCT (seed 1, 2,000 executions per design combination) and under the
 * default exploration of {@code accelmm check catalog/NAME}, whose DFS bounded to 2 preemptions
 * proves every clean verdict complete within the default budget.
 */
class CatalogTest {

    private static final Budget DEFAULT_BUDGET = new Budget(2_000, null);
    private static final String RACE = "userptr-munmap-race";

    /** The race's combinations, explored once for the tests that look at them. */
    private static List<ScenarioChecker.CombinationResult> race;

    @BeforeAll
    static void exploreRace() {
        race = ScenarioChecker.check(Catalog.find(RACE).scenario(), new Strategy.Mixed(1), DEFAULT_BUDGET);
    }

    static Stream<String> entryNames() {
        return Catalog.entries().stream().map(Catalog.Entry::name);
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void entry_parsedForRunning_statesAtLeastOneVerdict(String name) {
        Catalog.Entry entry = Catalog.find(name);

        Scenario scenario = entry.scenario();

        assertThat(scenario.fileName()).isEqualTo("catalog/" + name + ".scn");
        assertThat(scenario.verdicts()).as("expect lines of %s", name).isNotEmpty();
        assertThat(entry.text().lines().filter(l -> l.startsWith("expect "))).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void entry_checkedWithDefaultStrategy_meetsEveryExpectation(String name) {
        List<ScenarioChecker.CombinationResult> results =
                ScenarioChecker.check(Catalog.find(name).scenario(), new Strategy.Mixed(1), DEFAULT_BUDGET);

        assertThat(results).isNotEmpty();
        for (ScenarioChecker.CombinationResult r : results) {
            assertThat(r.holds()).as("%s %s: expected %s, found %s", name, r.designs(), r.expected(),
                    r.exploration().violated() ? r.exploration().firstViolation().violation() : "none").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("entryNames")
    void entry_checkedWithTheDefaultDfs_cleanRowsCompleteViolationsFoundAndShrunk(String name) {
        List<ScenarioChecker.CombinationResult> results =
                ScenarioChecker.check(Catalog.find(name).scenario(), new Strategy.Dfs(2), Budget.DEFAULT);

        for (ScenarioChecker.CombinationResult r : results) {
            Exploration e = r.exploration();
            assertThat(r.holds()).as("%s %s", name, r.designs()).isTrue();
            assertThat(e.coverage()).as("%s %s: settled by the DFS", name, r.designs())
                    .isInstanceOf(Coverage.Systematic.class);
            if (e.violated()) {
                assertThat(r.shrunk()).isNotNull();
                assertThat(r.shrunk().size()).isLessThanOrEqualTo(r.shrunk().original());
                assertThat(r.shrunk().result().violation().invariant()).isEqualTo(e.firstViolation().violation().invariant());
                assertThat(idleRoundTrips(r.counterexample().trace())).as("%s %s: a switch to an actor that only"
                        + " gives the CPU back changes nothing", name, r.designs()).isEmpty();
            } else {
                assertThat(e.complete()).as("%s %s complete for 2 preemptions", name, r.designs()).isTrue();
            }
        }
    }

    /**
     * The steps at which an actor was preempted for another that, before doing anything, was
     * preempted back to it: a round trip a shrunk counterexample should not need.
     */
    static List<String> idleRoundTrips(Trace trace) {
        List<String> out = new ArrayList<>();
        List<TraceEvent> events = trace.events();
        int previous = -1;
        for (int i = 0; i < events.size(); i++) {
            if (!trace.isStep(i)) {
                continue;
            }
            if (previous >= 0 && events.get(previous) instanceof TraceEvent.Point from
                    && events.get(i) instanceof TraceEvent.Point back
                    && back.actor().equals(trace.ranNext(previous)) && from.actor().equals(trace.ranNext(i))) {
                out.add(from.render() + " then " + back.render());
            }
            previous = i;
        }
        return out;
    }

    @Test
    void index_listsEveryCatalogFile() throws IOException, URISyntaxException {
        Path dir = Path.of(Catalog.class.getResource("/accelmm/catalog/INDEX").toURI()).getParent();
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".scn"))
                    .map(f -> f.substring(0, f.length() - ".scn".length())).sorted().toList();
        }

        assertThat(entryNames().sorted().toList()).isEqualTo(files);
    }

    @Test
    void userptrMunmapRace_hmmNoRetry_findsUseAfterFree() {
        Exploration e = combination("userptr=hmm-no-retry").exploration();

        assertThat(e.violated()).isTrue();
        assertThat(e.firstViolation().violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
        assertThat(e.firstViolation().violation().actor()).isEqualTo("gpu0 engine");
        assertThat(e.firstViolation().trace()).isNotNull();
    }

    @Test
    void userptrMunmapRace_violationSchedule_replaysToSameViolation() {
        ScenarioChecker.CombinationResult r = combination("userptr=hmm-no-retry");
        RunResult found = r.exploration().firstViolation();

        RunResult replayed = new ScenarioModel(Catalog.find(RACE).scenario(), r.combination())
                .execute(new ReplayChoiceSource(found.schedule()), true);

        assertThat(replayed.violation()).isEqualTo(found.violation());
        assertThat(replayed.trace().render()).isEqualTo(found.trace().render());
    }

    @Test
    void userptrMunmapRace_violationScheduleToken_replaysToSameViolation() {
        // What a user copies from the report into `accelmm replay`.
        ScenarioChecker.CombinationResult r = combination("userptr=hmm-no-retry");
        RunResult found = r.exploration().firstViolation();

        RunResult replayed = new ScenarioModel(Catalog.find(RACE).scenario(), r.combination())
                .execute(new ReplayChoiceSource(accelmm.sim.Schedule.parse(found.schedule().token())), false);

        assertThat(replayed.violation()).isEqualTo(found.violation());
    }

    @Test
    void userptrMunmapRace_shrunkCounterexample_noLongerThanFoundAndReplays() {
        ScenarioChecker.CombinationResult r = combination("userptr=hmm-no-retry");
        RunResult found = r.exploration().firstViolation();
        RunResult shrunk = r.counterexample();

        RunResult replayed = new ScenarioModel(Catalog.find(RACE).scenario(), r.combination())
                .execute(new ReplayChoiceSource(accelmm.sim.Schedule.parse(shrunk.schedule().token())), true);

        assertThat(r.shrunk()).isNotNull();
        assertThat(shrunk.steps()).isLessThanOrEqualTo(found.steps());
        assertThat(r.shrunk().size()).isLessThanOrEqualTo(r.shrunk().original());
        assertThat(r.shrunk().original().steps()).isEqualTo(found.steps());
        assertThat(shrunk.violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
        assertThat(replayed.violation()).isEqualTo(shrunk.violation());
        assertThat(replayed.trace().render()).isEqualTo(shrunk.trace().render());
    }

    @Test
    void userptrMunmapRace_hmmAndPin_noCounterexampleToShrink() {
        for (String designs : List.of("userptr=hmm", "userptr=pin")) {
            assertThat(combination(designs).shrunk()).as(designs).isNull();
        }
    }

    @Test
    void userptrMunmapRace_hmmAndPin_cleanOverWholeBudget() {
        for (String designs : List.of("userptr=hmm", "userptr=pin")) {
            Exploration e = combination(designs).exploration();

            assertThat(e.violated()).as("%s: %s", designs, e.firstViolation()).isFalse();
            assertThat(e.executions()).as(designs).isEqualTo(DEFAULT_BUDGET.maxExecutions());
        }
    }

    private static ScenarioChecker.CombinationResult combination(String designs) {
        return race.stream().filter(r -> r.designs().equals(designs)).findFirst()
                .orElseThrow(() -> new AssertionError("no combination " + designs));
    }
}
