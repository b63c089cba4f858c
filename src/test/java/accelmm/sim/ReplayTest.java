package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.ReplayChoiceSource.ReplayDivergence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A recorded schedule reproduces its run; past its end a replay continues deterministically. */
class ReplayTest {

    @Test
    void replay_recordedScheduleOfEverySeed_reproducesTraceAndOutcome() {
        List<Long> diverging = new ArrayList<>();
        for (long seed = 0; seed < DeterminismTest.SEEDS; seed++) {
            Simulation recorded = ContentionScenario.build(new RandomChoiceSource(seed));
            Outcome outcome = recorded.run();
            Simulation replayed = ContentionScenario.build(new ReplayChoiceSource(recorded.schedule()));
            Outcome replayedOutcome = replayed.run();
            if (!replayed.trace().render().equals(recorded.trace().render())
                    || !replayedOutcome.equals(outcome)
                    || !replayed.schedule().equals(recorded.schedule())) {
                diverging.add(seed);
            }
        }
        assertThat(diverging).as("seeds whose replay differs from the recorded run").isEmpty();
    }

    @Test
    void replay_wholeSchedule_usesEveryDecision() {
        Simulation recorded = ContentionScenario.build(new RandomChoiceSource(7));
        recorded.run();
        ReplayChoiceSource replay = new ReplayChoiceSource(recorded.schedule());

        ContentionScenario.build(replay).run();

        assertThat(replay.exhausted()).isTrue();
    }

    @Test
    void replay_tokenOfRecordedSchedule_reproducesTrace() {
        Simulation recorded = ContentionScenario.build(new RandomChoiceSource(42));
        recorded.run();
        Schedule parsed = Schedule.parse(recorded.schedule().token());

        Simulation replayed = ContentionScenario.build(new ReplayChoiceSource(parsed));
        replayed.run();

        assertThat(replayed.trace().render()).isEqualTo(recorded.trace().render());
    }

    /** Two actors passing three preemption points each, reporting each one. */
    private static Simulation twoCounters(ChoiceSource choices) {
        Simulation sim = new Simulation(choices);
        for (String name : new String[] {"a", "b"}) {
            sim.spawn(name, () -> {
                for (int i = 0; i < 3; i++) {
                    sim.preemptionPoint("count");
                    sim.traceOperation("count", Integer.toString(i));
                }
            });
        }
        return sim;
    }

    private static List<String> operationActors(Simulation sim) {
        return sim.trace().events().stream()
                .filter(e -> e instanceof TraceEvent.Op)
                .map(TraceEvent::actor)
                .toList();
    }

    @Test
    void replay_pastEndOfSchedule_keepsRunningActor() {
        Simulation sim = twoCounters(new ReplayChoiceSource(Schedule.of(1)));

        SimTesting.assertCompleted(sim.run());

        assertThat(operationActors(sim)).containsExactly("b", "b", "b", "a", "a", "a");
    }

    @Test
    void replay_emptySchedule_startsLowestIdAndKeepsIt() {
        Simulation sim = twoCounters(new ReplayChoiceSource(Schedule.empty()));

        SimTesting.assertCompleted(sim.run());

        assertThat(operationActors(sim)).containsExactly("a", "a", "a", "b", "b", "b");
    }

    @Test
    void replay_prefixOfSchedule_followsPrefixThenKeepsRunningActor() {
        // start: a; a's first point: b; b's first point: b; b's second point: a; then a keeps
        // the CPU to its end.
        Simulation sim = twoCounters(new ReplayChoiceSource(Schedule.of(0, 1, 1, 0)));

        SimTesting.assertCompleted(sim.run());

        assertThat(operationActors(sim)).containsExactly("b", "a", "a", "a", "b", "b");
    }

    @Test
    void replay_pastEndOfSchedule_choosesZero() {
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.empty()));
        int[] chosen = {-1};
        sim.spawn("a", () -> chosen[0] = sim.choose("victim", 4));

        SimTesting.assertCompleted(sim.run());

        assertThat(chosen[0]).isZero();
    }

    @Test
    void replay_decisionNamingBlockedActor_failsWithReplayDivergence() {
        // start: a (0); a blocks, then b (1); at b's point the schedule names a, which is blocked.
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.of(0, 1, 0)));
        WaitQueue never = new WaitQueue(sim, "never");
        sim.spawn("a", () -> never.waitEvent(() -> false));
        sim.spawn("b", () -> sim.preemptionPoint("b step"));
        sim.spawn("c", () -> sim.preemptionPoint("c step"));

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.actor()).isEqualTo("b");
            assertThat(failed.cause()).isInstanceOf(ReplayDivergence.class)
                    .hasMessageContaining("actor 0 is not runnable");
        });
    }

    @Test
    void replay_decisionNamingUnknownActor_failsWithReplayDivergence() {
        Simulation sim = twoCounters(new ReplayChoiceSource(Schedule.of(0, 9)));

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.cause()).isInstanceOf(ReplayDivergence.class));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void replay_divergenceWhenActorExits_failsTheRun() {
        // start: a (0); a exits and the schedule names a again for its successor.
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.of(0, 0)));
        sim.spawn("a", () -> { });
        sim.spawn("b", () -> { });
        sim.spawn("c", () -> { });

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.actor()).isEqualTo("a");
            assertThat(failed.cause()).isInstanceOf(ReplayDivergence.class);
        });
    }

    @Test
    void replay_dataChoiceOutOfRange_failsWithReplayDivergence() {
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.of(7)));
        sim.spawn("a", () -> sim.choose("victim", 3));

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.cause()).isInstanceOf(ReplayDivergence.class)
                        .hasMessageContaining("out of range"));
    }
}
