package accelmm.scenario;

import accelmm.scenario.Token.Kind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the parser knows about the names of a file: the one record of which process binds which
 * name, which the parser and the load-time {@link NameChecks} both read.
 *
 * <p>Before parsing, a quick scan of all lines collects the processes (declared and forked),
 * the devices and the names each process binds or inherits from the process that forks it, each
 * with where its binding statement starts, so a statement may use a process declared further
 * down and the parser can tell {@code A.p} (process A's p) from {@code I.caching} (a field of
 * I), and {@code wc} (a word compared with a field) from {@code bo} (a name, perhaps
 * inherited). While parsing, {@link #firstSeen} records every definition, so a second one is
 * reported with the line of the first.
 */
final class Scope {

    private final Set<String> processes = new LinkedHashSet<>();
    private final Map<String, Integer> declaredProcesses = new LinkedHashMap<>();
    private final Set<String> devices = new LinkedHashSet<>();
    /** Where each process's binding statements start (a {@code NAME = ...} or {@code recv NAME} line). */
    private final Bindings<Position> bound = new Bindings<>();
    private final Map<String, Integer> seen = new LinkedHashMap<>();

    private Scope() {
    }

    /** Scans the blocks; malformed lines are skipped here and reported by the parser. */
    static Scope scan(List<Block> blocks) {
        Scope scope = new Scope();
        scope.processes.add(ThreadBlock.KERNEL);
        for (Block block : blocks) {
            List<Token> header = block.header().tokens();
            if (block.header().indent() > 0 || header.size() < 2 || !header.get(1).isPlainName()) {
                continue;
            }
            String second = header.get(1).text();
            if (block.header().startsWith("process")) {
                scope.processes.add(second);
                scope.declaredProcesses.putIfAbsent(second, block.header().number());
            } else if (block.header().startsWith("device")) {
                scope.devices.add(second);
            }
        }
        for (Block block : blocks) {
            if (block.isThread() && block.header().tokens().size() > 1) {
                String process = block.header().tokens().get(1).text().split("\\.")[0];
                block.body().forEach(line -> scope.scanStatement(process, line.tokens()));
            }
        }
        return scope;
    }

    private void scanStatement(String process, List<Token> tokens) {
        if (tokens.size() < 2) {
            return;
        }
        Token first = tokens.get(0);
        Token second = tokens.get(1);
        if (first.is(Kind.NAME) && second.is(Kind.EQUALS)) {
            bound.bind(process, first.text(), first.position());
        } else if (first.isWord("recv") && second.isPlainName()) {
            bound.bind(process, second.text(), first.position());
        } else if (first.isWord("fork") && second.isPlainName()) {
            processes.add(second.text());
            bound.fork(process, second.text());
        }
    }

    /** A declared process, a forked one, or {@code kernel}. */
    boolean isProcess(String name) {
        return processes.contains(name);
    }

    /** The line of the first {@code process NAME} declaring {@code name}, if any. */
    OptionalInt declarationLine(String name) {
        Integer line = declaredProcesses.get(name);
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The processes a statement can name (everything but {@code kernel}). */
    Set<String> userProcesses() {
        Set<String> names = new LinkedHashSet<>(processes);
        names.remove(ThreadBlock.KERNEL);
        return names;
    }

    boolean isDevice(String name) {
        return devices.contains(name);
    }

    Set<String> devices() {
        return devices;
    }

    /** Whether some statement of the file binds {@code name} in {@code process} or in a process it is forked from. */
    boolean isBound(String process, String name) {
        return binding(process, name).isPresent();
    }

    /**
     * Where the statement that binds {@code name} for {@code process} starts: its own, else the
     * one of the process it is forked from, and so on.
     */
    Optional<Position> binding(String process, String name) {
        return bound.find(process, name);
    }

    /** Every name {@code process} binds or inherits. */
    Set<String> names(String process) {
        return bound.names(process);
    }

    /**
     * Records that {@code name} is defined, in a namespace such as {@code process} or
     * {@code binding:A}, on {@code line}; returns the line of an earlier definition, if any.
     */
    OptionalInt firstSeen(String namespace, String name, int line) {
        Integer first = seen.putIfAbsent(namespace + "\u0000" + name, line);
        return first == null ? OptionalInt.empty() : OptionalInt.of(first);
    }
}
