package accelmm.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The events of one run, in the order they happened. */
public final class Trace {

    private final List<TraceEvent> events = new ArrayList<>();

    void add(TraceEvent event) {
        events.add(event);
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

    /** Whether the event after {@code i} moves the CPU away from event {@code i}'s actor. */
    public boolean switchesAwayAfter(int i) {
        return i + 1 < events.size() && events.get(i + 1) instanceof TraceEvent.Switch s
                && s.from().equals(events.get(i).actor());
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
