package accelmm.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lockdep-like validator: it records, for every lock class acquired while another is held,
 * the edge "held before acquired", and reports an acquisition whose new edge closes a cycle
 * in that graph — an order that can deadlock under some other schedule, even if this one did
 * not. Like the kernel's lockdep it works on {@link LockClass}es and reports each new cycle
 * once.
 */
public final class LockDep {

    /** An acquisition that closed a cycle: {@code cycle} starts and ends with the same class. */
    public record Violation(String actor, long step, LockClass held, LockClass acquired, List<LockClass> cycle) {
        public Violation {
            cycle = List.copyOf(cycle);
        }

        public String describe() {
            StringBuilder s = new StringBuilder();
            for (LockClass c : cycle) {
                s.append(s.length() == 0 ? "" : " -> ").append(c);
            }
            return actor + " acquired " + acquired + " while holding " + held + ": lock order cycle " + s;
        }
    }

    private final Map<LockClass, Set<LockClass>> after = new LinkedHashMap<>();
    private final List<Violation> violations = new ArrayList<>();

    /** Records that {@code actor} acquired a lock of {@code acquired}. */
    void acquire(Actor actor, LockClass acquired, long step) {
        acquire(actor, acquired, step, false);
    }

    /**
     * Records an acquisition; {@code underNestLock} when the caller holds the lock that
     * serialises everyone who takes several locks of this class ({@code down_write_nest_lock}).
     * Then a second lock of a class the actor already holds adds no order: as the kernel's
     * lockdep counts it as one more reference to the held lock, the class is not its own
     * successor. The first lock of the class was checked against the others held when taken.
     */
    void acquire(Actor actor, LockClass acquired, long step, boolean underNestLock) {
        if (underNestLock && actor.heldLocks.contains(acquired)) {
            actor.heldLocks.add(acquired);
            return;
        }
        for (LockClass held : actor.heldLocks) {
            Set<LockClass> successors = after.computeIfAbsent(held, k -> new LinkedHashSet<>());
            if (successors.add(acquired)) {
                List<LockClass> path = pathBetween(acquired, held);
                if (path != null) {
                    path.add(acquired);
                    violations.add(new Violation(actor.name(), step, held, acquired, path));
                }
            }
        }
        actor.heldLocks.add(acquired);
    }

    /** Records that {@code actor} released a lock of {@code released} (the innermost such). */
    void release(Actor actor, LockClass released) {
        int i = actor.heldLocks.lastIndexOf(released);
        if (i < 0) {
            throw new IllegalStateException(actor.name() + " releases " + released + " which it does not hold");
        }
        actor.heldLocks.remove(i);
    }

    /** A path {@code from -> ... -> to} in the order graph, or {@code null}. */
    private List<LockClass> pathBetween(LockClass from, LockClass to) {
        if (!from.equals(to) && after.get(from) == null) {
            // Nothing was ever taken under {@code from}: no path leaves it (the common case of
            // a new edge to an innermost lock), so skip the search.
            return null;
        }
        Map<LockClass, LockClass> parent = new LinkedHashMap<>();
        ArrayDeque<LockClass> queue = new ArrayDeque<>();
        queue.add(from);
        parent.put(from, from);
        while (!queue.isEmpty()) {
            LockClass c = queue.poll();
            if (c.equals(to)) {
                List<LockClass> path = new ArrayList<>();
                for (LockClass p = c; ; p = parent.get(p)) {
                    path.add(p);
                    if (p.equals(from)) {
                        break;
                    }
                }
                Collections.reverse(path);
                return path;
            }
            for (LockClass next : after.getOrDefault(c, Set.of())) {
                if (!parent.containsKey(next)) {
                    parent.put(next, c);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    /** Every recorded "held before acquired" pair, in the order first seen. */
    public List<List<LockClass>> edges() {
        List<List<LockClass>> out = new ArrayList<>();
        after.forEach((held, acquired) -> acquired.forEach(a -> out.add(List.of(held, a))));
        return out;
    }

    /** The cycles reported so far, in the order found. */
    public List<Violation> violations() {
        return Collections.unmodifiableList(violations);
    }
}
