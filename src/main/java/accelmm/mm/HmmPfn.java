package accelmm.mm;

/**
 * One output entry of {@code hmm_range_fault}: a valid frame (with {@code HMM_PFN_WRITE} when the
 * CPU may write it), {@link #ERROR} ({@code HMM_PFN_ERROR}: no usable VMA), or {@link #NONE} (not
 * populated, snapshot mode only). No page reference comes with it: it is valid only until the
 * notifier says otherwise.
 */
public record HmmPfn(PageFrame frame, long generation, boolean writable, boolean error) {

    public static final HmmPfn NONE = new HmmPfn(null, 0, false, false);
    public static final HmmPfn ERROR = new HmmPfn(null, 0, false, true);

    static HmmPfn valid(Pte pte) {
        return new HmmPfn(pte.frame(), pte.generation(), pte.writable(), false);
    }

    /** {@code HMM_PFN_VALID}. */
    public boolean valid() {
        return frame != null;
    }

    /** A reference for the memory bus. */
    public PhysicalMemory.FrameRef ref() {
        return new PhysicalMemory.FrameRef(frame, generation);
    }
}
