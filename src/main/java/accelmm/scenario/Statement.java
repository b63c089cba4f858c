package accelmm.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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

    /** Every name and field the statement uses, where it is written, in the order written. */
    List<NameUse> uses();

    /** A use of a name ({@code p}, {@code A.p}) or of a field of one ({@code E.vm}) at {@code at}. */
    record NameUse(Position at, Value.Name name) {

        /** The name itself: the use's own, or its field's base. */
        public Value.Ref ref() {
            return switch (name) {
                case Value.Ref r -> r;
                case Value.Field f -> f.base();
            };
        }
    }

    /**
     * {@code [NAME =] OPERATION ARGS... [=> OUTCOME]}.
     *
     * @param operationAt where the operation's word is ({@code debug_attach} in {@code x = debug_attach A})
     * @param binding  the name bound to the result, if any
     * @param args     every argument given, by parameter name ({@code fd}, {@code size},
     *                 {@code va}; see {@link Operation}'s table), in the table's order
     * @param flags    the bare flags given ({@code shared}, {@code cloexec}, {@code rdwr})
     * @param expected the allowed results; {@link Outcomes#SUCCESS} without {@code =>}
     */
    record Call(Position position, Position operationAt, String source, Optional<String> binding, Operation operation,
            Map<String, Value> args, Set<String> flags, Outcomes expected, List<NameUse> uses) implements Statement {

        public Call {
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
            // Most statements have no flag; an empty set costs nothing then.
            flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(flags));
            uses = List.copyOf(uses);
        }

        /** The argument {@code name}, which the caller knows was given (a required parameter). */
        public Value arg(String name) {
            Value v = args.get(name);
            if (v == null) {
                throw new IllegalStateException(operation + " has no argument '" + name + "' at " + position);
            }
            return v;
        }

        /** The argument {@code name}, if given. */
        public Optional<Value> findArg(String name) {
            return Optional.ofNullable(args.get(name));
        }

        /** A number, address, fd or ID argument: a literal, a name, a field or address arithmetic. */
        public Value.Scalar scalar(String name) {
            return typed(name, arg(name), Value.Scalar.class);
        }

        /** An optional number or address argument ({@code at=}, {@code offset=}). */
        public Optional<Value.Scalar> findScalar(String name) {
            return findArg(name).map(v -> typed(name, v, Value.Scalar.class));
        }

        /** An argument that takes a name only ({@code wait F}, {@code evict OBJ}). */
        public Value.Ref ref(String name) {
            return typed(name, arg(name), Value.Ref.class);
        }

        /** A data argument ({@code write ADDR DATA}). */
        public Value.Data data(String name) {
            return typed(name, arg(name), Value.Data.class);
        }

        /** A word argument: an enumerated choice, a process, a device, an event or a new name. */
        public String word(String name) {
            return typed(name, arg(name), Value.Word.class).word();
        }

        /** An optional word argument ({@code prot=}, {@code placement=}). */
        public Optional<String> findWord(String name) {
            return findArg(name).map(v -> typed(name, v, Value.Word.class).word());
        }

        /**
         * {@code v} as the type {@link Operation}'s table gives parameter {@code name}; another
         * form would be a bug of the parser, which converts each argument by its parameter's type.
         */
        private <T extends Value> T typed(String name, Value v, Class<T> type) {
            if (!type.isInstance(v)) {
                throw new IllegalStateException(operation + " argument '" + name + "' is " + v + " ("
                        + v.getClass().getSimpleName() + "), not a " + type.getSimpleName() + ", at " + position);
            }
            return type.cast(v);
        }

        public boolean hasFlag(String flag) {
            return flags.contains(flag);
        }
    }

    /**
     * {@code expect X == VALUE} or {@code expect X != VALUE}.
     *
     * @param subject  a name or a field
     * @param equal    {@code ==} rather than {@code !=}
     * @param expected a number, a data literal, a name, a field, address arithmetic, a word
     *                 (compared with a field only) or {@link Outcomes}
     */
    record ExpectValue(Position position, String source, Value.Name subject, boolean equal, Value expected,
            List<NameUse> uses) implements Statement {

        public ExpectValue {
            uses = List.copyOf(uses);
        }
    }

    /** {@code expect read ADDR COUNT == DATA} (or {@code !=}): a CPU load compared with data. */
    record ExpectRead(Position position, String source, Value.Scalar address, long sizeBytes, boolean equal,
            Value.Data expected, List<NameUse> uses) implements Statement {

        public ExpectRead {
            uses = List.copyOf(uses);
        }
    }
}
