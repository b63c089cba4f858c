package accelmm.scenario;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which names each process of a file binds: its own ({@code NAME = ...}, {@code recv NAME}) and
 * those it inherits from the process that forks it, transitively — a forked child starts with a
 * copy of its parent's names. {@code B} is what the caller records about a binding ({@link Scope}:
 * where its statement starts). A child's own binding of a name hides the one it inherits.
 *
 * <p>This is what the file can bind, not what a run does: a name the parent binds after the
 * fork is counted as inherited too, though a run gives it to the parent only (the child then
 * waits for it, a deadlock), as is a name bound by a statement that may fail or a thread that
 * may never start.
 */
final class Bindings<B> {

    private final Map<String, Map<String, B>> own = new LinkedHashMap<>();
    private final Map<String, String> parents = new LinkedHashMap<>();

    /** Records that {@code process} binds {@code name}; the first binding of a name is kept. */
    void bind(String process, String name, B binding) {
        own.computeIfAbsent(process, p -> new LinkedHashMap<>()).putIfAbsent(name, binding);
    }

    /** Records that {@code parent} forks {@code child} (a process is forked once). */
    void fork(String parent, String child) {
        parents.putIfAbsent(child, parent);
    }

    /** The binding of {@code name} that {@code process} sees: its own, else its fork parent's, and so on. */
    Optional<B> find(String process, String name) {
        Set<String> seen = new LinkedHashSet<>();
        for (String p = process; p != null && seen.add(p); p = parents.get(p)) {
            B binding = own.getOrDefault(p, Map.of()).get(name);
            if (binding != null) {
                return Optional.of(binding);
            }
        }
        return Optional.empty();
    }

    /** Every name {@code process} binds or inherits: its own first, then its parent's, and so on. */
    Set<String> names(String process) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String p = process; p != null && seen.add(p); p = parents.get(p)) {
            names.addAll(own.getOrDefault(p, Map.of()).keySet());
        }
        return names;
    }
}
