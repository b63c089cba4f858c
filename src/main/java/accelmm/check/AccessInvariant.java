package accelmm.check;

import accelmm.mm.MemoryAccess;

/** An invariant judged on every memory access (see {@link AccessChecks}). */
public non-sealed interface AccessInvariant extends Invariant {

    /**
     * What is wrong with {@code access}, in a sentence, or {@code null} if nothing is.
     *
     * @param labels the secret label of each byte moved, or null when none is labelled
     */
    String check(MemoryAccess access, int[] labels);
}
