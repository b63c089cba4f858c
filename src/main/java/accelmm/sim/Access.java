package accelmm.sim;

/**
 * One thing a step touched or will touch: a range of a piece of {@link Shared} state (a lock, a
 * notifier, page frames, a page table), read, written or updated commutatively. Two accesses
 * conflict when they name the same resource ({@link Object#equals}), their ranges overlap, and
 * they are not both reads nor both commutative updates; steps whose accesses do not conflict
 * commute, so an explorer need not try both orders.
 *
 * <p>Resources must be equal across executions for the same object: a {@link Shared} names
 * itself by its creation serial ({@link Shared.Key}), never by identity, because an explorer
 * compares what a step touched in one execution with what another step touches in the next.
 *
 * <p>Two uses. Observed (see {@link Simulation#observeFootprints}): every {@link Shared} call a
 * step makes adds an access to the step's footprint. Declared: a preemption point may say what
 * the step after it will touch ({@link Simulation#preemptionPoint(String, Access)}); code that
 * declared and then returns into a caller it does not know calls {@link
 * Simulation#endOfDeclaredAccess()}, which widens the step to "touches anything" unless
 * footprints are observed; so does a lock release inside a declared step ({@link
 * Mutex#unlock()}, {@link RwSemaphore#upRead()}, {@link RwSemaphore#upWrite()}), which changes
 * the lock and may wake a waiter, neither of which the declaration names.
 *
 * @param resource what is touched; compared with {@code equals}
 * @param lo       the first index touched (page number, address, entry)
 * @param hi       one past the last; {@code [0, Long.MAX_VALUE)} is the whole resource
 * @param mode     read, write, or a commutative update
 */
public record Access(Object resource, long lo, long hi, Mode mode) implements java.io.Serializable {

    /** How an access touches its resource. */
    public enum Mode {
        READ,
        WRITE,
        /** An update that commutes with every other such update: a counter, a monotone set. */
        ADD
    }

    public Access {
        if (resource == null) {
            throw new IllegalArgumentException("an access names a resource");
        }
        if (lo >= hi) {
            throw new IllegalArgumentException("an empty range [" + lo + ", " + hi + ") of " + resource);
        }
    }

    /** Reads or writes all of {@code resource}. */
    public Access(Object resource, boolean write) {
        this(resource, 0, Long.MAX_VALUE, write ? Mode.WRITE : Mode.READ);
    }

    /** Reads all of {@code resource}. */
    public static Access read(Object resource) {
        return new Access(resource, 0, Long.MAX_VALUE, Mode.READ);
    }

    /** Writes all of {@code resource}. */
    public static Access write(Object resource) {
        return new Access(resource, 0, Long.MAX_VALUE, Mode.WRITE);
    }

    public boolean write() {
        return mode == Mode.WRITE;
    }

    public boolean conflictsWith(Access other) {
        if (mode == other.mode && mode != Mode.WRITE) {
            return false;
        }
        return lo < other.hi && other.lo < hi && (resource == other.resource || resource.equals(other.resource));
    }

    @Override
    public String toString() {
        String range = lo == 0 && hi == Long.MAX_VALUE ? "" : "[" + lo + ", " + hi + ")";
        return mode.name().toLowerCase(java.util.Locale.ROOT) + " " + resource + range;
    }
}
