package accelmm.sim;

/**
 * One object a step touches, as a preemption point declares it: a lock, a notifier's
 * subscriptions, physical memory. Two accesses conflict when they name the same resource
 * ({@link Object#equals}) and at least one of them writes; steps whose accesses do not conflict
 * commute, so an explorer need not try both orders.
 *
 * <p>A declaration must cover everything the step after the point touches, up to the actor's
 * next preemption point, block or end. Code that declares an access and then returns into a
 * caller it does not know calls {@link Simulation#endOfDeclaredAccess()}, which widens the
 * step to "touches anything". An undeclared point touches anything, which is always sound.
 *
 * @param resource the object touched; compared with {@code equals}, so a record of (object,
 *                 index) names one entry of a table
 */
public record Access(Object resource, boolean write) {

    public Access {
        if (resource == null) {
            throw new IllegalArgumentException("an access names a resource");
        }
    }

    public static Access read(Object resource) {
        return new Access(resource, false);
    }

    public static Access write(Object resource) {
        return new Access(resource, true);
    }

    public boolean conflictsWith(Access other) {
        return (write || other.write) && resource.equals(other.resource);
    }

    @Override
    public String toString() {
        return (write ? "write " : "read ") + resource;
    }
}
