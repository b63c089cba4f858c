package accelmm.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states a {@link DfsSearch} finished exploring, by their 128-bit fingerprints ({@link
 * accelmm.sim.SchedulingPoint#fingerprinted()}): a decision that meets one again is not
 * explored a second time when the earlier visit covers it ({@link #covering}). Each visit keeps
 * what made its subtree: the transitions asleep there, the preemptions spent before it (and, in
 * the key, the actor that could go on, which decides what a preemption is), whether it left
 * something out for the bound, and, for DPOR, the {@link EventSummary} of its subtree.
 *
 * <p>Bounded: once {@link #limit} states are stored no more are added (the search goes on
 * without them, as a stateless one would). Only looked up, never iterated, so the map's order
 * never shows.
 */
final class StateCache {

    /** The states stored when nothing else is asked for: some hundred bytes each. */
    static final int DEFAULT_LIMIT = 1_000_000;

    /** A fingerprint, and the actor that could go on at the decision under a preemption bound (else -1). */
    record Key(long high, long low, int running) implements java.io.Serializable {
    }

    /**
     * One finished exploration of a state: with the actors in {@code sleeping} (ascending ids)
     * asleep, {@code preemptions} spent before it.
     */
    record Visit(int[] sleeping, int preemptions, boolean incomplete, EventSummary summary) {

        /** Whether this visit explored everything a visit with these would. */
        boolean covers(int[] asleep, int spent) {
            return preemptions <= spent && subset(sleeping, asleep);
        }

        private static boolean subset(int[] small, int[] large) {
            int j = 0;
            for (int id : small) {
                while (j < large.length && large[j] < id) {
                    j++;
                }
                if (j == large.length || large[j] != id) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<Key, List<Visit>> visits = new HashMap<>();
    private final int limit;
    private int stored;

    StateCache(int limit) {
        this.limit = limit;
    }

    /** A visit of {@code key} that covers one with {@code sleeping} asleep and {@code preemptions} spent, or null. */
    Visit covering(Key key, int[] sleeping, int preemptions) {
        List<Visit> list = visits.get(key);
        if (list == null) {
            return null;
        }
        for (Visit v : list) {
            if (v.covers(sleeping, preemptions)) {
                return v;
            }
        }
        return null;
    }

    /** Stores a finished visit, unless the cache is full or an earlier visit covers it. */
    void store(Key key, Visit visit) {
        if (stored >= limit || covering(key, visit.sleeping(), visit.preemptions()) != null) {
            return;
        }
        visits.computeIfAbsent(key, k -> new ArrayList<>(1)).add(visit);
        stored++;
    }

    /** The distinct states stored (a state may have several visits, with other sleep sets). */
    long states() {
        return visits.size();
    }
}
