package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Footprint;
import accelmm.sim.ObservingChoices;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The swap check of footprints: a random execution is recorded stretch by stretch, and for
 * adjacent stretches of two actors whose footprints do not conflict, the execution that runs
 * them the other way round is replayed. Two stretches declared independent must commute: the
 * replay takes the same decisions among the same candidates, every stretch touches what it
 * touched before, and the run ends with the same end state and verdict. DPOR and sleep sets
 * explore only one order of such stretches, so a footprint that misses shared state would let
 * them skip an outcome; this check names the two stretches instead of a missing outcome.
 *
 * <p>How stretches map to decisions: the stretch of the actor chosen at scheduling decision
 * {@code k} is the first event reported at decision {@code k + 1}; the others are switches
 * nobody chose (the running actor blocked or ended with one other runnable). A pair is swapped
 * only when each of its stretches starts at a real decision and ends at the next one, as one
 * event. The swapped schedule chooses the second actor at {@code k}, with its data choices,
 * then the first, with its own, then the rest unchanged. One difference is expected: when the
 * second stretch ends its actor's run or blocks, and the first stretch is what made a third
 * actor runnable, the first actor is the only one left and continues without a decision; the
 * replay then skips the decision that chose it ({@link SwappedReplay}).
 *
 * <p>Footprints are compared as text without the serials of the shared objects: objects the two
 * stretches create get their serials in the order they are created, which is no state of the
 * model.
 */
public final class AdjacentSwaps {

    private final Model model;
    private final Function<RunResult, String> endState;
    private int swapped;
    private int skipped;

    /**
     * @param endState what a run shows of its end besides the verdict: e.g. each actor's
     *     operations and results
     */
    public AdjacentSwaps(Model model, Function<RunResult, String> endState) {
        this.model = model;
        this.endState = endState;
    }

    /** How many swaps {@link #check} has replayed so far. */
    public int swapped() {
        return swapped;
    }

    /**
     * How many of those swaps skipped the decision that chose the first actor again, because
     * the second stretch left it the only runnable actor.
     */
    public int skipped() {
        return skipped;
    }

    /**
     * Runs the random execution of {@code seed} and replays up to {@code maxPairs} of its
     * independent adjacent pairs swapped, spread over the run. Returns one line per pair whose
     * replay diverged or ended differently; empty when every swap commuted.
     */
    public List<String> check(long seed, int maxPairs) {
        Recorder original = new Recorder(new RandomChoiceSource(seed));
        RunResult run = model.execute(original, true);
        String expected = verdict(run) + " " + endState.apply(run);
        List<Integer> pairs = independentPairs(original);
        List<String> problems = new ArrayList<>();
        int take = Math.min(maxPairs, pairs.size());
        for (int i = 0; i < take; i++) {
            int k = pairs.get((int) ((long) i * pairs.size() / take));
            String problem = swap(original, expected, k);
            swapped++;
            if (problem != null) {
                problems.add("seed " + seed + ", " + describe(original, k) + ": " + problem);
            }
        }
        return problems;
    }

    /**
     * The scheduling decisions {@code k} whose chosen actor's stretch and the next decision's
     * (another actor's) each run from one decision to the next and do not conflict.
     */
    private static List<Integer> independentPairs(Recorder r) {
        List<Integer> out = new ArrayList<>();
        List<Decision> ds = r.scheduling();
        for (int k = 0; k + 2 < ds.size(); k++) {
            Decision a = ds.get(k);
            Decision b = ds.get(k + 1);
            Decision after = ds.get(k + 2);
            if (a.chosen != b.chosen && b.singleEvent(a.chosen) && after.singleEvent(b.chosen)
                    && !b.events[0].conflictsWith(after.events[0])) {
                out.add(k);
            }
        }
        return out;
    }

    /** Replays decision {@code k}'s pair swapped; a description of what differed, or null. */
    private String swap(Recorder original, String expected, int k) {
        List<Decision> ds = original.scheduling();
        Decision first = ds.get(k);
        Decision second = ds.get(k + 1);
        Decision after = ds.get(k + 2);
        if (Arrays.stream(first.candidates).noneMatch(id -> id == second.chosen)) {
            return "actor " + second.chosen + " was not runnable before the first stretch ran";
        }
        int[] from = swapped(original.all.size(), first.index, second.index, after.index);
        SwappedReplay replay = new SwappedReplay(original.all, from, first.index);
        Recorder again = new Recorder(replay);
        RunResult result = execute(again, replay);
        if (replay.divergence != null) {
            return "the replay diverged: " + replay.divergence;
        }
        if (replay.skippedDecision) {
            skipped++;
        }
        if (replay.next != from.length) {
            return "the replay ended after " + replay.next + " of " + from.length + " decisions";
        }
        String decisions = sameDecisions(original, again, k, from, replay.skippedDecision);
        if (decisions != null) {
            return decisions;
        }
        String actual = verdict(result) + " " + endState.apply(result);
        return expected.equals(actual) ? null : "the end differs:\n  original " + expected + "\n  swapped  " + actual;
    }

