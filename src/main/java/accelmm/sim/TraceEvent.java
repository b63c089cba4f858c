package accelmm.sim;

/** One line of a run's trace. {@code step} counts the preemption points passed so far. */
public sealed interface TraceEvent {

    long step();

    String actor();

    /** The line as printed in a trace, without its number. */
    String render();

    /** An actor passed a preemption point. */
    record Point(long step, String actor, String label) implements TraceEvent {
        @Override
        public String render() {
            return actor + " @ " + label;
        }
    }

    /** The model reported an operation and its result, e.g. {@code mmap 16K -> 0x10000}. */
    record Op(long step, String actor, String operation, String result) implements TraceEvent {
        @Override
        public String render() {
            return result.isEmpty() ? actor + ": " + operation : actor + ": " + operation + " -> " + result;
        }
    }

    /** The scheduler moved the CPU to another actor. */
    record Switch(long step, String actor, String from) implements TraceEvent {
        @Override
        public String render() {
            return "switch " + from + " -> " + actor;
        }
    }
}
