package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler itself: run outcomes, kill, step limit, direct mode, spawn, data choices. */
class SimulationTest {

    private final List<String> log = new ArrayList<>();

    // ---- outcomes ------------------------------------------------------------------------

    @Test
    void run_noActors_completes() {
        assertThat(new Simulation(SimTesting.keepRunning()).run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void run_bodyThrows_failedCarriesActorAndException() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        IllegalStateException boom = new IllegalStateException("boom");
        sim.spawn("ok", () -> sim.preemptionPoint("fine"));
        sim.spawn("bad", () -> {
            throw boom;
        });

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.actor()).isEqualTo("bad");
            assertThat(failed.cause()).isSameAs(boom);
        });
    }

    @Test
    void run_bodyThrows_stopsOtherActorsAtOnce() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        sim.spawn("looper", () -> {
            for (int i = 0; i < 10; i++) {
                sim.preemptionPoint("loop");
                log.add("looper " + i);
            }
        });
        sim.spawn("bad", () -> {
            throw new IllegalStateException("boom");
        });

        sim.run();

        assertThat(log).isEmpty();
    }

    @Test
    void run_bodyThrows_endsEveryActorThread() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        Mutex m = new Mutex(sim, "m", new LockClass("m"));
        sim.spawn("holder", () -> {
            m.lock();
            sim.preemptionPoint("holding");
        });
        sim.spawn("waiter", m::lock);
        sim.spawn("looper", () -> {
            while (true) {
                sim.preemptionPoint("loop");
            }
        });
        sim.spawn("bad", () -> {
            sim.preemptionPoint("before failing");
            throw new IllegalStateException("boom");
        });

        assertThat(sim.run()).isInstanceOf(Outcome.Failed.class);

        SimTesting.assertNoActorThreadAlive(sim);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void run_actorWaitsWhileUnwindingFromFailedRun_keepsFailedOutcome() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        WaitQueue queue = new WaitQueue(sim, "q");
        sim.spawn("waiter", () -> {
            try {
                sim.preemptionPoint("before work");
            } finally {
                // Runs while the aborted run unwinds this actor: it must not block again.
                queue.waitEvent(() -> false);
            }
        });
        sim.spawn("bad", () -> {
            throw new IllegalStateException("boom");
        });
        sim.spawn("late", () -> log.add("late ran"));

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void run_loopingActor_endsAsStepLimitExceeded() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), true, 50);
        sim.spawn("spinner", () -> {
            while (true) {
                sim.preemptionPoint("spin");
            }
        });

        assertThat(sim.run()).isEqualTo(new Outcome.StepLimitExceeded(50));
    }

    @Test
    void run_deadlinePassed_endsAsOutOfTimeAtTheNextLookWithoutFinishing() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), false, 1_000_000, () -> true);
        sim.spawn("worker", () -> {
            for (int i = 0; i < 10_000; i++) {
                sim.preemptionPoint("page " + i);
            }
        });

        Outcome outcome = sim.run();

        assertThat(outcome).isEqualTo(new Outcome.OutOfTime(Simulation.DEADLINE_EVERY - 1));
    }

    @Test
    void run_deadlineNotPassed_runsToTheEnd() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), false, 1_000_000, () -> false);
        sim.spawn("worker", () -> {
            for (int i = 0; i < 1_000; i++) {
                sim.preemptionPoint("page " + i);
            }
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
    }

    @Test
    void run_stepLimitExceeded_endsEveryActorThread() {
        Simulation sim = new Simulation(SimTesting.preferOthers(), true, 50);
        for (String name : new String[] {"s1", "s2"}) {
            sim.spawn(name, () -> {
                while (true) {
                    sim.preemptionPoint("spin");
                }
            });
        }

        sim.run();

        SimTesting.assertNoActorThreadAlive(sim);
    }

    @Test
    void run_secondTime_throwsIllegalStateException() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        sim.run();

        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void run_completed_marksEveryActorDone() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        sim.spawn("a", () -> sim.preemptionPoint("a"));
        sim.spawn("b", () -> sim.preemptionPoint("b"));

        sim.run();

        assertThat(sim.actors()).extracting(Actor::state).containsOnly(Actor.State.DONE);
    }

    // ---- kill ----------------------------------------------------------------------------

    @Test
    void kill_blockedActor_endsItAndRunCompletes() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue never = new WaitQueue(sim, "never");
        Actor sleeper = sim.spawn("sleeper", () -> never.waitEvent(() -> false));
        sim.spawn("killer", () -> sim.kill(sleeper));

        SimTesting.assertCompleted(sim.run());

        assertThat(sleeper.state()).isEqualTo(Actor.State.DONE);
    }

    @Test
    void kill_blockedActor_skipsRestOfItsBody() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        WaitQueue never = new WaitQueue(sim, "never");
        Actor sleeper = sim.spawn("sleeper", () -> {
            never.waitEvent(() -> false);
            log.add("sleeper woke");
        });
        sim.spawn("killer", () -> sim.kill(sleeper));

        sim.run();

        assertThat(log).isEmpty();
    }

    @Test
    void kill_runningActorItself_unwindsAtOnce() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        sim.spawn("suicidal", () -> {
            sim.kill(sim.current());
            log.add("after kill");
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(log).isEmpty();
    }

    @Test
    void kill_actorNotYetStarted_neverRunsItsBody() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Actor[] victim = new Actor[1];
        sim.spawn("killer", () -> sim.kill(victim[0]));
        victim[0] = sim.spawn("victim", () -> log.add("victim ran"));

        SimTesting.assertCompleted(sim.run());

        assertThat(log).isEmpty();
    }

    @Test
    void kill_actorPreemptedAtPoint_endsItWhenPickedAgain() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        Actor[] victim = new Actor[1];
        victim[0] = sim.spawn("victim", () -> {
            sim.preemptionPoint("before work");
            log.add("victim worked");
        });
        sim.spawn("killer", () -> sim.kill(victim[0]));

        SimTesting.assertCompleted(sim.run());

        assertThat(log).isEmpty();
    }

    // ---- direct mode ---------------------------------------------------------------------

    @Test
    void preemptionPoint_directMode_doesNothing() {
        Simulation sim = new Simulation(SimTesting.keepRunning());

        sim.preemptionPoint("outside a run");

        assertThat(List.of(sim.steps(), (long) sim.trace().events().size())).containsExactly(0L, 0L);
    }

    @Test
    void current_directMode_isDirectPseudoActor() {
        Simulation sim = new Simulation(SimTesting.keepRunning());

        assertThat(sim.current().name()).isEqualTo("direct");
    }

    @Test
    void current_afterRun_isDirectPseudoActorAgain() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        sim.spawn("a", () -> { });
        sim.run();

        assertThat(List.of(sim.running(), sim.current().name())).containsExactly(false, "direct");
    }

    @Test
    void current_duringRun_isRunningActor() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        for (String name : new String[] {"a", "b"}) {
            sim.spawn(name, () -> {
                sim.preemptionPoint("p");
                log.add(name + " sees " + sim.current().name());
            });
        }

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactlyInAnyOrder("a sees a", "b sees b");
    }

    @Test
    void block_directMode_throwsIllegalStateException() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        Completion never = new Completion(sim, "never");

        assertThatThrownBy(never::waitForCompletion).isInstanceOf(IllegalStateException.class);
    }

    // ---- spawn ---------------------------------------------------------------------------

    @Test
    void spawn_fromRunningActor_runsChild() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        sim.spawn("parent", () -> {
            sim.spawn("child", () -> log.add("child ran as " + sim.current().name()));
            log.add("parent spawned");
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("parent spawned", "child ran as child");
    }

    @Test
    void spawn_fromRunningActor_childCanRunAtParentsNextPoint() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        sim.spawn("parent", () -> {
            sim.spawn("child", () -> log.add("child"));
            sim.preemptionPoint("after spawn");
            log.add("parent");
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("child", "parent");
    }

    // ---- data choices --------------------------------------------------------------------

    @Test
    void choose_randomSource_recordsValueInSchedule() {
        Simulation sim = new Simulation(new RandomChoiceSource(3));
        List<Integer> chosen = new ArrayList<>();
        sim.spawn("a", () -> {
            chosen.add(sim.choose("first", 1_000));
            chosen.add(sim.choose("second", 1_000));
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.schedule()).isEqualTo(Schedule.of(chosen.get(0), chosen.get(1)));
    }

    @Test
    void choose_replayedSchedule_returnsRecordedValues() {
        Simulation sim = new Simulation(new ReplayChoiceSource(Schedule.of(4, 2)));
        List<Integer> chosen = new ArrayList<>();
        sim.spawn("a", () -> {
            chosen.add(sim.choose("first", 5));
            chosen.add(sim.choose("second", 5));
        });

        SimTesting.assertCompleted(sim.run());

        assertThat(chosen).containsExactly(4, 2);
    }

    @Test
    void choose_betweenSchedulingDecisions_replaysInterleaved() {
        ChooseRun recorded = chooseAcrossActors(new RandomChoiceSource(11));

        ChooseRun replayed = chooseAcrossActors(new ReplayChoiceSource(recorded.sim().schedule()));

        assertThat(replayed.chosen()).isEqualTo(recorded.chosen());
    }

    private record ChooseRun(Simulation sim, List<String> chosen) {
    }

    /** Two actors, each choosing twice with a preemption point between: decisions interleave. */
    private static ChooseRun chooseAcrossActors(ChoiceSource choices) {
        Simulation sim = new Simulation(choices);
        List<String> chosen = new ArrayList<>();
        for (String name : new String[] {"a", "b"}) {
            sim.spawn(name, () -> {
                for (int i = 0; i < 2; i++) {
                    sim.preemptionPoint("choose");
                    chosen.add(name + "=" + sim.choose("value", 10));
                }
            });
        }
        SimTesting.assertCompleted(sim.run());
        return new ChooseRun(sim, chosen);
    }

    @Test
    void choose_singleOption_isNotRecorded() {
        Simulation sim = new Simulation(new RandomChoiceSource(1));
        sim.spawn("a", () -> sim.choose("only", 1));

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.schedule()).isEqualTo(Schedule.empty());
    }

    @Test
    void choose_noOptions_throwsIllegalArgumentException() {
        Simulation sim = new Simulation(new RandomChoiceSource(1));

        assertThatThrownBy(() -> sim.choose("nothing", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- schedule and trace --------------------------------------------------------------

    @Test
    void schedule_switchingRun_recordsIdOfEveryContinuingActor() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        sim.spawn("a", () -> sim.preemptionPoint("a1"));
        sim.spawn("b", () -> sim.preemptionPoint("b1"));

        SimTesting.assertCompleted(sim.run());

        // start: a; a1: b; b1: a; a exits and b is the only one left, so no decision.
        assertThat(sim.schedule()).isEqualTo(Schedule.of(0, 1, 0));
    }

    @Test
    void render_run_numbersPointsOperationsAndSwitches() {
        Simulation sim = new Simulation(SimTesting.preferOthers());
        sim.spawn("a", () -> {
            sim.preemptionPoint("mmap_lock write");
            sim.traceOperation("mmap 16K", "0x10000");
        });
        sim.spawn("b", () -> sim.traceOperation("munmap", ""));

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.trace().render()).isEqualTo("""
                1. a @ mmap_lock write
                2. switch a -> b
                3. b: munmap
                4. switch b -> a
                5. a: mmap 16K -> 0x10000
                """);
    }

    @Test
    void trace_notRecorded_isNull() {
        Simulation sim = new Simulation(SimTesting.keepRunning(), false, 10);
        sim.spawn("a", () -> sim.traceOperation("op", "r"));

        SimTesting.assertCompleted(sim.run());

        assertThat(sim.trace()).isNull();
    }

    @Test
    void steps_afterRun_countsPreemptionPoints() {
        Simulation sim = new Simulation(SimTesting.keepRunning());
        sim.spawn("a", () -> {
            for (int i = 0; i < 7; i++) {
                sim.preemptionPoint("p");
            }
        });

        sim.run();

        assertThat(sim.steps()).isEqualTo(7);
    }
}