    /**
     * Runs the model under {@code choices}, which record {@code replay}'s: the result, or null
     * when the replay diverged so far that the model threw.
     */
    private RunResult execute(Recorder choices, SwappedReplay replay) {
        try {
            return model.execute(choices, true);
        } catch (ModelBugException e) {
            if (replay.divergence == null) {
                throw e;
            }
            return null;
        }
    }

    /**
     * Whether the replay's decisions match: the same candidates at every scheduling decision
     * but the one between the swapped stretches (whose candidates may differ: either stretch
     * may end or block its actor), the same bounds of the data choices, and the same stretches
     * with the same footprints, the two swapped. When the decision that chose the first actor
     * again was {@code skipped}, its stretch may be unknown: without observed footprints a
     * switch nobody chose declares nothing, which is never wrong.
     */
    private static String sameDecisions(Recorder original, Recorder again, int k, int[] from, boolean skipped) {
        List<int[]> expected = new ArrayList<>(original.scheduling().stream().map(Decision::candidates).toList());
        expected.remove(k + 1);
        List<int[]> actual = new ArrayList<>(again.scheduling().stream().map(Decision::candidates).toList());
        if (actual.size() == expected.size() + 1) {
            actual.remove(k + 1);
        }
        for (int j = 0; j < Math.max(expected.size(), actual.size()); j++) {
            if (j >= expected.size() || j >= actual.size() || !Arrays.equals(expected.get(j), actual.get(j))) {
                return "scheduling decision " + (j <= k ? j : j + 1) + " had other candidates: "
                        + (j < actual.size() ? Arrays.toString(actual.get(j)) : "none") + " instead of "
                        + (j < expected.size() ? Arrays.toString(expected.get(j)) : "none");
            }
        }
        List<Integer> bounds = new ArrayList<>();
        for (int i : from) {
            Decision d = original.all.get(i);
            if (d.isValue()) {
                bounds.add(d.candidates[0]);
            }
        }
        List<Integer> boundsAgain = again.all.stream().filter(Decision::isValue).map(d -> d.candidates[0]).toList();
        if (!bounds.equals(boundsAgain)) {
            return "the data choices had the bounds " + boundsAgain + " instead of " + bounds;
        }
        List<String> stretches = original.stretches();
        int at = original.stretchIndex(k);
        stretches.add(at, stretches.remove(at + 1));
        List<String> stretchesAgain = again.stretches();
        for (int j = 0; j < Math.max(stretches.size(), stretchesAgain.size()); j++) {
            String e = j < stretches.size() ? stretches.get(j) : "none";
            String a = j < stretchesAgain.size() ? stretchesAgain.get(j) : "none";
            // A switch nobody chose resumes its actor where nothing was declared.
            boolean undeclared = skipped && j == at + 1 && a.equals(e.substring(0, e.indexOf(' ')) + " unknown");
            if (!e.equals(a) && !undeclared) {
                return "stretch " + j + " was " + a + " instead of " + e;
            }
        }
        return null;
    }

    /**
     * Where each decision of the swapped schedule comes from among {@code size} recorded ones:
     * those before {@code a}, the second stretch's ({@code b} to {@code end}), the first's
     * ({@code a} to {@code b}), then the rest.
     */
    static int[] swapped(int size, int a, int b, int end) {
        int[] out = new int[size];
        int at = 0;
        for (int i = 0; i < a; i++) {
            out[at++] = i;
        }
        for (int i = b; i < end; i++) {
            out[at++] = i;
        }
        for (int i = a; i < b; i++) {
            out[at++] = i;
        }
        for (int i = end; i < size; i++) {
            out[at++] = i;
        }
        return out;
    }

    private static String verdict(RunResult r) {
        String outcome = r.outcome().getClass().getSimpleName();
        return r.violated() ? outcome + " " + r.violation().invariant() + ": " + r.violation().message() : outcome;
    }

    private static String describe(Recorder r, int k) {
        List<Decision> ds = r.scheduling();
        return "scheduling decision " + k + " of " + ds.size() + ": actor " + ds.get(k).chosen + " touching "
                + ds.get(k + 1).events[0] + " then actor " + ds.get(k + 1).chosen + " touching "
                + ds.get(k + 2).events[0];
    }

    /** A footprint without the serials of its shared objects ({@code mutex#52} is {@code mutex}). */
    private static String withoutSerials(Footprint f) {
        return f.toString().replaceAll("#\\d+", "");
    }

