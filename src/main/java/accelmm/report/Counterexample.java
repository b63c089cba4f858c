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

    private Counterexample() {
    }

    /** The steps of {@code trace}, one line each, numbered from 1. */
    public static List<String> steps(Trace trace) {
        List<TraceEvent> events = trace.events();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            TraceEvent next = i + 1 < events.size() ? events.get(i + 1) : null;
            String line = switch (e) {
                case TraceEvent.Op op -> op.render();
                case TraceEvent.Point p when next instanceof TraceEvent.Switch s && s.from().equals(p.actor()) ->
                        p.actor() + ": preempted at " + p.label() + " -> " + s.actor();
                default -> null;
            };
            if (line != null) {
                out.add((out.size() + 1) + ". " + line);
            }
        }
        return out;
    }
}
