package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the simulation tells a choice source about the accesses of the transition that just ended. */
class FootprintTest {

    /** Keeps the running actor (else the lowest id) and records each decision's footprint. */
    private static final class Recording implements ChoiceSource {
        final List<Footprint> footprints = new ArrayList<>();
        final List<Access> pending = new ArrayList<>();

        @Override
        public int pickActor(SchedulingPoint point) {
            footprints.add(point.footprint());
            for (int i = 0; i < point.candidateCount(); i++) {
                pending.add(point.pendingAccess(i));
            }
            return point.running() == null ? 0 : point.indexOf(point.running());
        }

        @Override
        public int pickValue(String label, int bound) {
            return 0;
        }
    }

    @Test
    void footprint_declaredStep_isReportedAtTheNextDecision() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        Object cell = "cell";
        sim.spawn("a", () -> {
            sim.preemptionPoint("first", Access.read(cell));
            sim.preemptionPoint("second", Access.write(cell));
        });
        sim.spawn("b", () -> { });

        sim.run();

        // start; a at "first" (its first stretch declared nothing); a at "second" (read cell).
        // When a exits b is left alone: no decision.
        assertThat(choices.footprints).containsExactly(Footprint.NONE, Footprint.UNKNOWN,
                Footprint.of(Access.read(cell)));
        assertThat(choices.pending.get(2)).isEqualTo(Access.read(cell));
    }

    @Test
    void footprint_afterEndOfDeclaredAccess_isUnknown() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        sim.spawn("a", () -> {
            sim.preemptionPoint("declared", Access.write("x"));
            sim.endOfDeclaredAccess();
            sim.preemptionPoint("next");
        });
        sim.spawn("b", () -> { });

        sim.run();

        assertThat(choices.footprints.get(2)).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void mutex_contendedLock_declaresTheMutexUncontendedGoesOnUndeclared() {
        List<Footprint> footprints = new ArrayList<>();
        ChoiceSource script = new ChoiceSource() {
            // start: a; a at its lock point: b; b at its lock point: a; a in its critical
            // section: b (which blocks on m); then the lowest id.
            private final ReplayChoiceSource replay = new ReplayChoiceSource(Schedule.of(0, 1, 0, 1));

            @Override
            public int pickActor(SchedulingPoint point) {
                footprints.add(point.footprint());
                return replay.pickActor(point);
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        };
        Simulation sim = new Simulation(script);
        Mutex m = new Mutex(sim, "m", new LockClass("m"));
        sim.spawn("a", () -> {
            m.lock();
            sim.preemptionPoint("in critical section");
            m.unlock();
        });
        sim.spawn("b", () -> {
            m.lock();
            m.unlock();
        });
        sim.spawn("c", () -> sim.preemptionPoint("elsewhere"));

        sim.run();

        // a took m uncontended and ran on into its critical section: unknown. b, parked at its
        // lock point, queued on the held mutex and blocked: a transition that touched only m.
        assertThat(footprints.get(3)).isEqualTo(Footprint.UNKNOWN);
        assertThat(footprints.get(4).accesses()).singleElement().hasToString("write mutex#1");
    }

    /**
     * A declared step that releases a lock touches the lock too (and may hand it to a waiter,
     * as {@code __mutex_unlock_slowpath} and {@code rwsem_wake} do), which its declaration does
     * not name: it must not commute with another actor's step that queues on the lock.
     */
    @Test
    void mutex_unlockInADeclaredStep_leavesTheStepUndeclared() {
        List<Footprint> footprints = releaseInDeclaredStep((sim, lockClass) -> {
            Mutex m = new Mutex(sim, "m", lockClass);
            return new Runnable[] {m::lock, m::unlock};
        });

        assertThat(footprints.get(3)).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void rwSemaphore_upReadOrUpWriteInADeclaredStep_leavesTheStepUndeclared() {
        List<Footprint> reader = releaseInDeclaredStep((sim, lockClass) -> {
            RwSemaphore sem = new RwSemaphore(sim, "sem", lockClass);
            return new Runnable[] {sem::downRead, sem::upRead};
        });
        List<Footprint> writer = releaseInDeclaredStep((sim, lockClass) -> {
            RwSemaphore sem = new RwSemaphore(sim, "sem", lockClass);
            return new Runnable[] {sem::downWrite, sem::upWrite};
        });

        assertThat(reader.get(3)).isEqualTo(Footprint.UNKNOWN);
        assertThat(writer.get(3)).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void mutex_trylockInADeclaredStep_leavesTheStepUndeclared() {
        // mutex_trylock that succeeds makes a later mutex_lock sleep (kernel/locking/mutex.c).
        List<Footprint> footprints = releaseInDeclaredStep((sim, lockClass) -> {
            Mutex m = new Mutex(sim, "m", lockClass);
            // Taken and kept: no unlock ends the declaration first.
            return new Runnable[] {() -> sim.preemptionPoint("before"), m::tryLock};
        });

        assertThat(footprints.get(3)).isEqualTo(Footprint.UNKNOWN);
    }

    @Test
    void completion_completeInADeclaredStep_leavesTheStepUndeclared() {
        // complete() decides whether a wait_for_completion sleeps, and wakes a sleeper
        // (kernel/sched/completion.c).
        List<Footprint> footprints = releaseInDeclaredStep((sim, lockClass) -> {
            Completion c = new Completion(sim, "c");
            return new Runnable[] {() -> sim.preemptionPoint("before"), c::complete};
        });

        assertThat(footprints.get(3)).isEqualTo(Footprint.UNKNOWN);
    }

    /**
     * The footprints of a run where {@code a} takes a lock, declares a step that writes a cell
     * and releases the lock in it, then reaches one more point; {@code b} takes the same lock.
     * Decision 3 reports the declared step.
     */
    private static List<Footprint> releaseInDeclaredStep(
            java.util.function.BiFunction<Simulation, LockClass, Runnable[]> lock) {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        Runnable[] takeAndRelease = lock.apply(sim, new LockClass("l"));
        sim.spawn("a", () -> {
            takeAndRelease[0].run();
            sim.preemptionPoint("locked", Access.write("cell"));
            takeAndRelease[1].run();
            sim.preemptionPoint("after");
        });
        sim.spawn("b", () -> {
            takeAndRelease[0].run();
            takeAndRelease[1].run();
        });

        sim.run();

        // start; a at its lock point; a at "locked" (past the lock: undeclared); a at "after".
        assertThat(choices.footprints).hasSizeGreaterThan(3);
        return choices.footprints;
    }

    @Test
    void declarations_changeNoDecision() {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(run(seed, true).schedule()).isEqualTo(run(seed, false).schedule());
            assertThat(run(seed, true).trace().render()).isEqualTo(run(seed, false).trace().render());
        }
    }

    private static Simulation run(long seed, boolean declare) {
        Simulation sim = new Simulation(new RandomChoiceSource(seed));
        for (int a = 0; a < 3; a++) {
            sim.spawn("t" + a, () -> {
                for (int k = 0; k < 3; k++) {
                    sim.preemptionPoint("p" + k, declare ? Access.write("cell " + k) : null);
                }
            });
        }
        sim.run();
        return sim;
    }

    @Test
    void access_conflicts_onlyOnTheSameResourceWithAWrite() {
        assertThat(Access.read("x").conflictsWith(Access.read("x"))).isFalse();
        assertThat(Access.read("x").conflictsWith(Access.write("x"))).isTrue();
        assertThat(Access.write("x").conflictsWith(Access.write("y"))).isFalse();
        assertThat(Footprint.UNKNOWN.conflictsWith(Footprint.NONE)).isTrue();
        assertThat(Footprint.of(Access.read("x")).plus(Access.write("y"))
                .conflictsWith(Footprint.of(Access.read("y")))).isTrue();
    }
}
