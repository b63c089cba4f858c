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
