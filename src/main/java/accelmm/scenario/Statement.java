package accelmm.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One line of a thread body: an operation call, or an inline expectation.
 */
public sealed interface Statement permits Statement.Call, Statement.ExpectValue, Statement.ExpectRead {

    /** Where the statement starts. */
    Position position();

    /** The statement as written, without indentation or comment (for traces). */
    String source();

    /**
     * {@code [NAME =] OPERATION ARGS... [=> OUTCOME]}.
     *
     * @param binding  the name bound to the result, if any
     * @param args     every argument given, by parameter name ({@code fd}, {@code size},
     *                 {@code va}; see {@link Operation}'s table), in the table's order
     * @param flags    the bare flags given ({@code shared}, {@code cloexec}, {@code rdwr})
     * @param expected the allowed results; {@link Outcomes#SUCCESS} without {@code =>}
     */
    record Call(Position position, String source, Optional<String> binding, Operation operation,
            Map<String, Value> args, Set<String> flags, Outcomes expected) implements Statement {

        public Call {
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
            flags = Collections.unmodifiableSet(new LinkedHashSet<>(flags));
        }

        /** The argument {@code name}, which the caller knows was given (a required parameter). */
        public Value arg(String name) {
            Value v = args.get(name);
            if (v == null) {
                throw new IllegalArgumentException(operation + " has no argument '" + name + "' at " + position);
            }
            return v;
        }

        /** The argument {@code name}, if given. */
        public Optional<Value> findArg(String name) {
            return Optional.ofNullable(args.get(name));
        }

        public boolean hasFlag(String flag) {
            return flags.contains(flag);
        }
    }

    /**
     * {@code expect X == VALUE} or {@code expect X != VALUE}.
     *
     * @param subject  a {@link Value.Ref} or a {@link Value.Field}
     * @param equal    {@code ==} rather than {@code !=}
     * @param expected a number, a data literal, a name, a field, a word or {@link Outcomes}
     */
    record ExpectValue(Position position, String source, Value subject, boolean equal, Value expected)
            implements Statement {
    }

    /** {@code expect read ADDR SIZE == DATA} (or {@code !=}): a CPU load compared with data. */
    record ExpectRead(Position position, String source, Value address, long sizeBytes, boolean equal,
            Value.Data expected) implements Statement {
    }
}
