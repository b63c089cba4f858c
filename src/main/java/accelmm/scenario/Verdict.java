package accelmm.scenario;

import accelmm.check.InvariantKind;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario's expected result for the design combinations its {@code when} clause selects:
 * {@code expect clean [when ...]} or {@code expect violation INV[|INV...] [when ...]}.
 */
public sealed interface Verdict permits Verdict.Clean, Verdict.Violation {

    Position position();

    /** The conditions, all of which must hold; empty: every combination. */
    List<Condition> when();

    /** Whether this verdict applies to a combination of design values. */
    default boolean appliesTo(Map<DesignKey, String> designs) {
        return when().stream().allMatch(c -> c.values().contains(DesignMatrix.value(designs, c.key())));
    }

    /** No invariant breaks and every inline expectation holds. */
    record Clean(Position position, List<Condition> when) implements Verdict {
        public Clean {
            when = List.copyOf(when);
        }
    }

    /** Some explored schedule breaks one of {@code invariants}. */
    record Violation(Position position, Set<InvariantKind> invariants, List<Condition> when) implements Verdict {
        public Violation {
            EnumSet<InvariantKind> copy = EnumSet.noneOf(InvariantKind.class);
            copy.addAll(invariants);
            invariants = Collections.unmodifiableSet(copy);
            when = List.copyOf(when);
        }
    }

    /**
     * {@code KEY=V} (or {@code KEY=V1,V2}: any of the values), written at {@code position} (its
     * key), each value at its own position.
     */
    record Condition(DesignKey key, List<String> values, Position position, List<Position> valuePositions) {
        public Condition {
            values = List.copyOf(values);
            valuePositions = List.copyOf(valuePositions);
            if (values.size() != valuePositions.size()) {
                throw new IllegalArgumentException("a position per value: " + values + " at " + valuePositions);
            }
        }

        /** {@code when userptr=hmm,pin}, as written. */
        String describe() {
            return "when " + key.word() + "=" + String.join(",", values);
        }
    }

    /** The line as written, without its {@code when}: {@code expect violation use-after-free|leak}. */
    default String describe() {
        return switch (this) {
            case Clean c -> "expect clean";
            case Violation v -> "expect violation " + String.join("|",
                    v.invariants().stream().map(InvariantKind::scenarioName).toList());
        };
    }
}
