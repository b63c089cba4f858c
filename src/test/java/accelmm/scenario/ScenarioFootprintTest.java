package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.Access;
import accelmm.sim.Footprint;
import accelmm.sim.ObservingChoices;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Footprints the scenario's own state reports when the simulation observes them: which waits,
 * bindings, events and mailboxes a step touched. A change touches the waiters of what it
 * changed, not every waiter, so steps about different names or events commute and steps about
 * the same one conflict. Only the scenario's pieces are compared ({@code scenario ...}): what
 * the kernel's state reports is the lower layers' own business.
 */
class ScenarioFootprintTest {

    /** One stretch: the label of the decision that ended it, its actor, what it touched. */
    record Stretch(String label, int actor, Footprint footprint) {
    }

    /** Runs the running actor while it can, else the first; records every stretch; wants footprints. */
    private static final class Recording extends ObservingChoices {
        final List<Stretch> stretches = new ArrayList<>();

        @Override
        public int pickActor(SchedulingPoint point) {
            for (int i = 0; i < point.eventCount(); i++) {
                stretches.add(new Stretch(point.label(), point.eventActor(i), point.eventFootprint(i)));
            }
            return point.running() == null ? 0 : point.indexOf(point.running());
        }

        /** The stretch of {@code actor} that ended at the decision labelled {@code label}. */
        Footprint at(String label, int actor) {
            return stretches.stream().filter(s -> s.label().equals(label) && s.actor() == actor).findFirst()
                    .orElseThrow(() -> new AssertionError("no stretch of " + actor + " at " + label + ": " + stretches))
                    .footprint();
        }

        /** Everything {@code actor} touched in the run. */
        Footprint all(int actor) {
            Footprint out = Footprint.NONE;
            for (Stretch s : stretches) {
                if (s.actor() == actor) {
                    out = out.plus(s.footprint());
                }
            }
            return out;
        }
    }

    /** A world whose processes A and B have no threads (they exit at once): the test's actors act in it. */
    private static World world(Simulation sim) {
        Scenario scenario = InterpreterHarness.parse("""
                scenario "footprints"
                process A
                process B
                """);
        sim.observeFootprints(true);
        return new World(scenario, ScenarioModel.Prepared.of(scenario, DesignMatrix.toDesigns(Map.of())), sim);
    }

    /**
     * An actor that passes preemption points and touches nothing, spawned last: with it every
     * point of the others is a decision, which ends a stretch.
     */
    static void idle(Simulation sim) {
        sim.spawn("idle", () -> {
            for (int i = 0; i < 40; i++) {
                sim.preemptionPoint("idle");
            }
        });
    }

    /** The scenario's pieces of {@code f}: its waits, processes, names, mailboxes, events. */
    private static Footprint scenarioPart(Footprint f) {
        assertThat(f.known()).as("observed").isTrue();
        Footprint out = Footprint.NONE;
        for (Access a : f.accesses()) {
            if (a.resource().toString().startsWith("scenario")) {
                out = out.plus(a);
            }
        }
        return out;
    }

    private static Value.Ref ref(String process, String name) {
        return new Value.Ref(Optional.of(process), name);
    }

    /**
     * A waiter for {@code waitedFor} in kernel (actor 0), and a thread of kernel that binds
     * {@code x}, then {@code y} (actor 1).
     */
    private static Recording bindWhileWaitingFor(String waitedFor) {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        World world = world(sim);
        ProcessState kernel = world.process(World.KERNEL);
        Evaluator waiter = new Evaluator(world, kernel, "kernel.waiter", () -> { });
        Evaluator binder = new Evaluator(world, kernel, "kernel.binder", () -> { });
        sim.spawn("kernel.waiter", () -> waiter.resolve(ref(World.KERNEL, waitedFor)));
        sim.spawn("kernel.binder", () -> {
            sim.preemptionPoint("bind x");
            binder.bind("x", new Bound.Num(1));
            sim.preemptionPoint("bind y");
            binder.bind("y", new Bound.Num(2));
            sim.preemptionPoint("bound");
        });
        idle(sim);
        sim.run();
        return choices;
    }

    @Test
    void bind_nameAnotherThreadWaitsFor_conflictsWithTheWait() {
        Recording choices = bindWhileWaitingFor("x");

        Footprint wait = scenarioPart(choices.all(0));
        Footprint bindX = scenarioPart(choices.at("bind y", 1));

        assertThat(bindX.conflictsWith(wait)).isTrue();
    }

