package accelmm.mm;

/**
 * Models {@code struct mmu_notifier_range}: the address range {@code [start, end)} of {@code mm}
 * being invalidated and why. {@code owner} is set for MIGRATE and EXCLUSIVE events so that a driver
 * can ignore the invalidations it caused itself.
 */
public record MmuNotifierRange(MmStruct mm, long start, long end, MmuNotifierEvent event, Object owner) {

    /** The whole address space, as mm teardown uses. */
    public static final long ULONG_MAX = -1L;

    public MmuNotifierRange(MmStruct mm, long start, long end, MmuNotifierEvent event) {
        this(mm, start, end, event, null);
    }

    /** Whether this range intersects {@code [otherStart, otherEnd)} (unsigned comparison). */
    public boolean intersects(long otherStart, long otherEnd) {
        return Long.compareUnsigned(start, otherEnd) < 0 && Long.compareUnsigned(otherStart, end) < 0;
    }

    @Override
    public String toString() {
        return String.format("%s %x-%x", event, start, end);
    }
}
