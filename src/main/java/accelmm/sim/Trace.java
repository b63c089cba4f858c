package accelmm.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The events of one run, in the order they happened. */
public final class Trace {

    private final List<TraceEvent> events = new ArrayList<>();
    private ObjectGraph objectsAtEnd;

    void add(TraceEvent event) {
        events.add(event);
    }

    /**
     * Who held whom when the run ended ({@link Simulation#recordObjectsAtEnd}): at the access
     * that broke an invariant, or after the last step. Null when the model recorded none.
     */
    public ObjectGraph objectsAtEnd() {
        return objectsAtEnd;
    }

    void objectsAtEnd(ObjectGraph graph) {
        objectsAtEnd = graph;
    }

    public List<TraceEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /**
     * Whether event {@code i} is a step a reader counts: an operation the model reported, an
     * actor blocking, or a preemption point at which the CPU passed to another actor. The
     * preemption points an actor passed without losing the CPU, the switches themselves and the
     * states shown are not steps: they belong to the steps around them.
     */
    public boolean isStep(int i) {
        TraceEvent e = events.get(i);
        return e instanceof TraceEvent.Op || e instanceof TraceEvent.Block
                || e instanceof TraceEvent.Point && switchesAwayAfter(i);
    }

    /** Whether the CPU passes from event {@code i}'s actor to another right after it ({@link #ranNext}). */
    public boolean switchesAwayAfter(int i) {
        return ranNext(i) != null;
    }

    /**
     * The actor the CPU passed to right after event {@code i}, or null when {@code i}'s actor
     * kept it (or the run ended). Between the two the trace may hold what the scheduler did on
     * another actor's behalf: a timed sleeper whose timeout expired because nothing else could
     * run is woken, and its expiry traced, before the switch to it.
     */
    public String ranNext(int i) {
        String actor = events.get(i).actor();
        for (int j = i + 1; j < events.size(); j++) {
            TraceEvent e = events.get(j);
            if (e instanceof TraceEvent.Switch s) {
                return s.from().equals(actor) ? s.actor() : null;
            }
            if (e instanceof TraceEvent.State) {
                // What the model showed after event i: nothing an actor did.
                continue;
            }
            if (e.actor().equals(actor)) {
                return null;
            }
        }
        return null;
    }

    /** The steps a reader counts ({@link #isStep}). */
    public int steps() {
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            n += isStep(i) ? 1 : 0;
        }
        return n;
    }

    /** The steps at which an actor lost the CPU to another: preempted, or blocked with another to run. */
    public int contextSwitches() {
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            n += (e instanceof TraceEvent.Point || e instanceof TraceEvent.Block) && switchesAwayAfter(i) ? 1 : 0;
        }
        return n;
    }

    /** Numbered lines, one per event, each ending in a newline: byte for byte deterministic. */
    public String render() {
        StringBuilder out = new StringBuilder();
        int n = 1;
        for (TraceEvent e : events) {
            out.append(n++).append(". ").append(e.render()).append('\n');
        }
        return out.toString();
    }
}
