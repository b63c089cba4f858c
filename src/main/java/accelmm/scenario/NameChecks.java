package accelmm.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Load-time checks of the names a scenario uses. A name bound nowhere in the file — not by
 * {@code NAME = ...} or {@code recv NAME} in its process, nor inherited from the process that
 * forks it — is a typo, reported with a suggestion, rather than a thread that waits forever.
 * A field of a name bound by a statement whose result has no fields ({@code bo.vm} after
 * {@code bo = ioctl fd gem_create 4K}) names nothing, and is reported with that statement; so
 * is an {@code evict} of a name that {@code gem_create} does not bind.
 * Which process binds what is the parser's {@link Scope}.
 *
 * <p>A name the file binds, but that a run may never bind (a statement that fails, a thread
 * that never starts, a parent that binds it after the fork), is left to the run: the thread
 * using it waits, and the run ends in a deadlock if it never comes.
 */
final class NameChecks {

    private final Scope scope;
    /** Every call of the file by where it starts: where {@link Scope} says a name is bound. */
    private final Map<Position, Statement.Call> calls = new LinkedHashMap<>();
    private final List<LoadProblem> problems = new ArrayList<>();

    private NameChecks(Scenario scenario, Scope scope) {
        this.scope = scope;
        for (ThreadBlock t : scenario.threads()) {
            for (Statement st : t.body()) {
                if (st instanceof Statement.Call c) {
                    calls.put(c.position(), c);
                }
            }
        }
    }

    /** Every use of a name never bound, and of a field of a name whose binding has none, in file order. */
    static List<LoadProblem> problems(Scenario scenario, Scope scope) {
        NameChecks checks = new NameChecks(scenario, scope);
        for (ThreadBlock t : scenario.threads()) {
            for (Statement st : t.body()) {
                st.uses().forEach(use -> checks.check(t.process(), st, use));
            }
        }
        return checks.problems;
    }

    /** Checks one use of a name, in statement {@code st} of a thread of {@code process}. */
    private void check(String process, Statement st, Statement.NameUse use) {
        Value.Ref ref = use.ref();
        String owner = ref.process().orElse(process);
        Optional<Position> binding = scope.binding(owner, ref.name());
        if (binding.isEmpty()) {
            problems.add(new LoadProblem(use.at(), neverBound(process, owner, use)));
            return;
        }
        Statement.Call bindingCall = calls.get(binding.get());
        if (bindingCall == null) {
            throw new IllegalStateException("the scope binds '" + ref + "' at " + binding.get()
                    + ", where no statement starts");
        }
        Operation operation = bindingCall.operation();
        if (use.name() instanceof Value.Field f && !operation.resultHasFields()) {
            problems.add(new LoadProblem(use.at(), "'" + f + "' names nothing: '" + ref + "' is bound by '"
                    + operation.title() + "' at line " + binding.get().line() + ", whose result has no fields"));
        } else if (use.name() instanceof Value.Field f && operation == Operation.DEBUG_READ_EVENT
                && !DebugStatements.EVENT_FIELDS.contains(f.field())) {
            problems.add(new LoadProblem(use.at(), "'" + f + "' names nothing: a debugger event has no field '"
                    + f.field() + "' (its fields: " + String.join(", ", new java.util.TreeSet<>(DebugStatements.EVENT_FIELDS))
                    + ")"));
        } else if (use.name() instanceof Value.Field f && operation == Operation.DMA_BUF_INFO
                && !f.field().equals(Devices.MAP_INFO_CACHING)) {
            problems.add(new LoadProblem(use.at(), "'" + f + "' names nothing: dma_buf_info's result has one field, '"
                    + Devices.MAP_INFO_CACHING + "'"));
        }
        if (st instanceof Statement.Call c && c.operation() == Operation.EVICT && operation != Operation.GEM_CREATE) {
            problems.add(new LoadProblem(use.at(), evictsNoObject(ref, operation, binding.get())));
        }
    }

    /**
     * {@code evict} moves a GEM object its device made; a name bound by anything but {@code
     * gem_create} holds no such object (a handle from {@code prime_fd_to_handle} is a number, and
     * an import on another device is not the exporter's object, which is the one to evict).
     */
    private static String evictsNoObject(Value.Ref ref, Operation binder, Position at) {
        String hint = binder == Operation.PRIME_FD_TO_HANDLE
                ? ", an import's handle: evict the exporter's object, and its importers follow the move"
                : "";
        return "evict takes a name bound by gem_create (the exporter's object); '" + ref + "' is bound by '"
                + binder.title() + "' at line " + at.line() + hint;
    }

    /**
     * What is wrong with a use of a name that {@code owner} never binds: a process written where
     * a name goes ({@code expect Alpha == 3}); a mistyped process in {@code Alpa.p}, which then
     * reads as field {@code p} of a name {@code Alpa}; or a name bound nowhere.
     */
    private String neverBound(String process, String owner, Statement.NameUse use) {
        Value.Ref ref = use.ref();
        if (ref.process().isEmpty() && scope.isProcess(ref.name())) {
            return "'" + ref.name() + "' is a process, not a name (a name of process " + ref.name()
                    + " is written '" + ref.name() + ".NAME')";
        }
        if (use.name() instanceof Value.Field f && ref.process().isEmpty()) {
            Optional<String> meant = Suggest.closestName(ref.name(), scope.userProcesses());
            if (meant.isPresent()) {
                return "name '" + ref + "' is never bound in process " + owner + ", and no process is called '"
                        + ref.name() + "' (did you mean '" + meant.get() + "." + f.field() + "'?)";
            }
        }
        return "name '" + ref + "' is never bound in process " + owner + hint(process, owner, ref);
    }

    /**
     * A likely meant name: a close name {@code owner} binds, or the same name bound by another
     * process (a kernel thread binds nothing, so there it means the process's name).
     */
    private String hint(String process, String owner, Value.Ref ref) {
        String prefix = ref.process().map(p -> p + ".").orElse("");
        Optional<String> close = Suggest.closestName(ref.name(), scope.names(owner));
        if (close.isPresent()) {
            return " (did you mean '" + prefix + close.get() + "'?)";
        }
        List<String> elsewhere = scope.userProcesses().stream()
                .filter(p -> !p.equals(owner) && scope.isBound(p, ref.name()))
                .map(p -> p.equals(process) ? ref.name() : p + "." + ref.name()).toList();
        if (elsewhere.isEmpty()) {
            return "";
        }
        String kernel = owner.equals(ThreadBlock.KERNEL) ? "kernel threads bind nothing; " : "";
        return " (" + kernel + "did you mean " + Suggest.oneOf(elsewhere.stream().map(n -> "'" + n + "'").toList())
                + "?)";
    }
}