    @Test
    void bind_nameNobodyWaitsFor_commutesWithAWaitForAnotherName() {
        Recording choices = bindWhileWaitingFor("y");

        // The waiter's check and sleep, before y is bound (its resumption reads y).
        Footprint wait = scenarioPart(choices.stretches.stream().filter(s -> s.actor() == 0).findFirst()
                .orElseThrow().footprint());
        Footprint bindX = scenarioPart(choices.at("bind y", 1));
        Footprint bindY = scenarioPart(choices.at("bound", 1));

        assertThat(bindX.conflictsWith(wait)).as("x bound, y awaited").isFalse();
        assertThat(bindY.conflictsWith(wait)).as("y bound, y awaited").isTrue();
    }

    @Test
    void signal_eventNobodyAwaits_commutesWithAnAwaitOfAnotherEvent() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        World world = world(sim);
        sim.spawn("kernel.waiter", () -> world.changes.await(() -> "event b", () -> world.signalled("b"),
                Topic.signalled("b")));
        sim.spawn("kernel.signaller", () -> {
            sim.preemptionPoint("signal a");
            world.signal("a");
            sim.preemptionPoint("signal b");
            world.signal("b");
            sim.preemptionPoint("signalled");
        });
        idle(sim);
        sim.run();

        Footprint await = scenarioPart(choices.stretches.get(0).footprint());
        Footprint signalA = scenarioPart(choices.at("signal b", 1));
        Footprint signalB = scenarioPart(choices.at("signalled", 1));

        assertThat(choices.stretches.get(0).actor()).isZero();
        assertThat(signalA.conflictsWith(await)).as("a signalled, b awaited").isFalse();
        assertThat(signalB.conflictsWith(await)).as("b signalled, b awaited").isTrue();
    }

    @Test
    void processState_twoProcessesBindingTheirNames_commute() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        World world = world(sim);
        for (String process : List.of("A", "B")) {
            Evaluator eval = new Evaluator(world, world.process(process), process + ".main", () -> { });
            sim.spawn(process + ".main", () -> {
                sim.preemptionPoint("bind");
                eval.bind("p", new Bound.Num(1));
                sim.preemptionPoint("bound " + process);
            });
        }
        idle(sim);
        sim.run();

        Footprint a = scenarioPart(choices.at("bound A", 0));
        Footprint b = scenarioPart(choices.at("bound B", 1));

        assertThat(a.accesses()).isNotEmpty();
        assertThat(a.conflictsWith(b)).isFalse();
    }

    @Test
    void mailbox_fileSentAsAnotherName_commutesWithARecvAndTheSameNameConflicts() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        World world = world(sim);
        ProcessState a = world.process("A");
        sim.spawn("A.recv", () -> world.changes.await(() -> "a file sent as 'q'", () -> a.hasMail("q"),
                Topic.sent("A", "q")));
        sim.spawn("B.send", () -> {
            sim.preemptionPoint("send p");
            a.hasMail("p");
            world.changes.changed(Topic.sent("A", "p"));
            sim.preemptionPoint("send q");
            a.hasMail("q");
            world.changes.changed(Topic.sent("A", "q"));
            sim.preemptionPoint("sent");
        });
        idle(sim);
        sim.run();

        Footprint recv = scenarioPart(choices.stretches.get(0).footprint());

        assertThat(scenarioPart(choices.at("send q", 1)).conflictsWith(recv)).as("p sent, q awaited").isFalse();
        assertThat(scenarioPart(choices.at("sent", 1)).conflictsWith(recv)).as("q announced, q awaited").isTrue();
    }

    @Test
    void fork_newProcess_commutesWithAWaitForAnotherProcessesName_andConflictsWithAWaitForItsOwn() {
        for (String awaited : List.of("D", "C")) {
            Recording choices = new Recording();
            Simulation sim = new Simulation(choices, false, 1_000);
            World world = world(sim);
            Evaluator waiter = new Evaluator(world, world.process(World.KERNEL), "kernel.waiter", () -> { });
            sim.spawn("kernel.waiter", () -> waiter.resolve(ref(awaited, "x")));
            sim.spawn("B.main", () -> {
                sim.preemptionPoint("fork");
                world.addProcess(new ProcessState(sim, "C", null, Set.of(), world.process("B")));
                world.changes.changed(Topic.exists("C"));
                sim.preemptionPoint("forked");
            });
            idle(sim);
            sim.run();

            Footprint wait = scenarioPart(choices.stretches.get(0).footprint());
            Footprint fork = scenarioPart(choices.at("forked", 1));

            assertThat(choices.stretches.get(0).actor()).isZero();
            assertThat(fork.conflictsWith(wait)).as("C forked, %s.x awaited", awaited).isEqualTo(awaited.equals("C"));
        }
    }
}
