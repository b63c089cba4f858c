package accelmm.mm;

/**
 * Where a memory access of many pages gives up the CPU: the model's cost rule, shared by CPU
 * loads and stores ({@link Uaccess}) and a GPU engine's copy and fill.
 *
 * <p>In Linux neither takes a lock across pages: {@code copy_to_user} stores as it goes and
 * faults page by page (the page-table lock is held by the fault, not by the stores), and an
 * engine's blit writes as it goes. Another CPU can therefore see or change the range between
 * any two pages of one access. An access of at most {@link #PAGEWISE_MAX_BYTES} keeps that: a
 * preemption point before every page. A larger access takes one step per page-table page
 * ({@link PageTable#pmdAddrEnd}, 2M): a stated abstraction that leaves out the states between
 * two pages of one span of a large access, so that writing gigabytes stays within the step
 * limit. A race between two of its spans is still found.
 */
public final class BulkAccess {

    /**
     * The largest access, in bytes, that takes a preemption point before each page: 64 pages.
     * The scenarios that look for a torn access (a reader seeing a write half done, an unmap
     * between two pages of a copy) use a few pages, and every interleaving of those stays
     * explorable; an access of 256K costs at most about 130 steps (a point and a fault per
     * page). Only above it does one step cover a 2M span, which makes a write of 2G into fresh
     * memory 2,048 steps instead of a million, the step limit.
     */
    public static final int PAGEWISE_MAX_BYTES = 64 * PageFrame.PAGE_SIZE;

    private BulkAccess() {
    }

    /** Whether an access of {@code sizeBytes} takes one step per 2M span instead of one per page. */
    public static boolean bySpan(long sizeBytes) {
        return sizeBytes > PAGEWISE_MAX_BYTES;
    }
}
