package accelmm.sim;

/** One line of a run's trace. {@code step} counts the preemption points passed so far. */
public sealed interface TraceEvent {

    long step();

    String actor();

    /** The line as printed in a trace, without its number. */
    String render();

    /**
     * The line of the scenario the actor was running ({@link Simulation#atSourceLine}), or 0
     * when it runs none (a device engine, a kernel worker) or has not begun.
     */
    int line();

    /** An actor passed a preemption point. */
    record Point(long step, String actor, String label, int line) implements TraceEvent {
        public Point(long step, String actor, String label) {
            this(step, actor, label, 0);
        }

        @Override
        public String render() {
            return actor + " @ " + label;
        }
    }

    /** The model reported an operation and its result, e.g. {@code mmap 16K -> 0x10000}. */
    record Op(long step, String actor, String operation, String result, int line) implements TraceEvent {
        public Op(long step, String actor, String operation, String result) {
            this(step, actor, operation, result, 0);
        }

        @Override
        public String render() {
            return result.isEmpty() ? actor + ": " + operation : actor + ": " + operation + " -> " + result;
        }
    }

    /** The actor blocked: it sleeps on {@code on} (a lock, a wait queue, a fence) until woken. */
    record Block(long step, String actor, String on, int line) implements TraceEvent {
        @Override
        public String render() {
            return actor + " blocks on " + on;
        }
    }

    /**
     * What the model showed of its state right after the event before this one ({@link
     * Simulation#showStates}): an operation, or a preemption point or block at which the actor
     * lost the CPU. One line per object, for a reader following the run.
     */
    record State(long step, String actor, java.util.List<String> lines, int line) implements TraceEvent {
        public State {
            lines = java.util.List.copyOf(lines);
        }

        @Override
        public String render() {
            return actor + " state: " + String.join("; ", lines);
        }
    }

    /** The scheduler moved the CPU to another actor. */
    record Switch(long step, String actor, String from) implements TraceEvent {
        @Override
        public int line() {
            return 0;
        }

        @Override
        public String render() {
            return "switch " + from + " -> " + actor;
        }
    }
}
