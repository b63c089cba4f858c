package accelmm.check;

/** An invariant judged once an execution has ended (see {@link RunVerdicts}). */
public non-sealed interface EndInvariant extends Invariant {

    /** The violation {@code end} shows, or {@code null}. */
    Violation judge(RunEnd end);
}
