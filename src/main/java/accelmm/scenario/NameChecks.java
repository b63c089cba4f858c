package accelmm.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Load-time checks of the names a scenario uses. A name bound nowhere in the file — not by
 * {@code NAME = ...} or {@code recv NAME} in its process, nor inherited from the process that
 * forks it — is a typo, reported with a suggestion, rather than a thread that waits forever.
 * A field of a name bound by a statement whose result has no fields ({@code bo.vm} after
 * {@code bo = ioctl fd gem_create 4K}) names nothing, and is reported with that statement.
 *
 * <p>A name the file binds, but that a run may never bind (a statement that fails, a thread
 * that never starts, a parent that binds it after the fork), is left to the run: the thread
 * using it waits, and the run ends in a deadlock if it never comes.
 */
final class NameChecks {

    /** Where a name is bound: the statement and its operation. */
    private record Binding(Operation operation, Position at) {
    }

    private final Bindings<Binding> bindings = new Bindings<>();
    /** The processes of the file that statements can name (declared and forked), in file order. */
    private final Set<String> processes = new LinkedHashSet<>();
    private final List<LoadProblem> problems = new ArrayList<>();

    private NameChecks(Scenario scenario) {
        scenario.processes().forEach(p -> processes.add(p.name()));
        for (ThreadBlock t : scenario.threads()) {
            for (Statement st : t.body()) {
                if (st instanceof Statement.Call c) {
                    record(t.process(), c);
                }
            }
        }
    }

    /** Every use of a name never bound, and of a field of a name whose binding has none, in file order. */
    static List<LoadProblem> problems(Scenario scenario) {
        NameChecks checks = new NameChecks(scenario);
        for (ThreadBlock t : scenario.threads()) {
            for (Statement st : t.body()) {
                st.uses().forEach(use -> checks.check(t.process(), use));
            }
        }
        return checks.problems;
    }

    private void record(String process, Statement.Call c) {
        c.binding().ifPresent(name -> bindings.bind(process, name, new Binding(c.operation(), c.position())));
        if (c.operation() == Operation.RECV) {
            bindings.bind(process, word(c, "name"), new Binding(c.operation(), c.position()));
        } else if (c.operation() == Operation.FORK) {
            bindings.fork(process, word(c, "child"));
            processes.add(word(c, "child"));
        }
    }

    private static String word(Statement.Call c, String arg) {
        return c.word(arg);
    }

    /** Checks one use of a name in a thread of {@code process}. */
    private void check(String process, Statement.NameUse use) {
        Value.Ref ref = use.ref();
        String owner = ref.process().orElse(process);
        Optional<Binding> binding = bindings.find(owner, ref.name());
        if (binding.isEmpty()) {
            problems.add(new LoadProblem(use.at(), "name '" + ref + "' is never bound in process " + owner
                    + hint(process, owner, ref)));
        } else if (use.name() instanceof Value.Field f && !binding.get().operation().resultHasFields()) {
            problems.add(new LoadProblem(use.at(), "'" + f + "' names nothing: '" + ref + "' is bound by '"
                    + binding.get().operation().title() + "' at line " + binding.get().at().line()
                    + ", whose result has no fields"));
        }
    }

    /**
     * A likely meant name: a close name {@code owner} binds, or the same name bound by another
     * process (a kernel thread binds nothing, so there it means the process's name).
     */
    private String hint(String process, String owner, Value.Ref ref) {
        String prefix = ref.process().map(p -> p + ".").orElse("");
        Optional<String> close = Suggest.closestName(ref.name(), bindings.names(owner));
        if (close.isPresent()) {
            return " (did you mean '" + prefix + close.get() + "'?)";
        }
        List<String> elsewhere = processes.stream()
                .filter(p -> !p.equals(owner) && bindings.find(p, ref.name()).isPresent())
                .map(p -> p.equals(process) ? ref.name() : p + "." + ref.name()).toList();
        if (elsewhere.isEmpty()) {
            return "";
        }
        String kernel = owner.equals(ThreadBlock.KERNEL) ? "kernel threads bind nothing; " : "";
        return " (" + kernel + "did you mean " + Suggest.oneOf(elsewhere.stream().map(n -> "'" + n + "'").toList())
                + "?)";
    }
}
