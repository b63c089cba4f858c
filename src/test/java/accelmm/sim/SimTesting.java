package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/** Choice sources with a fixed policy and assertions shared by the tests of this package. */
final class SimTesting {

    private SimTesting() {
    }

    /**
     * The running actor continues whenever it can; otherwise the lowest id does. Runs every
     * actor as far as it gets before another one starts, which makes hand-written scenarios
     * easy to follow. Data choices take 0.
     */
    static ChoiceSource keepRunning() {
        return new ChoiceSource() {
            @Override
            public int pickActor(SchedulingPoint point) {
                return point.running() == null ? 0 : point.indexOf(point.running());
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        };
    }

    /**
     * Another actor continues whenever there is one: the lowest id other than the running
     * actor. With two actors this alternates at every preemption point.
     */
    static ChoiceSource preferOthers() {
        return new ChoiceSource() {
            @Override
            public int pickActor(SchedulingPoint point) {
                return point.candidate(0) == point.running() ? 1 : 0;
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        };
    }

    /** Fails with the actor's own exception when the run failed, so the report shows it. */
    static void assertCompleted(Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            throw new AssertionError("actor " + failed.actor() + " failed at step " + failed.step(),
                    failed.cause());
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
    }

    /** The deadlock's participants, failing if the run did not end in a deadlock. */
    static List<Outcome.BlockedActor> deadlocked(Outcome outcome) {
        if (outcome instanceof Outcome.Deadlock deadlock) {
            return deadlock.blocked();
        }
        return fail("expected a deadlock, got " + outcome);
    }

    /**
     * Every actor that started has unwound: nothing stays parked inside an actor after a run
     * (its thread went back to the pool).
     */
    static void assertNoActorThreadAlive(Simulation sim) {
        for (Actor a : sim.actors()) {
            assertThat(a.thread == null || a.unwound)
                    .as("thread of actor %s has ended", a.name())
                    .isTrue();
        }
    }
}
