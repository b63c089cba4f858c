package accelmm.check;

/**
 * One broken invariant: which, at which step of the execution, by which actor, and what
 * happened, in a sentence a kernel engineer can act on.
 */
public record Violation(InvariantKind invariant, long step, String actor, String message) {

    @Override
    public String toString() {
        return invariant + " at step " + step + (actor.isEmpty() ? "" : " (" + actor + ")") + ": " + message;
    }
}
