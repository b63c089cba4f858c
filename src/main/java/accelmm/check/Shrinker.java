package accelmm.check;

import accelmm.sim.Deadline;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.Schedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a violating execution as small as it can within a budget of executions: fewest steps
 * first, then fewest context switches, for the same broken {@link InvariantKind} (the message
 * may differ). The result's schedule replays exactly to the result.
 *
 * <p>Design note. Every candidate is a schedule replayed with a {@link ReplayChoiceSource}, which
 * past its end lets the running actor continue (else the lowest id), so a prefix stands for a
 * whole run. A candidate that breaks the same invariant is judged by the execution it produced,
 * not by the token tried: its key is (steps, context switches), where a context switch is a
 * decision at a preemption point that picked an actor other than the running one. Three kinds of
 * candidates are tried, first improvement wins, until a fixpoint or the budget:
 *
 * <ol>
 *   <li>prefixes, by binary search on the length (the shortest prefix that still breaks it);
 *   <li>each run of equal decisions deleted, and each decision deleted;
 *   <li>each preemption replaced by the running actor's own id (one switch fewer), and each
 *       data choice by 0;
 *   <li>each decision replaced by every other option it had, the decisions after it dropped
 *       (they were made for another run): a switch more may cost fewer steps, and steps come
 *       first.
 * </ol>
 *
 * The single-decision changes are tried from where the last one succeeded, wrapping around,
 * so a pass after an improvement does not retry the decisions before it first.
 *
 * A candidate the run does not fit (a decision names an actor that is not runnable) or that
 * hits a model bug is discarded. The search has no randomness: the same input shrinks the same
 * way. The schedule returned is the executed one with its trailing default decisions cut, so
 * the token a user copies is short and still replays the same execution. An instance shrinks
 * one execution at a time.
 */
public final class Shrinker {

    /** Executions a shrink may spend by default, besides the final replay with a trace. */
    public static final int DEFAULT_BUDGET = 500;

    /** A shrunk execution: the result, and the size of where it started and ended. */
    public record Shrunk(RunResult result, Size original, Size size, int executions) {
    }

    /** How big an execution is: the order is steps, then context switches. */
    public record Size(long steps, int contextSwitches) implements Comparable<Size> {
        @Override
        public int compareTo(Size o) {
            int c = Long.compare(steps, o.steps);
            return c != 0 ? c : Integer.compare(contextSwitches, o.contextSwitches);
        }
    }

    /** One execution of a candidate, with what each decision was. */
    private record Candidate(RunResult result, Size size, Schedule minimal, int[] running, boolean[] value,
            int[][] options) {
    }

    private final Model model;
    private final int budget;
    private final Deadline deadline;
    private int executions;
    /** Where the last single-decision improvement was found: the next pass starts there. */
    private int resumeAt;

    public Shrinker(Model model) {
        this(model, DEFAULT_BUDGET);
    }

    public Shrinker(Model model, int budget) {
        this(model, budget, Deadline.NONE);
    }

    /**
     * A shrinker that stops trying candidates once {@code deadline} has passed (a candidate it
     * cuts does not count) and returns the smallest execution found so far. The replays of the
     * execution it starts from and of the one it returns are not cut: they are what it reports.
     */
    public Shrinker(Model model, int budget, Deadline deadline) {
        if (budget < 1) {
            throw new IllegalArgumentException("a shrink needs at least one execution");
        }
        this.model = model;
        this.budget = budget;
        this.deadline = deadline;
    }

    /**
     * Shrinks {@code violating}. Returns its own execution, replayed with a trace, when nothing
     * smaller breaks the same invariant (when the deadline has passed, {@code violating} itself
     * if it has a trace: no replay more); also {@code violating} itself, traced, when the smallest
     * candidate has more steps to read than it has.
     *
     * @throws IllegalArgumentException when {@code violating} has no violation
     * @throws ModelBugException when the shrunk schedule does not replay to itself
     */
    public Shrunk shrink(RunResult violating) {
        if (!violating.violated()) {
            throw new IllegalArgumentException("nothing to shrink: the run broke no invariant");
        }
        InvariantKind kind = violating.violation().invariant();
        executions = 0;
        resumeAt = 0;
        Candidate original = run(violating.schedule(), kind, false, Deadline.NONE);
        if (original == null) {
            throw new ModelBugException("the violating schedule " + violating.schedule().token()
                    + " does not replay to " + kind, null);
        }
        Candidate best = original;
        boolean improved = true;
        while (improved && canSpend()) {
            improved = false;
            Candidate c = shortestPrefix(best.minimal(), kind, best);
            if (c == null) {
                c = firstImprovement(best, kind, resumeAt);
            }
            if (c != null) {
                best = c;
                improved = true;
            }
        }
        if (best == original && violating.trace() != null && deadline.passed()) {
            // Out of time with nothing smaller: the execution given, already traced, is the answer.
            return new Shrunk(violating, original.size(), best.size(), executions);
        }
        RunResult shrunk = confirm(best, kind).result();
        if (violating.trace() != null && readsShorter(violating, shrunk)) {
            // Fewer scheduling points need not mean fewer steps to read: keep the one given.
            return new Shrunk(violating, original.size(), original.size(), executions);
        }
        return new Shrunk(shrunk, original.size(), best.size(), executions);
    }

    /**
     * Whether {@code a} is shorter to read than {@code b}: fewer steps a report lists ({@link
     * accelmm.sim.Trace#steps}), then fewer context switches. Candidates are ordered by
     * scheduling points, which mostly but not always agrees.
     */
    private static boolean readsShorter(RunResult a, RunResult b) {
        int c = Integer.compare(a.trace().steps(), b.trace().steps());
        return c != 0 ? c < 0 : a.trace().contextSwitches() < b.trace().contextSwitches();
    }