    /**
     * One call of the choice source: its place in the schedule, and for a scheduling decision
     * the candidates' ids, the one chosen and the stretches that ended here; for a data choice
     * its bound (in {@code candidates}), {@code chosen} -1 and the value chosen.
     */
    private record Decision(int index, int[] candidates, int chosen, int value, int[] actors, Footprint[] events) {

        boolean isValue() {
            return chosen < 0;
        }

        /** Whether exactly one stretch ended here, of {@code actor}. */
        boolean singleEvent(int actor) {
            return actors.length == 1 && actors[0] == actor;
        }
    }

    /** Records every decision of a run and the stretches reported to it, choosing as {@code delegate}. */
    private static final class Recorder extends ObservingChoices {
        private final ChoiceSource delegate;
        final List<Decision> all = new ArrayList<>();
        /** The stretches reported at the end of the run. */
        private final List<String> last = new ArrayList<>();

        Recorder(ChoiceSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            int index = delegate.pickActor(point);
            int[] ids = new int[point.candidateCount()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = point.candidate(i).id();
            }
            int[] actors = new int[point.eventCount()];
            Footprint[] events = new Footprint[actors.length];
            for (int i = 0; i < actors.length; i++) {
                actors[i] = point.eventActor(i);
                events[i] = point.eventFootprint(i);
            }
            all.add(new Decision(all.size(), ids, ids[index], -1, actors, events));
            return index;
        }

        @Override
        public int pickValue(String label, int bound) {
            int value = delegate.pickValue(label, bound);
            all.add(new Decision(all.size(), new int[] {bound}, -1, value, new int[0], new Footprint[0]));
            return value;
        }

        @Override
        public void runEnded(SchedulingPoint end) {
            for (int i = 0; i < end.eventCount(); i++) {
                last.add(end.eventActor(i) + " " + withoutSerials(end.eventFootprint(i)));
            }
        }

        List<Decision> scheduling() {
            return all.stream().filter(d -> !d.isValue()).toList();
        }

        /** Every stretch of the run in order: its actor and footprint. */
        List<String> stretches() {
            List<String> out = new ArrayList<>();
            for (Decision d : scheduling()) {
                for (int i = 0; i < d.actors.length; i++) {
                    out.add(d.actors[i] + " " + withoutSerials(d.events[i]));
                }
            }
            out.addAll(last);
            return out;
        }

        /** The index in {@link #stretches()} of the stretch chosen at scheduling decision {@code k}. */
        int stretchIndex(int k) {
            int at = 0;
            for (int j = 0; j <= k; j++) {
                at += scheduling().get(j).actors.length;
            }
            return at;
        }
    }

    /**
     * Replays the recorded decisions in the order {@code from} gives. The decision that chooses
     * the first actor after the second one's stretch is skipped when it became a switch nobody
     * chose: at the next decision, if it reports a stretch of the first actor after the second's,
     * or at a data choice of the first actor's stretch, which then comes first.
     */
    private static final class SwappedReplay implements ChoiceSource {
        private final List<Decision> recorded;
        private final int[] from;
        /** Where the decision that chooses the first actor again is: the one that may be skipped. */
        private final int skippable;
        int next;
        boolean skippedDecision;
        String divergence;

        SwappedReplay(List<Decision> recorded, int[] from, int first) {
            this.recorded = recorded;
            this.from = from;
            int at = 0;
            while (from[at] != first) {
                at++;
            }
            this.skippable = at;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            for (int i = 1; i < point.eventCount(); i++) {
                if (next == skippable && due().chosen == point.eventActor(i)) {
                    skip();
                }
            }
            if (next >= from.length || due().isValue()) {
                throw diverged("a scheduling decision at step " + point.step() + " where the schedule has "
                        + (next >= from.length ? "ended" : "a data choice"));
            }
            int id = due().chosen;
            int index = point.indexOfId(id);
            if (index >= 0) {
                next++;
                return index;
            }
            throw diverged("actor " + id + " is not runnable at step " + point.step() + " (" + point.label() + ")");
        }

        @Override
        public int pickValue(String label, int bound) {
            if (next == skippable) {
                skip();
            }
            if (next >= from.length || !due().isValue()) {
                throw diverged("a data choice (" + label + ") where the schedule has "
                        + (next >= from.length ? "ended" : "a scheduling decision"));
            }
            return recorded.get(from[next++]).value;
        }

        private void skip() {
            next++;
            skippedDecision = true;
        }

        private Decision due() {
            return recorded.get(from[next]);
        }

        private IllegalStateException diverged(String why) {
            if (divergence == null) {
                divergence = "decision " + next + ": " + why;
            }
            return new IllegalStateException(divergence);
        }
    }
}
