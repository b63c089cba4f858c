package accelmm.mm;

import accelmm.sim.Actor;
import accelmm.sim.ChoiceSource;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.ArrayDeque;

/**
 * A scripted {@link ChoiceSource} for hand-written interleavings: a queue of steps, each "run
 * actor X until it blocks or ends" or "run actor X until it reaches a preemption point whose
 * label starts with L". At every decision the actor of the current step continues if it is
 * runnable; otherwise, and once the script is used up, the running actor keeps the CPU if it
 * can, else the lowest id runs (as {@code ReplayChoiceSource} continues past its end). Data
 * choices take 0.
 *
 * <p>Limits, which follow from what the scheduler asks: a decision is made only where at least
 * two actors are runnable, so a step ends at label L only if some other actor is runnable there;
 * and a step that names an actor which is blocked when the step begins waits (other actors run
 * meanwhile) until that actor is runnable, and ends only after it has blocked or ended again.
 *
 * <pre>
 *   choices.runUntil("device", "mutex_lock mirror").run("unmapper").run("device");
 * </pre>
 */
final class NotifierHarnessChoices implements ChoiceSource {

    private record Step(String actor, String stopLabel) {
    }

    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private Simulation sim;
    /** Whether the current step's actor was seen runnable since the step began. */
    private boolean seenRunnable;
    /** Whether the current step began at the decision being made (its label is not checked then). */
    private boolean beganNow;

    /** Lets the choices see which actor reached a decision; call once, before the run. */
    void attach(Simulation simulation) {
        this.sim = simulation;
    }

    /** Appends "run {@code actor} until it blocks or ends". */
    NotifierHarnessChoices run(String actor) {
        steps.addLast(new Step(actor, null));
        return this;
    }

    /** Appends "run {@code actor} until it reaches a preemption point labelled {@code labelPrefix}...". */
    NotifierHarnessChoices runUntil(String actor, String labelPrefix) {
        steps.addLast(new Step(actor, labelPrefix));
        return this;
    }

    /** Whether every step has ended. */
    boolean exhausted() {
        return steps.isEmpty();
    }

    @Override
    public int pickActor(SchedulingPoint point) {
        Actor self = sim == null ? null : sim.current();
        beganNow = false;
        advancePastEndedSteps(point, self);
        Step step = steps.peekFirst();
        if (step != null) {
            for (int i = 0; i < point.candidateCount(); i++) {
                if (point.candidate(i).name().equals(step.actor())) {
                    seenRunnable = true;
                    return i;
                }
            }
        }
        Actor running = point.running();
        return running != null ? point.indexOf(running) : 0;
    }

    @Override
    public int pickValue(String label, int bound) {
        return 0;
    }

    private void advancePastEndedSteps(SchedulingPoint point, Actor self) {
        while (!steps.isEmpty()) {
            Step step = steps.peekFirst();
            Actor actor = actorNamed(step.actor());
            if (actor == null) {
                return;
            }
            boolean ended;
            if (actor.state() == Actor.State.RUNNABLE) {
                seenRunnable = true;
                ended = !beganNow && step.stopLabel() != null && actor == self && point.running() == self
                        && point.label().startsWith(step.stopLabel());
            } else {
                ended = seenRunnable;
            }
            if (!ended) {
                return;
            }
            steps.pollFirst();
            beganNow = true;
            Step next = steps.peekFirst();
            Actor nextActor = next == null ? null : actorNamed(next.actor());
            seenRunnable = nextActor != null && nextActor.state() == Actor.State.RUNNABLE;
        }
    }

    private Actor actorNamed(String name) {
        if (sim == null) {
            throw new IllegalStateException("scripted choices used before attach(sim)");
        }
        for (Actor a : sim.actors()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
