package accelmm.report;

import accelmm.sim.Trace;
import accelmm.sim.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A violating execution as numbered steps {@code actor: operation -> result}. Operations the
 * model reported are listed, and so is every point where an actor lost the CPU, since that is
 * where the interleaving that broke the invariant happened.
 */
public final class Counterexample {

    /** One step: who did it, and what, without the actor's name. */
    public record Step(String actor, String text) {
        /** The step as printed in a list: {@code actor: text}. */
        public String render() {
            return actor + ": " + text;
        }
    }

    private Counterexample() {
    }

    /** The steps of {@code trace}, one line each, numbered from 1. */
    public static List<String> steps(Trace trace) {
        List<String> out = new ArrayList<>();
        for (Step s : structured(trace)) {
            out.add((out.size() + 1) + ". " + s.render());
        }
        return out;
    }

    /** The steps of {@code trace} in order, unnumbered: step {@code i + 1} is element {@code i}. */
    public static List<Step> structured(Trace trace) {
        List<TraceEvent> events = trace.events();
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            TraceEvent next = i + 1 < events.size() ? events.get(i + 1) : null;
            Step step = switch (e) {
                case TraceEvent.Op op -> new Step(op.actor(),
                        op.result().isEmpty() ? op.operation() : op.operation() + " -> " + op.result());
                case TraceEvent.Point p when next instanceof TraceEvent.Switch s && s.from().equals(p.actor()) ->
                        new Step(p.actor(), "preempted at " + p.label() + " -> " + s.actor());
                default -> null;
            };
            if (step != null) {
                out.add(step);
            }
        }
        return out;
    }
}