    /**
     * The shortest prefix of {@code full} that breaks {@code kind} and beats {@code best}, or
     * null. {@code full} is best's minimal schedule: a longer prefix would replay best itself.
     */
    private Candidate shortestPrefix(Schedule full, InvariantKind kind, Candidate best) {
        int lo = 0;
        int hi = full.length();
        Candidate found = null;
        // Invariant: prefix(hi) breaks it (the whole schedule does); search for a smaller one.
        while (lo < hi && canSpend()) {
            int mid = (lo + hi) >>> 1;
            Candidate c = run(full.prefix(mid), kind);
            if (c != null) {
                hi = mid;
                if (c.size().compareTo(best.size()) < 0 && (found == null || c.size().compareTo(found.size()) < 0)) {
                    found = c;
                }
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /**
     * The first single-decision change that beats {@code best}, trying decisions from {@code
     * start} on and wrapping around; null when none does.
     */
    private Candidate firstImprovement(Candidate best, InvariantKind kind, int start) {
        int[] decisions = decisions(executed(best));
        for (int k = 0; k < decisions.length; k++) {
            int i = (start + k) % decisions.length;
            for (int[] tried : variants(decisions, i, best)) {
                if (!canSpend()) {
                    return null;
                }
                Candidate c = run(Schedule.of(tried), kind);
                if (c != null && c.size().compareTo(best.size()) < 0) {
                    resumeAt = i;
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * The changes of decision {@code i}, cheapest first: the run of equal decisions it belongs to
     * deleted, it alone deleted, replaced by its default (the running actor keeps the CPU, or
     * value 0), then replaced by each other option (a switch more may make the run shorter).
     */
    private static List<int[]> variants(int[] decisions, int i, Candidate best) {
        List<int[]> out = new ArrayList<>();
        int from = i;
        int to = i + 1;
        while (from > 0 && decisions[from - 1] == decisions[i]) {
            from--;
        }
        while (to < decisions.length && decisions[to] == decisions[i]) {
            to++;
        }
        if (from == i && to - from > 1) {
            out.add(without(decisions, from, to));
        }
        out.add(without(decisions, i, i + 1));
        int stay = best.value()[i] ? 0 : best.running()[i];
        if (stay >= 0 && stay != decisions[i]) {
            out.add(replaced(decisions, i, stay, decisions.length));
        }
        for (int option : best.options()[i]) {
            if (option != decisions[i]) {
                // The decisions after i were made for another run: let the default continue.
                out.add(replaced(decisions, i, option, i + 1));
                out.add(replaced(decisions, i, option, decisions.length));
            }
        }
        if (from == i && to < decisions.length) {
            out.add(swapped(decisions, from, to));
        }
        return out;
    }

    /** The run {@code [from, to)} and the run of equal decisions after it, in swapped order. */
    private static int[] swapped(int[] decisions, int from, int to) {
        int end = to;
        while (end < decisions.length && decisions[end] == decisions[to]) {
            end++;
        }
        int[] out = decisions.clone();
        System.arraycopy(decisions, to, out, from, end - to);
        System.arraycopy(decisions, from, out, from + end - to, to - from);
        return out;
    }

    private static int[] without(int[] decisions, int from, int to) {
        int[] out = new int[decisions.length - (to - from)];
        System.arraycopy(decisions, 0, out, 0, from);
        System.arraycopy(decisions, to, out, from, decisions.length - to);
        return out;
    }

    /** The first {@code length} decisions, decision {@code i} replaced by {@code value}. */
    private static int[] replaced(int[] decisions, int i, int value, int length) {
        int[] out = Arrays.copyOf(decisions, length);
        out[i] = value;
        return out;
    }

    /** Replays the best candidate's minimal schedule with a trace and checks it is the same run. */
    private Candidate confirm(Candidate best, InvariantKind kind) {
        Candidate again = run(best.minimal(), kind, true, Deadline.NONE);
        if (again == null || !again.size().equals(best.size())
                || !again.result().schedule().equals(best.result().schedule())) {
            throw new ModelBugException("the shrunk schedule " + best.minimal().token()
                    + " does not replay to the execution it came from", null);
        }
        RunResult r = again.result();
        return new Candidate(new RunResult(r.outcome(), r.violation(), best.minimal(), r.trace(), r.steps(), r.costs()),
                again.size(), best.minimal(), again.running(), again.value(), again.options());
    }

    /** Whether another candidate may run: executions are left and the deadline has not passed. */
    private boolean canSpend() {
        return executions < budget && !deadline.passed();
    }

    private Candidate run(Schedule schedule, InvariantKind kind) {
        return run(schedule, kind, false, deadline);
    }

    /**
     * Executes {@code schedule} until {@code stopAt}; the candidate if it fits the run and breaks
     * {@code kind}, else null.
     */
    private Candidate run(Schedule schedule, InvariantKind kind, boolean recordTrace, Deadline stopAt) {
        executions++;
        DecisionRecorder recorder = new DecisionRecorder(new ReplayChoiceSource(schedule));
        RunResult r;
        try {
            r = model.execute(recorder, recordTrace, stopAt);
        } catch (RuntimeException e) {
            // A run cut short by a divergence may fail in any way; only then is it not a bug.
            if (recorder.diverged) {
                return null;
            }
            throw e;
        }
        if (recorder.diverged || !r.violated() || r.violation().invariant() != kind) {
            return null;
        }
        return new Candidate(r, new Size(r.steps(), recorder.switches), recorder.minimal(r.schedule()),
                recorder.running(), recorder.value(), recorder.options());
    }

    private static Schedule executed(Candidate c) {
        return c.result().schedule();
    }

    private static int[] decisions(Schedule s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.decision(i);
        }
        return out;
    }
}
