package accelmm.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One broken invariant: which, at which step of the execution, by which actor, and what
 * happened, in a sentence a kernel engineer can act on.
 *
 * @param details what the sentence says, as named values for machines, in the order the
 *                invariant gives them: for an access the agent, the access, the principal, the
 *                mapping, the frame and the generations ({@code pfn}, {@code referenceGeneration},
 *                {@code frameGeneration}); for a lock cycle the classes. Values are strings,
 *                numbers, booleans, and lists and maps of these; empty when the invariant gives
 *                none.
 */
public record Violation(InvariantKind invariant, long step, String actor, String message, Map<String, Object> details) {

    public Violation {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A violation whose sentence is all there is to say. */
    public Violation(InvariantKind invariant, long step, String actor, String message) {
        this(invariant, step, actor, message, Map.of());
    }

    @Override
    public String toString() {
        return invariant + " at step " + step + (actor.isEmpty() ? "" : " (" + actor + ")") + ": " + message;
    }
}
