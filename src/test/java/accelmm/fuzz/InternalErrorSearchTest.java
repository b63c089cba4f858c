package accelmm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.check.ModelBugException;
import accelmm.check.RunResult;
import accelmm.check.Strategy;
import accelmm.scenario.ScenarioModel;
import accelmm.sim.Outcome;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Simulation;
import accelmm.sim.TraceEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The search for internal errors itself: verdicts do not stop it, an exception comes with a
 * schedule that replays to it, and a model that is not deterministic is found.
 */
class InternalErrorSearchTest {

    private static final String TWO_THREADS = """
            scenario "two threads"
            process A

            thread A.one:
              p = mmap 4K

            thread A.two:
              q = mmap 4K
            """;

    /** The real model, which throws a model bug whenever A.two maps before A.one. */
    private static final InternalErrorSearch.Models PLANTED = (scenario, combination) -> {
        ScenarioModel real = new ScenarioModel(scenario, combination);
        return (choices, trace) -> {
            RunResult r = real.execute(choices, true);
            List<String> lines = r.trace().events().stream().map(TraceEvent::render).toList();
            if (lines.indexOf("A.two: q = mmap 4K -> 0x10000000") >= 0) {
                throw new ModelBugException("planted", new IllegalStateException("A.two mapped first"), r.schedule());
            }
            return r;
        };
    };

    @Test
    void search_everyExecutionBreaksAnExpectation_goesOnToTheBudget() {
        InternalErrorSearch search = new InternalErrorSearch(new Strategy.Mixed(1), 20);

        InternalErrorSearch.Outcome o = search.search("""
                scenario "always fails"
                process A

                thread A.main:
                  p = mmap 4K
                  expect p == 0
                """);

        assertThat(o.errors()).isEmpty();
        assertThat(o.executions()).isEqualTo(20);
        assertThat(o.ends()).isEqualTo(Map.of("expectation (expect)", 20L));
        assertThat(o.replayed()).isEqualTo(20 / InternalErrorSearch.REPLAY_EVERY + 1);
    }

    @Test
    void search_exceptionInSomeInterleavings_reportedWithAScheduleThatReplaysToIt() {
        InternalErrorSearch search = new InternalErrorSearch(new Strategy.Mixed(1), 50, PLANTED);

        InternalErrorSearch.Outcome o = search.search(TWO_THREADS);

        assertThat(o.errors()).hasSize(1);
        InternalErrorSearch.Failure f = o.errors().get(0);
        assertThat(f.schedule()).isNotNull();
        assertThat(f.reproduced()).isTrue();
        assertThat(f.rootCause()).isInstanceOf(IllegalStateException.class).hasMessage("A.two mapped first");
        assertThat(f.report(InternalErrorSearch.FILE_NAME))
                .contains("replay: bin/accelmm replay generated.scn --schedule " + f.schedule().token() + "\n");
        ScenarioModel fresh = new ScenarioModel(InternalErrorSearch.load(TWO_THREADS), Map.of());
        assertThatThrownBy(() -> PLANTED.of(fresh.scenario(), Map.of())
                .execute(new ReplayChoiceSource(f.schedule()), false))
                .isInstanceOf(ModelBugException.class).hasRootCauseMessage("A.two mapped first");
    }

    @Test
    void search_modelWhoseTraceDependsOnMoreThanTheSchedule_reportedAsNotDeterministic() {
        AtomicInteger runs = new AtomicInteger();
        InternalErrorSearch.Models flaky = (scenario, combination) -> (choices, trace) -> {
            Simulation sim = new Simulation(choices, trace, 1000);
            int run = runs.incrementAndGet();
            sim.spawn("a", () -> sim.traceOperation("execution " + run, "ok"));
            Outcome outcome = sim.run();
            return new RunResult(outcome, null, sim.schedule(), sim.trace(), sim.steps());
        };
        InternalErrorSearch search = new InternalErrorSearch(new Strategy.Mixed(1), 10, flaky);

        InternalErrorSearch.Outcome o = search.search(TWO_THREADS);

        assertThat(o.errors()).hasSize(1);
        assertThat(o.errors().get(0).kind()).startsWith("NotDeterministic in ");
        assertThat(o.errors().get(0).firstLine()).contains("the traces differ at line 1",
                "'1. a: execution 1 -> ok' then '1. a: execution 2 -> ok'");
        assertThat(o.errors().get(0).reproduced()).isTrue();
    }

    @Test
    void search_scenarioModel_replaysAndMatchesEverySampledExecution() {
        InternalErrorSearch search = new InternalErrorSearch(new Strategy.Mixed(1), 30);

        InternalErrorSearch.Outcome o = search.search(TWO_THREADS);

        assertThat(o.errors()).isEmpty();
        assertThat(o.replayed()).isEqualTo(4);
    }
}
