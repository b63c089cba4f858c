package accelmm.report;

import accelmm.check.Violation;
import accelmm.sim.Trace;
import accelmm.sim.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An execution as the numbered steps a person reads: the operations the model reported (a
 * statement and its result, a kernel event such as an invalidation or an engine's job), every
 * point where an actor lost the CPU — preempted, or blocked on a lock, a queue or a fence —
 * since that is where the interleaving happened, and, for a violating execution, the access that
 * broke the invariant as the last step. One numbering serves the list, the swim lanes, the
 * headline ({@code use-after-free at step 14}), JSON and {@code replay}.
 */
public final class Counterexample {

    /** What a step is. */
    public enum Kind {
        /** An operation the model reported, with its result. */
        OPERATION,
        /** The actor was preempted at a scheduling point; another ran. */
        PREEMPTED,
        /** The actor went to sleep on something; another ran. */
        BLOCKED,
        /** The access that broke the invariant: the last step. */
        VIOLATION;

        /** The kind as JSON names it: {@code operation}, {@code preempted}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One numbered step.
     *
     * @param index     its number, from 1
     * @param actor     who did it
     * @param operation the operation; where it was preempted; what it blocked on; for the
     *                  violation, what the access did
     * @param result    the operation's result; the actor that ran next; for the violation, the
     *                  invariant it broke; empty for none
     * @param line      the scenario line the actor was running, 0 when none (a device engine)
     */
    public record Step(int index, String actor, Kind kind, String operation, String result, int line) {

        /** A plain step for a table: an operation without result, numbered 0. */
        public Step(String actor, String text) {
            this(0, actor, Kind.OPERATION, text, "", 0);
        }

        /** The step without its actor: {@code munmap p 16K -> ok}, {@code preempted at L -> B}. */
        public String text() {
            String next = result.isEmpty() ? "" : " -> " + result;
            return switch (kind) {
                case OPERATION -> operation + next;
                case PREEMPTED -> "preempted at " + operation + next;
                case BLOCKED -> "blocked on " + operation + next;
                case VIOLATION -> "broke " + result + ": " + operation;
            };
        }

        /** The step as a line of the list: {@code 3. A.main: munmap p 16K -> ok}. */
        public String render() {
            return index + ". " + actor + ": " + text();
        }
    }

    private Counterexample() {
    }

    /** The steps of {@code trace} ({@link Trace#isStep}); with {@code violation} (may be null) as the last one. */
    public static List<Step> of(Trace trace, Violation violation) {
        List<TraceEvent> events = trace.events();
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!trace.isStep(i)) {
                continue;
            }
            TraceEvent e = events.get(i);
            String next = trace.ranNext(i);
            String ranNext = next == null ? "" : next;
            int index = out.size() + 1;
            out.add(switch (e) {
                case TraceEvent.Op op -> new Step(index, op.actor(), Kind.OPERATION, op.operation(), op.result(),
                        op.line());
                case TraceEvent.Point p -> new Step(index, p.actor(), Kind.PREEMPTED, where(p), ranNext, p.line());
                case TraceEvent.Block b -> new Step(index, b.actor(), Kind.BLOCKED, b.on(), ranNext, b.line());
                default -> throw new IllegalStateException("not a step: " + e);
            });
        }
        if (violation != null) {
            String actor = violation.actor().isEmpty() ? "(end of run)" : violation.actor();
            // The line the actor ran last, if it ran one.
            int line = 0;
            for (Step s : out) {
                if (s.actor().equals(actor) && s.line() > 0) {
                    line = s.line();
                }
            }
            out.add(new Step(out.size() + 1, actor, Kind.VIOLATION, violation.message(),
                    violation.invariant().scenarioName(), line));
        }
        return out;
    }

    /**
     * Where a preemption point is, without the actor the step names already: a scenario thread's
     * point between statements is labelled with its actor ({@code A.main line 20}), and reads
     * {@code line 20} in the step.
     */
    private static String where(TraceEvent.Point p) {
        String own = p.actor() + " ";
        return p.label().startsWith(own) ? p.label().substring(own.length()) : p.label();
    }

    /**
     * What the model showed of its state after each of the steps {@link #of} gives for {@code
     * trace} (the trace of a run that {@linkplain accelmm.sim.Simulation#showStates showed
     * states}): element {@code i} is the state after step {@code i + 1}, the last one shown up to
     * it (empty before any).
     */
    public static List<List<String>> statesAfter(Trace trace) {
        List<List<String>> out = new ArrayList<>();
        List<String> shown = List.of();
        List<TraceEvent> events = trace.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof TraceEvent.State state) {
                // It follows the step it shows the state after (an operation, or where the actor
                // lost the CPU): that step's state.
                shown = state.lines();
                if (!out.isEmpty()) {
                    out.set(out.size() - 1, shown);
                }
            } else if (trace.isStep(i)) {
                out.add(shown);
            }
        }
        return out;
    }

    /** The steps as the lines of a list, {@code 3. A.main: munmap p 16K -> ok}. */
    public static List<String> lines(List<Step> steps) {
        return steps.stream().map(Step::render).toList();
    }

    /**
     * The headline of a violation found at the last of {@code steps}: {@code use-after-free at
     * step 14 (gpu0 engine): DEVICE read ...}.
     */
    public static String headline(Violation v, List<Step> steps) {
        return v.invariant() + " at step " + steps.size() + (v.actor().isEmpty() ? "" : " (" + v.actor() + ")")
                + ": " + v.message();
    }
}
