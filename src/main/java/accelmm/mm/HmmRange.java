package accelmm.mm;

/**
 * Models {@code struct hmm_range}: a request to {@link Hmm#hmmRangeFault} for {@code [start,
 * end)} of the notifier's mm. With {@code fault} set ({@code HMM_PFN_REQ_FAULT}) missing pages
 * are faulted in, with {@code write} ({@code HMM_PFN_REQ_WRITE}) made writable; without {@code
 * fault} it is a snapshot that populates nothing.
 *
 * <p>Not shared state: a range is made, filled and read by the one thread that calls {@code
 * hmm_range_fault}, as the kernel's lives on its caller's stack.
 */
public final class HmmRange {

    private final MmuIntervalNotifier notifier;
    private final long start;
    private final long end;
    private final boolean fault;
    private final boolean write;
    private final HmmPfn[] hmmPfns;
    /** {@code notifier_seq}: set from {@code mmu_interval_read_begin} before each attempt. */
    public long notifierSeq;

    public HmmRange(MmuIntervalNotifier notifier, long start, long end, boolean fault, boolean write) {
        if ((start & (PageFrame.PAGE_SIZE - 1)) != 0 || (end & (PageFrame.PAGE_SIZE - 1)) != 0 || end <= start) {
            throw new IllegalArgumentException("hmm range must be page aligned and non-empty");
        }
        this.notifier = notifier;
        this.start = start;
        this.end = end;
        this.fault = fault;
        this.write = write;
        this.hmmPfns = new HmmPfn[Math.toIntExact((end - start) >>> PageFrame.PAGE_SHIFT)];
        java.util.Arrays.fill(hmmPfns, HmmPfn.NONE);
    }

    public MmuIntervalNotifier notifier() {
        return notifier;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public boolean fault() {
        return fault;
    }

    public boolean write() {
        return write;
    }

    public int pageCount() {
        return hmmPfns.length;
    }

    /** The output for page {@code index} of the range. */
    public HmmPfn pfn(int index) {
        return hmmPfns[index];
    }

    void setPfn(int index, HmmPfn pfn) {
        hmmPfns[index] = pfn;
    }
}
